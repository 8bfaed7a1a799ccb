/**
 * The live tail's `--since TIME` / `--tail N` (SPEC "History"): print this
 * node's recorded events first, then go on live. Pure: environment, platform,
 * home directory and the time are arguments. Both at once is a usage error;
 * neither: no history (undefined), whatever `--db` says (it also names the
 * database `--record` writes).
 */
import { usageError } from '../errors.js';
import { historyDbLocation, type HistoryDbLocation } from './history-db.js';
import type { Env } from './paths.js';
import { parseTimeArg } from './time-arg.js';
import { parsePositiveInt } from './values.js';

/** What to print first: the events since a time (lnd's clock, Unix ns), or the last N. */
export type TailHistorySelection = { readonly sinceNs: bigint } | { readonly last: number };

export interface TailHistoryConfig {
  readonly db: HistoryDbLocation;
  readonly select: TailHistorySelection;
  /** The option given, for messages: `--since` or `--tail`. */
  readonly option: '--since' | '--tail';
}

export interface TailHistoryOptions {
  readonly db?: string;
  readonly since?: string;
  readonly tail?: string;
}

export function resolveTailHistory(
  opts: TailHistoryOptions,
  env: Env,
  ctx: { readonly platform: NodeJS.Platform; readonly homedir: string; readonly nowMs: number },
): TailHistoryConfig | undefined {
  if (opts.since !== undefined && opts.tail !== undefined) {
    throw usageError('--since and --tail both choose the recorded events to print first; give one of them');
  }
  let select: TailHistorySelection;
  if (opts.since !== undefined) select = { sinceNs: parseTimeArg(opts.since, '--since', ctx.nowMs) };
  else if (opts.tail !== undefined) select = { last: parsePositiveInt(opts.tail, '--tail', '100') };
  else return undefined;
  return {
    db: historyDbLocation(opts.db, env, ctx.platform, ctx.homedir),
    select,
    option: opts.since !== undefined ? '--since' : '--tail',
  };
}
