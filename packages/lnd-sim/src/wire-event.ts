/**
 * The simulator's own representation of lnd's routerrpc.HtlcEvent: exact
 * 64-bit values (bigint), enums as numbers, the oneof as a tagged member.
 * Every transport encodes from this (gRPC: encode-wire.ts); scenarios are
 * written in proto-loader's object shape and converted with `fromProtoObject`.
 */
import { EVENT_TYPE, EVENT_TYPE_NUMBERS, FAILURE_CODE_NUMBERS, FAILURE_DETAIL_NUMBERS } from './enums.js';

export { EVENT_TYPE };

export interface WireHtlcInfo {
  readonly incomingTimelock: number;
  readonly outgoingTimelock: number;
  readonly incomingAmtMsat: bigint;
  readonly outgoingAmtMsat: bigint;
}

export type WireMember =
  | { readonly kind: 'forward'; readonly info: WireHtlcInfo | null }
  | { readonly kind: 'forward_fail' }
  | { readonly kind: 'settle'; readonly preimage: Uint8Array }
  | {
      readonly kind: 'link_fail';
      readonly info: WireHtlcInfo | null;
      readonly wireFailure: number;
      readonly failureDetail: number;
      readonly failureString: string;
    }
  | { readonly kind: 'subscribed' }
  | { readonly kind: 'final_htlc'; readonly settled: boolean; readonly offchain: boolean }
  | { readonly kind: 'none' };

export interface WireHtlcEvent {
  readonly incomingChannelId: bigint;
  readonly outgoingChannelId: bigint;
  readonly incomingHtlcId: bigint;
  readonly outgoingHtlcId: bigint;
  readonly timestampNs: bigint;
  /** HtlcEvent.EventType: 0 UNKNOWN, 1 SEND, 2 RECEIVE, 3 FORWARD. */
  readonly eventType: number;
  readonly member: WireMember;
}

/** The first message of every stream since lnd 0.16: all ids and the timestamp 0, UNKNOWN. */
export function subscribedEvent(): WireHtlcEvent {
  return {
    incomingChannelId: 0n,
    outgoingChannelId: 0n,
    incomingHtlcId: 0n,
    outgoingHtlcId: 0n,
    timestampNs: 0n,
    eventType: EVENT_TYPE.UNKNOWN,
    member: { kind: 'subscribed' },
  };
}

/** A uint64 in proto-loader form: decimal string (or a safe integer, or bigint). */
export type U64Input = string | number | bigint;

export interface HtlcInfoObject {
  incoming_timelock?: number;
  outgoing_timelock?: number;
  incoming_amt_msat?: U64Input;
  outgoing_amt_msat?: U64Input;
}

/**
 * An HtlcEvent as @grpc/proto-loader represents it (keepCase, longs as
 * strings): the form scenario files use. Enums may be names or numbers; bytes
 * are base64 text (as protojson) or a Buffer. A missing `timestamp_ns` means
 * "now" when sent.
 */
export interface HtlcEventObject {
  incoming_channel_id?: U64Input;
  outgoing_channel_id?: U64Input;
  incoming_htlc_id?: U64Input;
  outgoing_htlc_id?: U64Input;
  timestamp_ns?: U64Input;
  event_type?: string | number;
  forward_event?: { info?: HtlcInfoObject | null };
  forward_fail_event?: Record<string, never>;
  settle_event?: { preimage?: string | Uint8Array };
  link_fail_event?: {
    info?: HtlcInfoObject | null;
    wire_failure?: string | number;
    failure_detail?: string | number;
    failure_string?: string;
  };
  subscribed_event?: Record<string, never>;
  final_htlc_event?: { settled?: boolean; offchain?: boolean };
  /** proto-loader's `oneofs: true` virtual field; ignored on input. */
  event?: string;
}

const U64_MAX = (1n << 64n) - 1n;

function u64(v: U64Input | undefined, field: string): bigint {
  if (v === undefined || v === null) return 0n;
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number') {
    if (!Number.isSafeInteger(v))
      throw new Error(`${field}: ${v} is not an exact integer; write 64-bit values as strings`);
    b = BigInt(v);
  } else if (/^\d+$/.test(v)) b = BigInt(v);
  else throw new Error(`${field}: ${JSON.stringify(v)} is not a decimal uint64`);
  if (b < 0n || b > U64_MAX) throw new Error(`${field}: out of uint64 range`);
  return b;
}

function u32(v: number | undefined, field: string): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`${field}: ${v} is not a uint32`);
  return v;
}

function enumValue(v: string | number | undefined, names: ReadonlyMap<string, number>, field: string): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new Error(`${field}: ${v} is not an int32`);
    return v;
  }
  const n = names.get(v);
  if (n === undefined) throw new Error(`${field}: unknown name ${JSON.stringify(v)}`);
  return n;
}

