/**
 * The history options of `record` and `--record` (pure): which database
 * (config/history-db.ts) and how many days to keep (`--retain DAYS`).
 */
import { usageError } from '../errors.js';
import { historyDbLocation, type HistoryDbLocation } from './history-db.js';
import type { Env } from './paths.js';

export interface RecordSettings {
  readonly db: HistoryDbLocation;
  /** Events older than this many days are deleted; undefined keeps everything. */
  readonly retainDays?: number;
}

/** `--retain DAYS`: a positive number of days (decimals allowed: 0.5 is twelve hours). */
export function parseRetainDays(value: string): number {
  const v = value.trim();
  const days = /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  if (!(days > 0) || days > 1e6) {
    throw usageError(
      `--retain ${JSON.stringify(value)} is not a number of days; give a positive number, e.g. --retain 90 (or leave it out to keep everything)`,
    );
  }
  return days;
}

export function resolveRecordSettings(
  opts: { readonly db?: string; readonly retain?: string },
  env: Env,
  ctx: { readonly platform: NodeJS.Platform; readonly homedir: string },
): RecordSettings {
  return {
    db: historyDbLocation(opts.db, env, ctx.platform, ctx.homedir),
    ...(opts.retain !== undefined ? { retainDays: parseRetainDays(opts.retain) } : {}),
  };
}
