/**
 * Test builders for normalized HTLC events. `makeHtlc(overrides)` gives a
 * FORWARD `forward` event with sensible ids, timestamp and HtlcInfo; the kind
 * helpers give the other kinds with the fields lnd sets for them.
 */
import type { HtlcEvent, HtlcInfo } from '../../src/events/model.js';
import { EVENT_TYPE } from '../../src/events/enums.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type HtlcOverrides = Partial<Mutable<HtlcEvent>>;

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

/** A base time (lnd's clock, Unix ns) and helpers. */
export const T0 = 1_754_000_000_000_000_000n;
export const MS = 1_000_000n;
export const SEC = 1_000_000_000n;
export function at(offsetNs: bigint): string {
  return (T0 + offsetNs).toString();
}

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

/** A FORWARD `forward` event A:1 → B:1 at T0, 1,001,000 → 1,000,000 msat. */
export function makeHtlc(overrides: HtlcOverrides = {}): HtlcEvent {
  const base: Mutable<HtlcEvent> = {
    event: 'forward',
    eventType: EVENT_TYPE.FORWARD,
    timestampNs: T0.toString(),
    incomingChannelId: CH.A,
    outgoingChannelId: CH.B,
    incomingHtlcId: '1',
    outgoingHtlcId: '1',
    info: htlcInfo(1_001_000, 1_000_000),
  };
  return { ...base, ...overrides };
}

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
  const { info: _drop, ...rest } = makeHtlc({ ...idFields(ids), event: 'settle', timestampNs: at(tsNs) });
  return { ...rest, preimage: new Uint8Array(32).fill(7), ...o };
}

export function forwardFail(ids: Ids, tsNs: bigint, o: HtlcOverrides = {}): HtlcEvent {
  const { info: _drop, ...rest } = makeHtlc({ ...idFields(ids), event: 'forward_fail', timestampNs: at(tsNs) });
  return { ...rest, ...o };
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
  const { info: _drop, ...rest } = makeHtlc({
    event: 'final_htlc',
    eventType: EVENT_TYPE.UNKNOWN,
    timestampNs: at(tsNs),
    incomingChannelId: inCh,
    incomingHtlcId: String(inId),
    outgoingChannelId: '0',
    outgoingHtlcId: '0',
  });
  return { ...rest, settled, offchain: true, ...o };
}

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
