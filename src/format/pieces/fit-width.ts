/**
 * Fits plain text into a column of `width` display columns: padded with
 * spaces (left- or right-aligned), or cut at a grapheme boundary and ended
 * with "…" when it is wider. Colour is applied after fitting.
 */
import { displayWidth, graphemes, graphemeWidth } from './display-width.js';

export type Align = 'left' | 'right';

/**
 * Cuts plain text to at most `width` display columns, ending it with "…"
 * when cut (at a grapheme boundary; never padded). A width below 1 gives "".
 */
export function cutWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width < 1) return '';
  let s = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const gw = graphemeWidth(g);
    if (used + gw > width - 1) break;
    s += g;
    used += gw;
  }
  return s + '…';
}

export function fitWidth(text: string, width: number, align: Align = 'left'): string {
  return padWidth(cutWidth(text, width), width, align);
}

/** Pads without ever cutting (numbers must not be truncated: a wider number overflows its column). */
export function padWidth(text: string, width: number, align: Align = 'left'): string {
  const pad = width - displayWidth(text);
  if (pad <= 0) return text;
  return align === 'left' ? text + ' '.repeat(pad) : ' '.repeat(pad) + text;
}
