/**
 * The event filter (SPEC, "Filters"): a FilterSpec (parsed from the options
 * by config/filter-options.ts) made into one predicate over output items.
 * Pure matching: no option names, no parsing.
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
 * - `--channel/--in-channel/--out-channel ID`: channel ids match the event's
 *   ids; a peer alias is compared case-insensitively with the alias
 *   enrichment put on the event, else with the `lookupAlias` function given
 *   to makeFilter.
 * - `--failures`: link_fail, forward_fail, and final_htlc with settled false.
 * - `--reason NAME`: link_fail events whose wire_failure or failure_detail
 *   is one of the names (parsed in config/reason.ts). Only link_fail carries
 *   a reason: forward_fail (failed further along, lnd says no reason) and
 *   final_htlc events do not pass. Implies --failures.
 * - `--min-amount SAT`: the event's known amount (its own HtlcInfo, else the
 *   HtlcInfo correlation copied from its HTLC's first event), the larger of
 *   incoming and outgoing, at least SAT; events with no known amount drop.
 */
import { EVENT_TYPE } from './enums.js';
import type { EventKind, HtlcEvent, HtlcInfo, OutputItem } from './model.js';

/** The channels of `--channel`, `--in-channel` or `--out-channel`. */
export interface ChannelRefs {
  /** Decimal channel ids. */
  readonly ids: ReadonlySet<string>;
  /** Peer aliases, lower-cased (matched case-insensitively). */
  readonly aliases: readonly string[];
  /** The same aliases as the user typed them, for messages. */
  readonly aliasesAsGiven: readonly string[];
}

export const FILTER_TYPES = ['send', 'receive', 'forward', 'unknown'] as const;
export type FilterTypeName = (typeof FILTER_TYPES)[number];

/** The kinds `--event` accepts: SPEC's list, plus `unknown` (an event with no oneof member). */
export const FILTER_EVENTS = [
  'forward',
  'forward_fail',
  'settle',
  'link_fail',
  'final_htlc',
  'subscribed',
  'unknown',
] as const;

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

const TYPE_BY_NUMBER: Readonly<Record<number, FilterTypeName>> = {
  [EVENT_TYPE.SEND]: 'send',
  [EVENT_TYPE.RECEIVE]: 'receive',
  [EVENT_TYPE.FORWARD]: 'forward',
};

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
      if (t === EVENT_TYPE.UNKNOWN) t = e.corr?.firstEventType ?? EVENT_TYPE.UNKNOWN;
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
    return (item) => item.event === 'gap' || only(item);
  }
  const n = checks.length;
  return (item) => {
    if (item.event === 'gap') return true;
    const e = item;
    for (let i = 0; i < n; i++) if (!checks[i]!(e)) return false;
    return true;
  };
}
