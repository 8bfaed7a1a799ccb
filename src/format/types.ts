/**
 * Types shared by the formatters.
 *
 * A formatter is a pure function `(item, ctx) => string`: it returns the
 * line(s) for one output item WITHOUT the trailing newline (the writer adds
 * it), does no I/O, and decides nothing from the environment: colour, time
 * zone and "now" all come in through the FormatContext.
 */
import type { OutputItem } from '../events/model.js';

/**
 * Colour as a value. `createColorizer(enabled)` (colorizer.ts) gives a plain
 * one (every method returns its input) or a chalk-backed one. Formatters call
 * these methods and never look at the terminal themselves.
 */
export interface Colorizer {
  /** false for the plain colorizer: formatters may skip work that only matters for colour. */
  readonly enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  underline(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
}

/**
 * Everything a formatter may depend on besides the item itself.
 *
 * - `colorizer`: colour or not (pretty and table; jsonl and raw never colour).
 * - `utc`: pretty and table show UTC instead of local time (jsonl and raw are always UTC).
 * - `now`: the current time in Unix ms, read once per item by pretty and table to decide
 *   whether an event happened today (time only) or on another day (the date is shown too).
 *   Defaults to `Date.now`; tests pass a fixed clock.
 * - `width`: the terminal's width in columns when stdout is a terminal (it may
 *   change between items: a resized terminal); pretty and table lines are then
 *   never wider (display width: wide characters count 2, combining marks 0).
 *   undefined when stdout is not a terminal: nothing is cut.
 * - `nodeWidth`: set when the run tails several nodes (events then carry
 *   `node`): pretty and table show the node's name in a column this wide
 *   (longer names are cut on a terminal and overflow when piped).
 */
export interface FormatContext {
  readonly colorizer: Colorizer;
  readonly utc: boolean;
  readonly now?: () => number;
  readonly width?: number;
  readonly nodeWidth?: number;
}

/** One output item → its line(s), without the trailing newline. */
export type FormatFn = (item: OutputItem, ctx: FormatContext) => string;

export interface Formatter {
  readonly format: FormatFn;
  /** A line printed once before the first item (table's column titles); undefined or absent: none. */
  readonly header?: (ctx: FormatContext) => string | undefined;
}
