/**
 * The event filter (SPEC, "Filters"): compiled once from the options into a
 * FilterSpec, then into one predicate over output items.
 *
 * - AND across options; a comma list or a repeated option means OR.
 * - Gap markers always pass (they are not HTLC events).
 * - `--type send,receive,forward,unknown` matches the event's own event_type;
 *   an event whose own type is UNKNOWN (final_htlc always is) is matched by the
 *   type of its HTLC's first event when correlation knows it, so
 *   `--type forward` keeps the final_htlc of a forward. `unknown` matches
 *   UNKNOWN and any number this tool does not know.
 * - `--event`: default every kind but `subscribed`; events with no oneof member
 *   (`unknown`) pass the default; `unknown` may also be listed.
 * - `--channel/--in-channel/--out-channel ID`: a decimal channel id or a
 *   BLOCKxTXxOUT short channel id (a text of digits and `x` or `:` that is
 *   neither, such as `123:1:0` or `1x2`, is a usage error); anything else is a peer alias, compared
 *   case-insensitively with the alias enrichment put on the event, else with
 *   the `lookupAlias` function given to makeFilter.
 * - `--failures`: link_fail, forward_fail, and final_htlc with settled false.
 * - `--reason NAME`: link_fail events whose wire_failure or failure_detail
 *   is one of the names (parsed in config/reason.ts). Only link_fail carries
 *   a reason: forward_fail (failed further along, lnd says no reason) and
 *   final_htlc events do not pass. Implies --failures.
 * - `--min-amount SAT`: the event's known amount (its own HtlcInfo, else the
 *   HtlcInfo correlation copied from its HTLC's first event), the larger of
 *   incoming and outgoing, at least SAT; events with no known amount drop.
 */
import { usageError } from '../errors.js';
import type { EventKind, HtlcEvent, HtlcInfo, OutputItem } from './model.js';
import { compileChannels, type ChannelRefs } from './channel-refs.js';
import { splitList } from './option-list.js';

export { splitList } from './option-list.js';

export type { ChannelRefs } from './channel-refs.js';

export const FILTER_TYPES = ['send', 'receive', 'forward', 'unknown'] as const;
export type FilterTypeName = (typeof FILTER_TYPES)[number];

/** The kinds `--event` accepts: SPEC's list, plus `unknown` (an event with no oneof member). */
export const FILTER_EVENTS = ['forward', 'forward_fail', 'settle', 'link_fail', 'final_htlc', 'subscribed', 'unknown'] as const;

/** `--event` when not given: every kind but `subscribed`. */
export const DEFAULT_EVENTS: ReadonlySet<EventKind> = new Set<EventKind>(
  FILTER_EVENTS.filter((k) => k !== 'subscribed'),
);

/** `--reason`: the failure codes to keep (lnd's enum numbers), and the names as given (lower case). */
export interface ReasonSpec {
  readonly wireFailures: ReadonlySet<number>;
  readonly failureDetails: ReadonlySet<number>;
  readonly names: readonly string[];
}

export interface FilterSpec {
  /** null: every type. */
  readonly types: ReadonlySet<FilterTypeName> | null;
  readonly events: ReadonlySet<EventKind>;
  /** Either side; null when not given. */
  readonly channel: ChannelRefs | null;
  readonly inChannel: ChannelRefs | null;
  readonly outChannel: ChannelRefs | null;
  readonly failures: boolean;
  /** Exact minimum in msat; null when --min-amount is not given. */
  readonly minAmountMsat: bigint | null;
  /** --reason; null when not given. */
  readonly reasons?: ReasonSpec | null;
}

/** The filter options as the CLI hands them down (strings, comma lists, repeats). */
export interface FilterOptions {
  readonly type?: string | readonly string[];
  readonly event?: string | readonly string[];
  readonly channel?: string | readonly string[];
  readonly inChannel?: string | readonly string[];
  readonly outChannel?: string | readonly string[];
  readonly failures?: boolean;
  readonly minAmount?: string;
}

/** A spec that keeps what SPEC keeps with no filter options: everything but `subscribed`. */
export const DEFAULT_FILTER_SPEC: FilterSpec = Object.freeze({
  types: null,
  events: DEFAULT_EVENTS,
  channel: null,
  inChannel: null,
  outChannel: null,
  failures: false,
  minAmountMsat: null,
  reasons: null,
});

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
      throw usageError(`${option} ${show(it)} is not known; use one or more of ${allowed.join(', ')} (comma-separated or repeated)`);
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

/** Whether a spec names any channel by peer alias (which needs alias lookups). */
export function specUsesAliases(spec: FilterSpec): boolean {
  return [spec.channel, spec.inChannel, spec.outChannel].some((c) => c !== null && c.aliases.length > 0);
}

