/**
 * Test builders for the event model, one module for every test.
 *
 * - `makeHtlc(overrides)`: a FORWARD `forward` event IN:42 → OUT:7 at TS with
 *   `makeHtlcInfo()`; an override replaces a field (an `info` override, null
 *   or undefined included, replaces the default HtlcInfo).
 * - `makeForward(o)`, `makeSettle(o)`, … : one event of each kind with the
 *   fields lnd sets for it, built on makeHtlc (what the filter tables use).
 * - `forward(ids, t, info)`, `settle(ids, t)`, … : events of HTLC flows, by
 *   the HTLC's ids (`fwdIds`, `sendIds`, `recvIds`) and a time offset from T0,
 *   on the channels CH.A…D (what the correlation, stats and metrics tests use).
 * - RAW_HEAD / RAW_INFO: makeHtlc()'s ids, time and HtlcInfo as lnd's JSON spells them.
 */
import { EVENT_TYPE } from '../src/events/enums.js';
import type { GapMarker, HtlcEvent, HtlcInfo } from '../src/events/model.js';
import type { Mutable } from '../src/util/mutable.js';

export type HtlcOverrides = Partial<Mutable<HtlcEvent>>;

// ---------------------------------------------------------------------------
// Channels and times

/** 830412x1903x1 */
export const IN = '913047649969438721';
/** 830502x12x0 */
export const OUT = '913146605892009984';
/** A third channel, 800000x1x0 */
export const OTHER = '879609302286336000';
/** 2023-11-14T22:13:20.123456789Z */
export const TS = '1700000000123456789';

/** A channel id from its short channel id parts. */
export function chan(block: number, tx: number, out: number): string {
  return ((BigInt(block) << 40n) | (BigInt(tx) << 16n) | BigInt(out)).toString();
}

/** Four channels of a routing node. */
export const CH = {
  A: chan(800_000, 1, 0),
  B: chan(800_001, 2, 1),
  C: chan(800_002, 3, 0),
  D: chan(800_003, 4, 1),
} as const;

/** A base time for flows (lnd's clock, Unix ns) and helpers. */
export const T0 = 1_754_000_000_000_000_000n;
export const MS = 1_000_000n;
export const SEC = 1_000_000_000n;
export function at(offsetNs: bigint): string {
  return (T0 + offsetNs).toString();
}

// ---------------------------------------------------------------------------
// HtlcInfo

/** 1,251,750 → 1,250,500 msat, timelocks 830600 → 830560. */
export function makeHtlcInfo(overrides: Partial<HtlcInfo> = {}): HtlcInfo {
  return {
    incomingTimelock: 830600,
    outgoingTimelock: 830560,
    incomingAmtMsat: '1251750',
    outgoingAmtMsat: '1250500',
    ...overrides,
  };
}

/** An HtlcInfo by its amounts (timelocks 800100 → 800060 unless given). */
export function htlcInfo(
  incomingAmtMsat: string | number,
  outgoingAmtMsat: string | number,
  incomingTimelock = 800_100,
  outgoingTimelock = 800_060,
): HtlcInfo {
  return {
    incomingAmtMsat: String(incomingAmtMsat),
    outgoingAmtMsat: String(outgoingAmtMsat),
    incomingTimelock,
    outgoingTimelock,
  };
}

// ---------------------------------------------------------------------------
// One event

/** A FORWARD `forward` event IN:42 → OUT:7 at TS; a forward or link_fail gets makeHtlcInfo() unless `info` is given. */
export function makeHtlc(overrides: HtlcOverrides = {}): HtlcEvent {
  const ev: HtlcEvent = {
    event: 'forward',
    eventType: EVENT_TYPE.FORWARD,
    timestampNs: TS,
    incomingChannelId: IN,
    outgoingChannelId: OUT,
    incomingHtlcId: '42',
    outgoingHtlcId: '7',
    ...overrides,
  };
  if ((ev.event === 'forward' || ev.event === 'link_fail') && !('info' in overrides))
    return { ...ev, info: makeHtlcInfo() };
  return ev;
}

export const makeForward = (o: HtlcOverrides = {}): HtlcEvent => makeHtlc({ event: 'forward', ...o });
export const makeSettle = (o: HtlcOverrides = {}): HtlcEvent =>
  makeHtlc({ event: 'settle', preimage: new Uint8Array(32), ...o });
export const makeForwardFail = (o: HtlcOverrides = {}): HtlcEvent => makeHtlc({ event: 'forward_fail', ...o });
export const makeLinkFail = (o: HtlcOverrides = {}): HtlcEvent =>
  makeHtlc({
    event: 'link_fail',
    wireFailure: 15,
    failureDetail: 6,
    failureString: 'insufficient bandwidth to route htlc',
    ...o,
  });
