/**
 * `htlc-tail report`'s options, resolved and validated (pure): which database,
 * which node, the time range, the grouping and the format.
 */
import { REPORT_BY, REPORT_FORMATS, type ReportBy, type ReportFormat } from '../report/columns.js';
import { historyDbLocation, type HistoryDbLocation } from './history-db.js';
import type { Env } from './paths.js';
import { resolveHistoryRange } from './history-range.js';
import { parseChoice } from './values.js';

export interface ReportConfig {
  readonly db: HistoryDbLocation;
  readonly node?: string;
  readonly sinceNs?: bigint;
  readonly untilNs?: bigint;
  readonly by: ReportBy;
  readonly format: ReportFormat;
  readonly debug: boolean;
}

export interface ReportRawOptions {
  readonly db?: string;
  readonly node?: string;
  readonly since?: string;
  readonly until?: string;
  readonly by?: string;
  readonly format?: string;
  readonly debug?: boolean;
}

export function resolveReportConfig(
  opts: ReportRawOptions,
  env: Env,
  ctx: { readonly platform: NodeJS.Platform; readonly homedir: string; readonly nowMs: number },
): ReportConfig {
  return {
    db: historyDbLocation(opts.db, env, ctx.platform, ctx.homedir),
    ...resolveHistoryRange(opts, ctx.nowMs),
    by: opts.by === undefined ? 'channel' : parseChoice(opts.by, '--by', REPORT_BY),
    format: opts.format === undefined ? 'table' : parseChoice(opts.format, '--format', REPORT_FORMATS),
    debug: opts.debug === true,
  };
}
