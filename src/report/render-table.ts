/**
 * The report as a table for people (pure): the columns an operator reads
 * first, amounts in sat (exact, msat as decimals), settle times in human
 * units, a total row last, sized to read at 100 columns: numbers are never
 * cut, the alias column takes what is left (8 to 24 columns) and is cut with
 * `…`. Peer aliases are untrusted network text: control characters are shown
 * escaped. jsonl, csv and markdown have every key.
 */
import { displayWidth } from '../format/pieces/display-width.js';
import { fitWidth, padWidth } from '../format/pieces/fit-width.js';
import { humanDuration } from '../format/pieces/human-duration.js';
import { msatToSat } from '../format/pieces/msat-to-sat.js';
import { sanitize } from '../format/sanitize.js';
import { FOREIGN, isMs, type Cell, type Report, type ReportBy, type ReportRow } from './columns.js';

interface Column {
  readonly title: string;
  readonly right: boolean;
  /** The alias column: shrinks to fit. */
  readonly flex?: boolean;
  readonly text: (row: ReportRow) => string;
}

const TARGET_WIDTH = 100;
const SEP = '  ';

const count = (key: string) => (r: ReportRow) => cellText(r[key] ?? null);
const sat = (key: string) => (r: ReportRow) => {
  const c = r[key] ?? null;
  return typeof c === 'bigint' ? msatToSat(c.toString(), false) : cellText(c);
};
const dur = (key: string) => (r: ReportRow) => {
  const c = r[key] ?? null;
  return isMs(c) ? humanDuration(c.ns) : '-';
};

function cellText(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'bigint') return c.toString();
  if (isMs(c)) return c.ms;
  return sanitize(c);
}

const num = (title: string, text: (r: ReportRow) => string): Column => ({ title, right: true, text });

/** The out-side figures of a channel or peer. */
const OUT_COLUMNS: readonly Column[] = [
  num('in', count('in_forwards')),
  num('out', count('out_forwards')),
  num('settled', count('out_settled')),
  num('here', count('out_failed_here')),
  num('down', count('out_failed_downstream')),
  num('earned sat', sat('fee_earned_msat')),
  num('missed sat', sat('fee_missed_msat')),
  num('no-liq', count('no_liquidity')),
  num('p50', dur('settle_p50_ms')),
];

const label = (
  title: string,
  key: string,
  opts: { flex?: boolean; shorten?: number; unknown?: string } = {},
): Column => ({
  title,
  right: false,
  flex: opts.flex,
  text: (r) => {
    const c = r[key] ?? null;
    if (c === null) return opts.unknown ?? '';
    const t = cellText(c);
    return opts.shorten !== undefined && t.length > opts.shorten ? t.slice(0, opts.shorten) + '…' : t;
  },
});

function bucketLabel(by: 'day' | 'hour'): Column {
  return {
    title: by,
    right: false,
    text: (r) =>
      by === 'day'
        ? cellText(r.start ?? null).slice(0, 10)
        : cellText(r.start ?? null)
            .slice(0, 13)
            .replace('T', ' ') + ':00',
  };
}

function columnsFor(by: ReportBy): readonly Column[] {
  switch (by) {
    case 'channel':
      return [label('channel', 'scid'), label('alias', 'alias', { flex: true }), ...OUT_COLUMNS];
    case 'peer':
      return [
        label('peer', 'peer_pubkey', { shorten: 10, unknown: '(unknown)' }),
        label('alias', 'alias', { flex: true }),
        ...OUT_COLUMNS,
      ];
    case 'reason':
      return [
        label('wire failure', 'wire_failure'),
        label('failure detail', 'failure_detail'),
        num('count', count('count')),
        num('amount sat', sat('amt_msat')),
        num('missed sat', sat('fee_missed_msat')),
      ];
    case 'day':
    case 'hour':
      return [
        bucketLabel(by),
        num('forwards', count('in_forwards')),
        ...OUT_COLUMNS.slice(2),
        num('receives', count('receives')),
        num('sends', count('sends')),
      ];
  }
}

/** Channel rows of foreign channel ids (see FOREIGN) folded into one `others` row, summed exactly. */
function foldForeign(rows: readonly ReportRow[]): ReportRow[] {
  const foreign = rows.filter((r) => r[FOREIGN] !== undefined);
  if (foreign.length < 2) return [...rows];
  const sum: Record<string, Cell> = { scid: `others`, alias: `${foreign.length} unknown channels` };
  for (const r of foreign) {
    for (const [k, v] of Object.entries(r))
      if (typeof v === 'bigint') sum[k] = ((sum[k] as bigint | undefined) ?? 0n) + v;
  }
  return [...rows.filter((r) => r[FOREIGN] === undefined), sum];
}

function renderSection(columns: readonly Column[], rows: readonly ReportRow[], total: ReportRow): string[] {
  // The total row: "total" in the first column, the other labels blank.
  const totalCells = columns.map((c, i) => (i === 0 ? 'total' : c.right ? c.text(total) : ''));
  const cells = [...rows.map((r) => columns.map((c) => c.text(r))), totalCells];
  const widths = columns.map((c, i) => Math.max(displayWidth(c.title), ...cells.map((row) => displayWidth(row[i]!))));
  const flex = columns.findIndex((c) => c.flex);
  if (flex >= 0) {
    const seps = columns.reduce(
      (s, c, i) => (i === 0 ? s : s + (c.right && columns[i - 1]!.right ? 1 : SEP.length)),
      0,
    );
    const others = widths.reduce((s, w, i) => (i === flex ? s : s + w), 0) + seps;
    widths[flex] = Math.min(widths[flex]!, Math.max(8, Math.min(24, TARGET_WIDTH - others)));
  }
  const line = (row: readonly string[]) =>
    row
      .map((t, i) => {
        const cell = columns[i]!.right ? padWidth(t, widths[i]!, 'right') : fitWidth(t, widths[i]!, 'left');
        return i === 0 ? cell : (columns[i]!.right && columns[i - 1]!.right ? ' ' : SEP) + cell;
      })
      .join('')
      .trimEnd();
  return [line(columns.map((c) => c.title)), ...cells.map(line)];
}

export function reportTable(report: Report): string[] {
  const columns = columnsFor(report.by);
  const lines: string[] = [];
  for (const s of report.sections) {
    if (s.node !== undefined) {
      if (lines.length > 0) lines.push('');
      lines.push(`node ${sanitize(s.node)}`);
    }
    lines.push(...renderSection(columns, report.by === 'channel' ? foldForeign(s.rows) : s.rows, s.total));
  }
  return lines;
}
