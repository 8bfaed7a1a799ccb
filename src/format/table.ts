/**
 * `--format table`: aligned columns, one row per event, printed as events
 * arrive. Column widths are fixed up front (no waiting for the end). Widths
 * are display widths (East Asian wide characters and emoji count 2; see
 * pieces/display-width.ts).
 *
 * Piped (no ctx.width): the full layout, and nothing is cut: a cell wider
 * than its column (a long alias, a big number) pushes the rest of its row
 * right; the last column (result) is not padded.
 *
 * On a terminal (ctx.width): the layout is fitted to the width
 * (table-layout.ts: the channel columns shrink, then duration, fee, type …
 * go), texts are cut with "…" to their column (a channel's alias is cut,
 * never its short channel id; numbers and times are never cut), and the row
 * as a whole never exceeds the width: the result column takes what is left,
 * and cells that would not fit at all are left out. After a resize, the rows
 * follow the new width (the header, printed once, keeps the old one).
 * With --utc the header says so: "TIME (UTC)". With several nodes a NODE
 * column (the event's node, sanitized: an alias is network text) follows
 * the time.
 */
import type { HtlcEvent, OutputItem } from '../events/model.js';
import type { FormatContext } from './types.js';
import { type ChannelLabel } from './pieces/channel-label.js';
import { displayWidth } from './pieces/display-width.js';
import { eventView } from './pieces/event-view.js';
import { cutWidth, padWidth } from './pieces/fit-width.js';
import { gapLine } from './pieces/gap-line.js';
import { humanDuration } from './pieces/human-duration.js';
import { msatToSat } from './pieces/msat-to-sat.js';
import { paintKind, paintTone, paintType } from './pieces/paint.js';
import { fullLayout, tableLayout, type ColumnKey, type Layout } from './table-layout.js';
import { sanitize } from './sanitize.js';

export { TABLE_COLUMNS } from './table-layout.js';

function layoutOf(ctx: FormatContext): Layout {
  return ctx.width === undefined ? fullLayout(ctx.nodeWidth) : tableLayout(ctx.width, ctx.nodeWidth);
}

function title(key: ColumnKey, utc: boolean): string {
  switch (key) {
    case 'time':
      return utc ? 'TIME (UTC)' : 'TIME';
    case 'node':
      return 'NODE';
    case 'type':
      return 'TYPE';
    case 'event':
      return 'EVENT';
    case 'in':
      return 'IN CHANNEL';
    case 'out':
      return 'OUT CHANNEL';
    case 'amount':
      return 'AMOUNT SAT';
    case 'fee':
      return 'FEE SAT';
    case 'duration':
      return 'DURATION';
    case 'result':
      return 'RESULT';
  }
}

/** A channel cell: the short channel id whole, the alias cut to what is left of `width`. */
function channelCell(l: ChannelLabel, width: number | undefined): string {
  if (l.alias === undefined) return l.id;
  const full = l.id + ' (' + l.alias + ')';
  if (width === undefined || displayWidth(full) <= width) return full;
  const room = width - displayWidth(l.id) - 3;
  return room >= 5 ? l.id + ' (' + cutWidth(l.alias, room) + ')' : l.id;
}

interface Cell {
  readonly text: string;
  readonly paint?: (s: string) => string;
}

/**
 * Lays the cells out in the layout's columns: each padded to its width (cut
 * first when `cut`, except numbers and times, which overflow), the last cell
 * not padded; on a terminal the whole row is kept within `width`.
 */
function row(cells: readonly Cell[], layout: Layout, cut: boolean, width: number | undefined): string {
  const sep = layout.sep;
  let last = cells.length - 1;
  while (last > 0 && cells[last]!.text === '') last--;
  let out = '';
  let used = 0;
  for (let i = 0; i <= last; i++) {
    const col = layout.columns[i]!;
    let text = cells[i]!.text;
    const lead = i === 0 ? '' : sep;
    const isLast = i === last;
    if (width !== undefined) {
      const room = width - used - lead.length;
      if (room < 1) break;
      if (displayWidth(text) > room) {
        // Whatever does not fit in what is left of the line: cut when cuttable, else stop here.
        if (col.numeric || col.key === 'time' || col.key === 'in' || col.key === 'out') {
          if (i > 0) break;
        }
        text = cutWidth(text, room);
      }
    }
    if (col.width > 0) {
      const w = col.width;
      // A channel cell was fitted by channelCell (its short channel id overflows rather than split).
      if (cut && !col.numeric && col.key !== 'time' && col.key !== 'in' && col.key !== 'out' && displayWidth(text) > w)
        text = cutWidth(text, w);
      text = padWidth(text, w, col.align);
      if (isLast || (width !== undefined && used + lead.length + displayWidth(text) > width)) text = text.trimEnd();
    } else {
      text = text.trimEnd();
    }
    const p = cells[i]!.paint;
    out += lead + (p === undefined || text === '' ? text : p(text));
    if (width !== undefined) used += lead.length + displayWidth(text);
  }
  return out;
}

export function tableHeader(ctx: FormatContext): string {
  const layout = layoutOf(ctx);
  const cells = layout.columns.map((col) => ({ text: title(col.key, ctx.utc) }));
  return ctx.colorizer.bold(row(cells, layout, true, ctx.width));
}

export function formatTable(item: OutputItem, ctx: FormatContext): string {
  const nowMs = (ctx.now ?? Date.now)();
  if (item.event === 'gap') return gapLine(item, ctx.colorizer, ctx.utc, nowMs, ctx.width);
  return tableRow(item, ctx, nowMs);
}

function tableRow(ev: HtlcEvent, ctx: FormatContext, nowMs: number): string {
  const { colorizer: c, utc, width } = ctx;
  const v = eventView(ev, utc, nowMs, 'table');
  const layout = layoutOf(ctx);
  let result = v.outcome ?? '';
  if (v.codes !== undefined) result += ' ' + v.codes;
  if (v.explanation !== undefined) result += ': ' + v.explanation;
  if (v.lndText !== undefined) result += ' — lnd: ' + v.lndText;
  if (v.replayed) result += (result ? ' ' : '') + '[replayed]';
  const subscribed = v.kind === 'subscribed';
  const cells: Cell[] = layout.columns.map((col): Cell => {
    switch (col.key) {
      case 'time':
        return { text: v.time, paint: (s) => c.dim(s) };
      case 'node':
        return { text: ev.node === undefined ? '' : sanitize(ev.node), paint: (s) => c.cyan(s) };
      case 'type':
        return { text: subscribed ? '' : v.typeLabel, paint: (s) => paintType(c, v.type, s) };
      case 'event':
        return { text: v.kind, paint: (s) => paintKind(c, v.kind, v.tone, s) };
      case 'in':
        return { text: subscribed ? '' : channelCell(v.in, width === undefined ? undefined : col.width) };
      case 'out':
        return { text: v.out === undefined ? '' : channelCell(v.out, width === undefined ? undefined : col.width) };
      case 'amount':
        return { text: v.amountMsat === undefined ? '' : msatToSat(v.amountMsat, true) };
      case 'fee':
        return { text: v.feeMsat === undefined ? '' : msatToSat(v.feeMsat, true), paint: (s) => c.dim(s) };
      case 'duration':
        return { text: v.durationNs === undefined ? '' : humanDuration(v.durationNs) };
      case 'result':
        return { text: result, paint: (s) => paintTone(c, v.tone, s) };
    }
  });
  return row(cells, layout, width !== undefined, width);
}
