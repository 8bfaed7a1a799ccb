/**
 * The table's columns: the full layout (piped output, and terminals wide
 * enough for it), and the layout fitted to a terminal width.
 *
 * Fitting takes these steps, in order, until the columns and the result
 * column's minimum fit: the channel columns shrink (to 22, then 18, then 14
 * columns: their aliases are cut, the short channel id stays), the duration
 * and then the fee column go, the separators narrow to one space, the amount
 * column narrows, the type column goes, the channel columns narrow to 13
 * (a mainnet short channel id), the result column's minimum drops from 24 to
 * 10, then the amount and the out-channel columns go. What is left over goes
 * half to the channel columns (up to their full width), the rest to the
 * result column, which takes the remainder of the line.
 *
 * With several nodes a NODE column follows the time, as wide as the run's
 * longest node name (FormatContext.nodeWidth); fitting narrows it to 12
 * after the channel columns reach 14, and to 8 after they reach 13 (names
 * are then cut with "…").
 */
import type { Align } from './pieces/fit-width.js';

export type ColumnKey = 'time' | 'node' | 'type' | 'event' | 'in' | 'out' | 'amount' | 'fee' | 'duration' | 'result';

export interface Column {
  readonly key: ColumnKey;
  readonly title: string;
  /** Display columns; 0 for the last column (result), which is not padded. */
  readonly width: number;
  readonly align: Align;
  /** Numbers are padded, never cut. */
  readonly numeric?: boolean;
}

export interface Layout {
  readonly columns: readonly Column[];
  readonly sep: string;
}

export const TABLE_COLUMNS: readonly Column[] = [
  { key: 'time', title: 'TIME', width: 14, align: 'left' }, // HH:MM:SS.mmm, or MM-DD HH:MM:SS for another day
  { key: 'type', title: 'TYPE', width: 7, align: 'left' },
  { key: 'event', title: 'EVENT', width: 12, align: 'left' },
  { key: 'in', title: 'IN CHANNEL', width: 26, align: 'left' },
  { key: 'out', title: 'OUT CHANNEL', width: 26, align: 'left' },
  { key: 'amount', title: 'AMOUNT SAT', width: 15, align: 'right', numeric: true }, // 999,999,999.999
  { key: 'fee', title: 'FEE SAT', width: 10, align: 'right', numeric: true },
  { key: 'duration', title: 'DURATION', width: 9, align: 'right' },
  { key: 'result', title: 'RESULT', width: 0, align: 'left' },
];

export const FULL_LAYOUT: Layout = Object.freeze({ columns: TABLE_COLUMNS, sep: '  ' });

/** The NODE column, `width` wide. */
function nodeColumn(width: number): Column {
  return { key: 'node', title: 'NODE', width, align: 'left' };
}

/** The columns with a NODE column after the time (several nodes), or without (one node). */
function columnsWith(nodeWidth: number | undefined): readonly Column[] {
  if (nodeWidth === undefined) return TABLE_COLUMNS;
  return [TABLE_COLUMNS[0]!, nodeColumn(nodeWidth), ...TABLE_COLUMNS.slice(1)];
}

/** The full layout (piped output): with a NODE column when `nodeWidth` is given. */
export function fullLayout(nodeWidth?: number): Layout {
  return nodeWidth === undefined ? FULL_LAYOUT : { columns: columnsWith(nodeWidth), sep: '  ' };
}

interface State {
  readonly widths: Map<ColumnKey, number>;
  sep: number;
  resultMin: number;
}

const channels = (n: number) => (s: State) => {
  for (const k of ['in', 'out'] as const) if (s.widths.has(k)) s.widths.set(k, Math.min(s.widths.get(k)!, n));
};
const drop = (k: ColumnKey) => (s: State) => void s.widths.delete(k);
const node = (n: number) => (s: State) => {
  const w = s.widths.get('node');
  if (w !== undefined) s.widths.set('node', Math.min(w, n));
};

const STEPS: ReadonlyArray<(s: State) => void> = [
  channels(22),
  drop('duration'),
  channels(18),
  drop('fee'),
  channels(14),
  node(12),
  (s) => void (s.sep = 1),
  (s) => void (s.widths.has('amount') && s.widths.set('amount', 12)),
  drop('type'),
  channels(13),
  node(8),
  (s) => void (s.resultMin = 10),
  drop('amount'),
  drop('out'),
  (s) => void (s.resultMin = 1),
];

/** Columns before the result, their separators, and the result's separator and minimum. */
function total(s: State): number {
  let t = s.resultMin;
  for (const w of s.widths.values()) t += w + s.sep;
  return t;
}

/** The layout for a terminal `width` columns wide; `nodeWidth`: with a NODE column that wide (several nodes). */
export function tableLayout(width: number, nodeWidth?: number): Layout {
  const all = columnsWith(nodeWidth);
  const s: State = {
    widths: new Map(all.filter((c) => c.key !== 'result').map((c) => [c.key, c.width])),
    sep: 2,
    resultMin: 24,
  };
  if (total(s) > width) {
    for (const step of STEPS) {
      step(s);
      if (total(s) <= width) break;
    }
    // Half of what is left over widens the channel columns again (up to their full width).
    let spare = Math.floor(Math.max(0, width - total(s)) / 2);
    for (const k of ['in', 'out'] as const) {
      const w = s.widths.get(k);
      if (w === undefined) continue;
      const add = Math.min(26 - w, Math.ceil(spare / (k === 'in' && s.widths.has('out') ? 2 : 1)));
      s.widths.set(k, w + add);
      spare -= add;
    }
  }
  const columns = all
    .filter((c) => c.key === 'result' || s.widths.has(c.key))
    .map((c) => (c.key === 'result' || s.widths.get(c.key) === c.width ? c : { ...c, width: s.widths.get(c.key)! }));
  return { columns, sep: ' '.repeat(s.sep) };
}
