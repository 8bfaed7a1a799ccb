/**
 * `--format table`: aligned columns, one row per event, printed as events
 * arrive. Column widths are fixed up front (no waiting for the end); a cell
 * wider than its column is cut with "…", except numbers, which are never cut
 * (a wider number pushes the rest of its row right). Widths are display widths
 * (East Asian wide characters and emoji count 2; see pieces/display-width.ts).
 * The last column (result) is not padded or cut.
 */
import type { HtlcEvent, OutputItem } from '../events/model.js';
import type { Colorizer, FormatContext } from './types.js';
import { channelLabelText } from './pieces/channel-label.js';
import { eventView } from './pieces/event-view.js';
import { fitWidth, padWidth, type Align } from './pieces/fit-width.js';
import { gapLine } from './pieces/gap-line.js';
import { humanDuration } from './pieces/human-duration.js';
import { msatToSat } from './pieces/msat-to-sat.js';
import { paintKind, paintTone, paintType } from './pieces/paint.js';

interface Column {
  readonly title: string;
  readonly width: number;
  readonly align: Align;
  /** Numbers are padded, never cut. */
  readonly numeric?: boolean;
}

export const TABLE_COLUMNS: readonly Column[] = [
  { title: 'TIME', width: 14, align: 'left' }, // HH:MM:SS.mmm, or MM-DD HH:MM:SS for another day
  { title: 'TYPE', width: 7, align: 'left' },
  { title: 'EVENT', width: 12, align: 'left' },
  { title: 'IN CHANNEL', width: 26, align: 'left' },
  { title: 'OUT CHANNEL', width: 26, align: 'left' },
  { title: 'AMOUNT SAT', width: 15, align: 'right', numeric: true }, // 999,999,999.999
  { title: 'FEE SAT', width: 10, align: 'right', numeric: true },
  { title: 'DURATION', width: 9, align: 'right' },
  { title: 'RESULT', width: 0, align: 'left' },
];

const SEP = '  ';

function cell(i: number, text: string): string {
  const col = TABLE_COLUMNS[i]!;
  if (col.width === 0) return text;
  return col.numeric ? padWidth(text, col.width, col.align) : fitWidth(text, col.width, col.align);
}

export function tableHeader(ctx: FormatContext): string {
  const c = ctx.colorizer;
  return c.bold(TABLE_COLUMNS.map((col, i) => cell(i, col.title)).join(SEP).trimEnd());
}

export function formatTable(item: OutputItem, ctx: FormatContext): string {
  const nowMs = (ctx.now ?? Date.now)();
  if (item.event === 'gap') return gapLine(item, ctx.colorizer, ctx.utc, nowMs);
  return tableRow(item, ctx.colorizer, ctx.utc, nowMs);
}

function tableRow(ev: HtlcEvent, c: Colorizer, utc: boolean, nowMs: number): string {
  const v = eventView(ev, utc, nowMs, 'table');
  let result = v.outcome ?? '';
  if (v.codes !== undefined) result += ' ' + v.codes;
  if (v.explanation !== undefined) result += ': ' + v.explanation;
  if (v.lndText !== undefined) result += ' — lnd: ' + v.lndText;
  if (v.replayed) result += (result ? ' ' : '') + '[replayed]';
  const subscribed = v.kind === 'subscribed';
  const texts = [
    v.time,
    subscribed ? '' : v.typeLabel,
    v.kind,
    subscribed ? '' : channelLabelText(v.in),
    v.out === undefined ? '' : channelLabelText(v.out),
    v.amountMsat === undefined ? '' : msatToSat(v.amountMsat, true),
    v.feeMsat === undefined ? '' : msatToSat(v.feeMsat, true),
    v.durationNs === undefined ? '' : humanDuration(v.durationNs),
    result,
  ];
  const paint = [
    (s: string) => c.dim(s),
    (s: string) => paintType(c, v.type, s),
    (s: string) => paintKind(c, v.kind, v.tone, s),
    undefined,
    undefined,
    undefined,
    (s: string) => c.dim(s),
    undefined,
    (s: string) => paintTone(c, v.tone, s),
  ];
  // Trailing empty cells are left out, so a row never ends in blanks (nor in colour codes around blanks).
  let last = texts.length - 1;
  while (last > 0 && texts[last] === '') last--;
  let row = '';
  for (let i = 0; i <= last; i++) {
    let text = cell(i, texts[i]!);
    if (i === last) text = text.trimEnd();
    const p = paint[i];
    if (i > 0) row += SEP;
    row += p === undefined || text === '' ? text : p(text);
  }
  return row;
}
