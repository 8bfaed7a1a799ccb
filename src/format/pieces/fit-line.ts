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
export function seg(
  sep: string,
  text: string,
  priority: number,
  opts: { min?: number; paint?: (s: string) => string } = {},
): Segment {
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
  const full = segs.map((x) => displayWidth(x.text));
  let total = 0;
  for (let i = 0; i < n; i++) total += segs[i]!.extra + full[i]!;
  if (total <= width) return renderSegments(segs);

  /** Text columns each segment gets; -1: dropped. */
  const cols = full.slice();
  const used = (i: number) => (cols[i]! < 0 ? 0 : segs[i]!.extra + cols[i]!);
  const setCols = (i: number, c: number) => {
    total += (c < 0 ? 0 : segs[i]!.extra + c) - used(i);
    cols[i] = c;
  };
  // Lowest priority first; among equals, the rightmost first.
  const order = [...Array(n).keys()].sort((a, b) => segs[a]!.priority - segs[b]!.priority || b - a);

  // 1. Cut what may be cut, down to its minimum.
  for (const i of order) {
    if (total <= width) break;
    const min = segs[i]!.min;
    if (min !== undefined && cols[i]! > min) setCols(i, Math.max(min, cols[i]! - (total - width)));
  }
  // 2. Drop, lowest first, until the line fits (the last segment standing is kept).
  let kept = n;
  for (const i of order) {
    if (total <= width || kept === 1) break;
    setCols(i, -1);
    kept--;
  }
  // 3. Put back what fits again, highest first (a cuttable one cut to the room left).
  for (const i of [...order].reverse()) {
    if (cols[i]! >= 0) continue;
    const x = segs[i]!;
    const room = width - total - x.extra;
    if (room >= full[i]!) setCols(i, full[i]!);
    else if (x.min !== undefined && room >= x.min) setCols(i, room);
  }
  // 4. Give what is left back to cut texts, highest first.
  for (const i of [...order].reverse()) {
    if (cols[i]! < 0 || cols[i]! >= full[i]!) continue;
    setCols(i, Math.min(full[i]!, cols[i]! + (width - total)));
  }
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = cols[i]!;
    if (c < 0) continue;
    const x = segs[i]!;
    // The one essential segment left is cut only on a terminal narrower than it.
    const room = c === full[i]! && total > width ? Math.max(0, width - x.extra) : c;
    s += x.render(room >= full[i]! ? x.text : cutWidth(x.text, room));
  }
  return s;
}