/** final_htlc: only the incoming side set, event_type UNKNOWN. */
export const makeFinalHtlc = (settled: boolean, o: HtlcOverrides = {}): HtlcEvent =>
  makeHtlc({
    event: 'final_htlc',
    eventType: EVENT_TYPE.UNKNOWN,
    outgoingChannelId: '0',
    outgoingHtlcId: '0',
    settled,
    offchain: true,
    ...o,
  });
export const makeUnknown = (o: HtlcOverrides = {}): HtlcEvent =>
  makeHtlc({ event: 'unknown', eventType: EVENT_TYPE.UNKNOWN, ...o });
export const makeGap = (): GapMarker => ({ event: 'gap', fromMs: 1, toMs: 2, reason: 'stream lost' });

/** lnd ≥ 0.16's first message: every id and the timestamp 0, UNKNOWN. */
export function subscribed(): HtlcEvent {
  return {
    event: 'subscribed',
    eventType: EVENT_TYPE.UNKNOWN,
    timestampNs: '0',
    incomingChannelId: '0',
    outgoingChannelId: '0',
    incomingHtlcId: '0',
    outgoingHtlcId: '0',
  };
}

/** makeHtlc()'s ids and time, and makeHtlcInfo(), as lnd's JSON (raw lines) spells them. */
export const RAW_HEAD = {
  incoming_channel_id: IN,
  outgoing_channel_id: OUT,
  incoming_htlc_id: '42',
  outgoing_htlc_id: '7',
  timestamp_ns: TS,
};
export const RAW_INFO = {
  incoming_timelock: 830600,
  outgoing_timelock: 830560,
  incoming_amt_msat: '1251750',
  outgoing_amt_msat: '1250500',
};

// ---------------------------------------------------------------------------
// Events of HTLC flows

/** Ids of one HTLC. */
export interface Ids {
  readonly inCh: string;
  readonly inId: string | number;
  readonly outCh: string;
  readonly outId: string | number;
  readonly type: number;
}

function idFields(ids: Ids): HtlcOverrides {
  return {
    incomingChannelId: ids.inCh,
    incomingHtlcId: String(ids.inId),
    outgoingChannelId: ids.outCh,
    outgoingHtlcId: String(ids.outId),
    eventType: ids.type,
  };
}

export function fwdIds(inCh: string, inId: number, outCh: string, outId: number): Ids {
  return { inCh, inId, outCh, outId, type: EVENT_TYPE.FORWARD };
}
export function sendIds(outCh: string, outId: number): Ids {
  return { inCh: '0', inId: 0, outCh, outId, type: EVENT_TYPE.SEND };
}
export function recvIds(inCh: string, inId: number): Ids {
  return { inCh, inId, outCh: '0', outId: 0, type: EVENT_TYPE.RECEIVE };
}

export function forward(ids: Ids, tsNs: bigint, info: HtlcInfo | null, o: HtlcOverrides = {}): HtlcEvent {
  return makeHtlc({ ...idFields(ids), event: 'forward', timestampNs: at(tsNs), info, ...o });
}

export function settle(ids: Ids, tsNs: bigint, o: HtlcOverrides = {}): HtlcEvent {
  return makeHtlc({
    ...idFields(ids),
    event: 'settle',
    timestampNs: at(tsNs),
    preimage: new Uint8Array(32).fill(7),
    ...o,
  });
}

export function forwardFail(ids: Ids, tsNs: bigint, o: HtlcOverrides = {}): HtlcEvent {
  return makeHtlc({ ...idFields(ids), event: 'forward_fail', timestampNs: at(tsNs), ...o });
}

export function linkFail(
  ids: Ids,
  tsNs: bigint,
  info: HtlcInfo | null,
  wireFailure: number,
  failureDetail: number,
  o: HtlcOverrides = {},
): HtlcEvent {
  return makeHtlc({
    ...idFields(ids),
    event: 'link_fail',
    timestampNs: at(tsNs),
    info,
    wireFailure,
    failureDetail,
    failureString: 'insufficient bandwidth to route htlc',
    ...o,
  });
}

/** final_htlc: only the incoming ids, event_type UNKNOWN. */
export function final(inCh: string, inId: number, tsNs: bigint, settled: boolean, o: HtlcOverrides = {}): HtlcEvent {
  return makeHtlc({
    event: 'final_htlc',
    eventType: EVENT_TYPE.UNKNOWN,
    timestampNs: at(tsNs),
    incomingChannelId: inCh,
    incomingHtlcId: String(inId),
    outgoingChannelId: '0',
    outgoingHtlcId: '0',
    settled,
    offchain: true,
    ...o,
  });
}
