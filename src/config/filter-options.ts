/**
 * The filter options (SPEC, "Filters") parsed into a FilterSpec, which
 * events/filter.ts matches: every usage error about them (exit 2, naming the
 * option and what it allows) comes from here.
 *
 * - `--type`, `--event`: names from fixed lists, case-insensitive, comma lists
 *   or repeated (OR).
 * - `--channel/--in-channel/--out-channel ID`: config/channel-refs.ts.
 * - `--reason NAME`: config/reason.ts; implies --failures.
 * - `--min-amount SAT`: satoshis with at most 3 decimals, kept as exact msat.
 * - `--count N`: a positive whole number.
 * - A channel given as a peer alias where no aliases can be looked up
 *   (`--no-aliases`, `replay`) is refused by refuseAliasChannels, once for all
 *   of them.
 */
import { usageError } from '../errors.js';
import {
  DEFAULT_EVENTS,
  FILTER_EVENTS,
  FILTER_TYPES,
  specAliases,
  type FilterSpec,
  type ReasonSpec,
} from '../events/filter.js';
import type { EventKind } from '../events/model.js';
import { compileChannels } from './channel-refs.js';
import { splitList } from './option-list.js';
import { parseReasons } from './reason.js';
import type { FilterOptions } from './raw-options.js';
import { parsePositiveInt } from './values.js';

export type { FilterOptions } from './raw-options.js';

const show = (s: string): string => JSON.stringify(s);

function compileNames<T extends string>(
  v: string | readonly string[] | undefined,
  option: string,
  allowed: readonly T[],
): Set<T> | undefined {
  const items = splitList(v, option);
  if (!items) return undefined;
  const out = new Set<T>();
  for (const it of items) {
    const name = it.toLowerCase() as T;
    if (!allowed.includes(name)) {
      throw usageError(
        `${option} ${show(it)} is not known; use one or more of ${allowed.join(', ')} (comma-separated or repeated)`,
      );
    }
    out.add(name);
  }
  return out;
}

/**
 * `--min-amount SAT`: a non-negative decimal number of satoshis with at most 3
 * decimals (msat precision), returned as exact msat.
 */
export function parseSatToMsat(text: string, option = '--min-amount'): bigint {
  const t = text.trim();
  const m = /^(\d+)(?:\.(\d{0,3}))?$/.exec(t);
  if (!m) {
    const why = /^\d+\.\d{4,}$/.test(t) ? 'has more than 3 decimals (1 msat = 0.001 sat)' : 'is not an amount';
    throw usageError(`${option} ${show(text)} ${why}; give satoshis, e.g. ${option} 1000 or ${option} 0.5`);
  }
  const frac = (m[2] ?? '').padEnd(3, '0');
  return BigInt(m[1]!) * 1000n + BigInt(frac);
}

/**
 * Compiles the filter options. Throws a usage error (exit 2) naming the option
 * and the allowed values. `reasons` is --reason as config/reason.ts parsed it.
 */
export function compileFilterSpec(o: FilterOptions, reasons: ReasonSpec | null = null): FilterSpec {
  const types = compileNames(o.type, '--type', FILTER_TYPES) ?? null;
  const events = compileNames<EventKind>(o.event, '--event', FILTER_EVENTS) ?? DEFAULT_EVENTS;
  return Object.freeze({
    types,
    events,
    channel: compileChannels(o.channel, '--channel'),
    inChannel: compileChannels(o.inChannel, '--in-channel'),
    outChannel: compileChannels(o.outChannel, '--out-channel'),
    failures: o.failures === true || reasons !== null,
    minAmountMsat: o.minAmount === undefined ? null : parseSatToMsat(o.minAmount),
    reasons,
  });
}

/**
 * Refuses a spec that names a channel by peer alias where aliases cannot be
 * looked up: a usage error for the first such alias, worded by `message`.
 */
export function refuseAliasChannels(spec: FilterSpec, message: (option: string, quotedAlias: string) => string): void {
  const first = specAliases(spec)[0];
  if (first) throw usageError(message(first.option, show(first.alias)));
}

/** The filters and --count of a run. `aliases`: whether peer aliases can be looked up (else an alias channel is refused). */
export function resolveFilters(
  raw: FilterOptions,
  aliases: boolean,
): { filter: FilterSpec; count: number | undefined } {
  const count = raw.count === undefined ? undefined : parsePositiveInt(raw.count, '--count', '10');
  const filter = compileFilterSpec(raw, parseReasons(raw.reason));
  if (!aliases) {
    refuseAliasChannels(
      filter,
      (option, alias) =>
        `${option} ${alias} is a peer alias (not a channel id or BLOCKxTXxOUT), but --no-aliases turns alias lookups off; drop --no-aliases or give the channel id`,
    );
  }
  return { filter, count };
}
