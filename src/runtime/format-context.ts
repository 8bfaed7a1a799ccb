/**
 * The FormatContext of a run whose events go to `out` (stdout): colour and
 * time zone from the config, and, when `out` is a terminal, its width. The
 * width is read from the stream when a line is formatted, so a resized
 * terminal (SIGWINCH; Node updates `columns` and emits 'resize') is followed
 * from the next line on. A stream that is not a terminal has no width: piped
 * output is never cut. Formatters stay pure: they see `ctx.width` as a value.
 */
import type { OutputConfig } from '../config/types.js';
import { createColorizer } from '../format/colorizer.js';
import type { FormatContext } from '../format/types.js';

/** What this needs of the output stream (process.stdout, a tty.WriteStream when a terminal). */
export interface OutputStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** `nodeWidth`: the width of the node column when the run tails several nodes (FormatContext.nodeWidth). */
export function outputFormatContext(
  output: Pick<OutputConfig, 'color' | 'utc'>,
  out: OutputStream,
  nodeWidth?: number,
): FormatContext {
  const colorizer = createColorizer(output.color);
  const utc = output.utc;
  const nodes = nodeWidth === undefined ? {} : { nodeWidth };
  if (out.isTTY !== true) return { colorizer, utc, ...nodes };
  return {
    colorizer,
    utc,
    ...nodes,
    get width(): number | undefined {
      const c = out.columns;
      return typeof c === 'number' && c > 0 ? c : undefined;
    },
  };
}

/** The width of the node column a name not known at start (an alias, asked from lnd) gets. */
export const UNNAMED_NODE_WIDTH = 16;
/** The node column is never wider than this when names are known at start (longer ones are cut on a terminal). */
export const MAX_NODE_WIDTH = 24;

/**
 * The node column's width for a run over these nodes (their profile names,
 * null for a node named later by its alias): the longest name, at least 4
 * (the NODE title), at most MAX_NODE_WIDTH.
 */
export function nodeColumnWidth(names: ReadonlyArray<string | null>): number {
  const widths = names.map((n) => (n === null ? UNNAMED_NODE_WIDTH : [...n].length));
  return Math.min(MAX_NODE_WIDTH, Math.max(4, ...widths));
}