function info(o: HtlcInfoObject | null | undefined, field: string): WireHtlcInfo | null {
  if (o === undefined || o === null) return null;
  return {
    incomingTimelock: u32(o.incoming_timelock, `${field}.incoming_timelock`),
    outgoingTimelock: u32(o.outgoing_timelock, `${field}.outgoing_timelock`),
    incomingAmtMsat: u64(o.incoming_amt_msat, `${field}.incoming_amt_msat`),
    outgoingAmtMsat: u64(o.outgoing_amt_msat, `${field}.outgoing_amt_msat`),
  };
}

function bytes(v: string | Uint8Array | undefined): Uint8Array {
  if (v === undefined) return new Uint8Array(0);
  if (typeof v !== 'string') return v;
  return Buffer.from(v, 'base64');
}

const MEMBER_FIELDS = [
  'forward_event',
  'forward_fail_event',
  'settle_event',
  'link_fail_event',
  'subscribed_event',
  'final_htlc_event',
] as const;

/**
 * Converts an HtlcEvent in proto-loader object form into the simulator's form.
 * `nowNs` fills a missing timestamp. Throws on values lnd could not send.
 */
export function fromProtoObject(o: HtlcEventObject, nowNs: bigint): WireHtlcEvent {
  const set = MEMBER_FIELDS.filter((f) => o[f] !== undefined && o[f] !== null);
  if (set.length > 1) throw new Error(`more than one oneof member set: ${set.join(', ')}`);
  let member: WireMember = { kind: 'none' };
  if (o.forward_event) member = { kind: 'forward', info: info(o.forward_event.info, 'forward_event.info') };
  else if (o.forward_fail_event) member = { kind: 'forward_fail' };
  else if (o.settle_event) member = { kind: 'settle', preimage: bytes(o.settle_event.preimage) };
  else if (o.link_fail_event) {
    const l = o.link_fail_event;
    member = {
      kind: 'link_fail',
      info: info(l.info, 'link_fail_event.info'),
      wireFailure: enumValue(l.wire_failure, FAILURE_CODE_NUMBERS, 'link_fail_event.wire_failure'),
      failureDetail: enumValue(l.failure_detail, FAILURE_DETAIL_NUMBERS, 'link_fail_event.failure_detail'),
      failureString: l.failure_string ?? '',
    };
  } else if (o.subscribed_event) member = { kind: 'subscribed' };
  else if (o.final_htlc_event) {
    member = { kind: 'final_htlc', settled: !!o.final_htlc_event.settled, offchain: !!o.final_htlc_event.offchain };
  }
  return {
    incomingChannelId: u64(o.incoming_channel_id, 'incoming_channel_id'),
    outgoingChannelId: u64(o.outgoing_channel_id, 'outgoing_channel_id'),
    incomingHtlcId: u64(o.incoming_htlc_id, 'incoming_htlc_id'),
    outgoingHtlcId: u64(o.outgoing_htlc_id, 'outgoing_htlc_id'),
    timestampNs: o.timestamp_ns === undefined ? nowNs : u64(o.timestamp_ns, 'timestamp_ns'),
    eventType: enumValue(o.event_type, EVENT_TYPE_NUMBERS, 'event_type'),
    member,
  };
}

function infoObject(i: WireHtlcInfo | null): Required<HtlcInfoObject> | null {
  if (!i) return null;
  return {
    incoming_timelock: i.incomingTimelock,
    outgoing_timelock: i.outgoingTimelock,
    incoming_amt_msat: i.incomingAmtMsat.toString(),
    outgoing_amt_msat: i.outgoingAmtMsat.toString(),
  };
}

/** The event in proto-loader object form (uint64 as strings, enums as numbers, bytes as Buffer). */
export function toProtoObject(e: WireHtlcEvent): HtlcEventObject {
  const o: HtlcEventObject = {
    incoming_channel_id: e.incomingChannelId.toString(),
    outgoing_channel_id: e.outgoingChannelId.toString(),
    incoming_htlc_id: e.incomingHtlcId.toString(),
    outgoing_htlc_id: e.outgoingHtlcId.toString(),
    timestamp_ns: e.timestampNs.toString(),
    event_type: e.eventType,
  };
  const m = e.member;
  switch (m.kind) {
    case 'forward':
      o.forward_event = { info: infoObject(m.info) };
      break;
    case 'forward_fail':
      o.forward_fail_event = {};
      break;
    case 'settle':
      o.settle_event = { preimage: Buffer.from(m.preimage) };
      break;
    case 'link_fail':
      o.link_fail_event = {
        info: infoObject(m.info),
        wire_failure: m.wireFailure,
        failure_detail: m.failureDetail,
        failure_string: m.failureString,
      };
      break;
    case 'subscribed':
      o.subscribed_event = {};
      break;
    case 'final_htlc':
      o.final_htlc_event = { settled: m.settled, offchain: m.offchain };
      break;
    case 'none':
      break;
  }
  return o;
}