/** The alias references of a spec with their option, as typed, for messages. */
export function specAliases(spec: FilterSpec): Array<{ option: string; alias: string }> {
  const sides: Array<[string, ChannelRefs | null]> = [
    ['--channel', spec.channel],
    ['--in-channel', spec.inChannel],
    ['--out-channel', spec.outChannel],
  ];
  return sides.flatMap(([option, c]) => (c ? c.aliasesAsGiven.map((alias) => ({ option, alias })) : []));
}

/** The peer alias of a channel (e.g. from ListChannels), undefined when not known. */
export type AliasLookup = (channelId: string) => string | undefined;

/** The HtlcInfo that gives an event's amount: its own, else the one correlation copied from its HTLC's first event. */
export function knownInfo(e: HtlcEvent): HtlcInfo | undefined {
  return e.info ?? e.corr?.info ?? undefined;
}

/** Decimal string compare without BigInt: a ≥ b for non-negative integers. */
function decGte(a: string, b: string): boolean {
  if (a.length > 1 && a[0] === '0') a = a.replace(/^0+(?=\d)/, '');
  if (a.length !== b.length) return a.length > b.length;
  return a >= b;
}

const TYPE_BY_NUMBER: Readonly<Record<number, FilterTypeName>> = { 1: 'send', 2: 'receive', 3: 'forward' };

type Check = (e: HtlcEvent) => boolean;

function channelCheck(
  refs: ChannelRefs,
  sides: ReadonlyArray<'in' | 'out'>,
  lookupAlias: AliasLookup | undefined,
): Check {
  const { ids } = refs;
  const aliases = refs.aliases;
  const aliasOf = (e: HtlcEvent, side: 'in' | 'out'): string | undefined => {
    const own = side === 'in' ? e.incomingAlias : e.outgoingAlias;
    if (own !== undefined) return own;
    const id = side === 'in' ? e.incomingChannelId : e.outgoingChannelId;
    return id !== '0' && lookupAlias ? lookupAlias(id) : undefined;
  };
  const matchSide = (e: HtlcEvent, side: 'in' | 'out'): boolean => {
    if (ids.has(side === 'in' ? e.incomingChannelId : e.outgoingChannelId)) return true;
    if (aliases.length === 0) return false;
    const a = aliasOf(e, side);
    return a !== undefined && a !== '' && aliases.includes(a.normalize('NFC').toLowerCase());
  };
  if (sides.length === 2) return (e) => matchSide(e, 'in') || matchSide(e, 'out');
  const side = sides[0]!;
  return (e) => matchSide(e, side);
}

/**
 * The predicate for a spec: true keeps the item. Everything is precomputed;
 * without --min-amount no amount is looked at, and amounts are compared as
 * decimal strings (exact, no BigInt per event).
 */
export function makeFilter(spec: FilterSpec, lookupAlias?: AliasLookup): (item: OutputItem) => boolean {
  const checks: Check[] = [];

  const events = spec.events;
  checks.push((e) => events.has(e.event));

  if (spec.types) {
    const send = spec.types.has('send');
    const receive = spec.types.has('receive');
    const forward = spec.types.has('forward');
    const unknown = spec.types.has('unknown');
    checks.push((e) => {
      let t = e.eventType;
      if (t === 0) t = e.corr?.firstEventType ?? 0;
      switch (TYPE_BY_NUMBER[t]) {
        case 'send':
          return send;
        case 'receive':
          return receive;
        case 'forward':
          return forward;
        default:
          return unknown;
      }
    });
  }

  if (spec.failures) {
    checks.push(
      (e) => e.event === 'link_fail' || e.event === 'forward_fail' || (e.event === 'final_htlc' && e.settled === false),
    );
  }

  if (spec.reasons) {
    const wire = spec.reasons.wireFailures;
    const detail = spec.reasons.failureDetails;
    checks.push((e) => e.event === 'link_fail' && (wire.has(e.wireFailure ?? 0) || detail.has(e.failureDetail ?? 0)));
  }

  if (spec.channel) checks.push(channelCheck(spec.channel, ['in', 'out'], lookupAlias));
  if (spec.inChannel) checks.push(channelCheck(spec.inChannel, ['in'], lookupAlias));
  if (spec.outChannel) checks.push(channelCheck(spec.outChannel, ['out'], lookupAlias));

  if (spec.minAmountMsat !== null) {
    const min = spec.minAmountMsat.toString();
    checks.push((e) => {
      const info = knownInfo(e);
      if (!info) return false;
      return decGte(info.incomingAmtMsat, min) || decGte(info.outgoingAmtMsat, min);
    });
  }

  if (checks.length === 1) {
    const only = checks[0]!;
    return (item) => item.event === 'gap' || only(item as HtlcEvent);
  }
  const n = checks.length;
  return (item) => {
    if (item.event === 'gap') return true;
    const e = item as HtlcEvent;
    for (let i = 0; i < n; i++) if (!checks[i]!(e)) return false;
    return true;
  };
}
