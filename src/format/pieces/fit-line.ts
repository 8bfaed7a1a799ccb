/**
 * Fits a line of segments into a terminal width (pretty's events, gap lines).
 *
 * A segment is a piece of text with decorations around it (a separator, the
 * parentheses of an alias) that take `extra` columns, drawn by `render`
 * (colour included). Each has a priority: while the line is too wide, the
 * segment with the lowest priority (the rightmost among equals) is cut to fit
 * if it is cuttable (`min` set: cut with "…", its text keeping at least
 * `min` columns) and otherwise dropped with its decorations. Atomic segments
 * (a short channel id, a time, an amount) are never cut: only dropped, the
 * essential ones (priority Infinity) last of all. Only on a terminal
 * narrower than the first essential segment is that one cut.
 *
 * With no width (stdout is not a terminal), or when the line fits, the
 * segments are rendered as they are: nothing is cut.
 */
import { displayWidth } from './display-width.js';
import { cutWidth } from './fit-width.js';

export interface Segment {
  /** The content that may be cut (plain, sanitized). */
  readonly text: string;
  /** Display columns of what `render` adds around the text (separators, parentheses). */
  readonly extra: number;
  /** The segment as printed, for a (possibly cut) text. */
  readonly render: (text: string) => string;
  /** Lower goes first; Infinity: dropped only when nothing else is left to drop. */
  readonly priority: number;
  /** Cuttable down to this many columns of text; undefined: whole or not at all. */
  readonly min?: number;
}

/** A segment of plain text after a plain separator. */
export function seg(sep: string, text: string, priority: number, opts: { min?: number; paint?: (s: string) => string } = {}): Segment {
  const paint = opts.paint;
  return {
    text,
    extra: sep.length,
    render: paint ? (t) => sep + paint(t) : (t) => sep + t,
    priority,
    ...(opts.min !== undefined ? { min: opts.min } : {}),
  };
}

export function renderSegments(segs: readonly Segment[]): string {
  let s = '';
  for (const x of segs) s += x.render(x.text);
  return s;
}

export function fitSegments(segs: readonly Segment[], width: number | undefined): string {
  if (width === undefined) return renderSegments(segs);
  const n = segs.length;
  const widths = segs.map((x) => x.extra + displayWidth(x.text));
  let total = 0;
  for (const w of widths) total += w;
  if (total <= width) return renderSegments(segs);

  const texts = segs.map((x) => x.text);
  const kept = segs.map(() => true);
  // Lowest priority first; among equals, the rightmost first.
  const order = [...Array(n).keys()].sort((a, b) => segs[a]!.priority - segs[b]!.priority || b - a);
  let remaining = n;
  for (const i of order) {
    if (total <= width || remaining === 1) break;
    const x = segs[i]!;
    const excess = total - width;
    const textWidth = widths[i]! - x.extra;
    if (x.min !== undefined && textWidth - excess >= x.min) {
      texts[i] = cutWidth(x.text, textWidth - excess);
      total -= widths[i]! - (x.extra + displayWidth(texts[i]!));
      break;
    }
    kept[i] = false;
    remaining--;
    total -= widths[i]!;
  }
  if (total > width) {
    // Narrower than the one essential segment left: cut it (never happens at 40 columns or more).
    const i = kept.indexOf(true);
    texts[i] = cutWidth(segs[i]!.text, Math.max(0, width - segs[i]!.extra));
  }
  let s = '';
  for (let i = 0; i < n; i++) if (kept[i]) s += segs[i]!.render(texts[i]!);
  return s;
}
