/**
 * The report as jsonl, csv or markdown (pure). jsonl and csv: one line per row
 * with every key of SPEC "Report" (plus `node` first when the report covers
 * several nodes), no total. markdown: a GitHub table per node with every key,
 * msat exact, ending with a bold total row.
 */
import { csvField, CSV_RECORD_END } from '../format/pieces/csv-field.js';
import { jsonString } from '../codec/json/json-string.js';
import { sanitize } from '../format/sanitize.js';
import { isMs, LABEL_KEYS, type Cell, type Report, type ReportRow } from './columns.js';

function jsonCell(c: Cell): string {
  if (c === null) return 'null';
  if (typeof c === 'string') return jsonString(c);
  if (typeof c === 'bigint') return c.toString();
  return c.ms;
}

function plainCell(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'bigint') return c.toString();
  if (isMs(c)) return c.ms;
  return c;
}

function rowsWithNode(report: Report): Array<{ node?: string; row: ReportRow }> {
  return report.sections.flatMap((s) =>
    s.rows.map((row) => ({ ...(s.node !== undefined ? { node: s.node } : {}), row })),
  );
}

export function reportJsonl(report: Report): string[] {
  return rowsWithNode(report).map(({ node, row }) => {
    const parts = report.keys.map(
      (k) => jsonString(k) + ':' + (k === 'node' ? jsonString(node ?? '') : jsonCell(row[k] ?? null)),
    );
    return '{' + parts.join(',') + '}';
  });
}

export function reportCsv(report: Report): string[] {
  const lines = [report.keys.join(',') + CSV_RECORD_END];
  for (const { node, row } of rowsWithNode(report)) {
    lines.push(
      report.keys.map((k) => csvField(k === 'node' ? (node ?? '') : plainCell(row[k] ?? null))).join(',') +
        CSV_RECORD_END,
    );
  }
  return lines;
}

/** Text safe in a markdown table cell: no control characters, no cell breaks. */
function mdText(s: string): string {
  return sanitize(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

export function reportMarkdown(report: Report): string[] {
  const keys = report.keys.filter((k) => k !== 'node');
  const lines: string[] = [];
  for (const s of report.sections) {
    if (s.node !== undefined) {
      if (lines.length > 0) lines.push('');
      lines.push(`### ${mdText(s.node)}`, '');
    }
    lines.push('| ' + keys.join(' | ') + ' |');
    lines.push('|' + keys.map((k) => (LABEL_KEYS.has(k) ? ' --- ' : ' ---: ')).join('|') + '|');
    const cell = (c: Cell) => (typeof c === 'string' ? mdText(c) : plainCell(c));
    for (const row of s.rows) lines.push('| ' + keys.map((k) => cell(row[k] ?? null)).join(' | ') + ' |');
    const bold = (v: string) => (v === '' ? '' : `**${v}**`);
    lines.push(
      '| ' +
        keys
          .map((k, i) => (i === 0 ? '**total**' : LABEL_KEYS.has(k) ? '' : bold(plainCell(s.total[k] ?? null))))
          .join(' | ') +
        ' |',
    );
  }
  return lines;
}
