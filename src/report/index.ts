/** The report: aggregation over a store, and its four renderings. */
import type { Report, ReportFormat } from './columns.js';
import { reportCsv, reportJsonl, reportMarkdown } from './render.js';
import { reportTable } from './render-table.js';

export { buildReport, type ReportQuery } from './aggregate.js';
export {
  REPORT_BY,
  REPORT_FORMATS,
  REPORT_KEYS,
  type Report,
  type ReportBy,
  type ReportFormat,
  type ReportRow,
  type Cell,
} from './columns.js';

export function renderReport(report: Report, format: ReportFormat): string[] {
  switch (format) {
    case 'table':
      return reportTable(report);
    case 'jsonl':
      return reportJsonl(report);
    case 'csv':
      return reportCsv(report);
    case 'markdown':
      return reportMarkdown(report);
  }
}
