/**
 * The history options shared by `replay --db`, `report` and the live tail's
 * `--since`: which node of the store and which time range (pure; `nowMs` is
 * an argument). A range that does not start before it ends, or an empty
 * `--node`, is a usage error.
 */
import { usageError } from '../errors.js';
import { parseTimeArg } from './time-arg.js';

export interface HistoryRangeOptions {
  readonly node?: string;
  readonly since?: string;
  readonly until?: string;
}

export interface HistoryRange {
  readonly node?: string;
  /** Unix ns, lnd's clock. */
  readonly sinceNs?: bigint;
  readonly untilNs?: bigint;
}

export function resolveHistoryRange(opts: HistoryRangeOptions, nowMs: number): HistoryRange {
  const sinceNs = opts.since === undefined ? undefined : parseTimeArg(opts.since, '--since', nowMs);
  const untilNs = opts.until === undefined ? undefined : parseTimeArg(opts.until, '--until', nowMs);
  if (sinceNs !== undefined && untilNs !== undefined && sinceNs >= untilNs) {
    throw usageError(
      `--since ${JSON.stringify(opts.since)} is not before --until ${JSON.stringify(opts.until)}; give a range that starts before it ends`,
    );
  }
  if (opts.node !== undefined && opts.node.trim() === '')
    throw usageError('--node needs a pubkey, alias or name; e.g. --node mynode');
  return {
    ...(opts.node !== undefined ? { node: opts.node } : {}),
    ...(sinceNs !== undefined ? { sinceNs } : {}),
    ...(untilNs !== undefined ? { untilNs } : {}),
  };
}
