/**
 * lnd's HtlcEvent in protobuf wire format (what the gRPC stream carries),
 * decoded straight into the event model, without an intermediate object.
 *
 * Input: the bytes of one `routerrpc.HtlcEvent` message.
 * Output: an HtlcEvent (events/model.ts). uint64 fields become exact decimal
 * strings; enums stay numbers (names are looked up when formatting); unknown
 * fields, and known fields of an unexpected wire type, are skipped, as proto3
 * requires. A field that appears more than once: the last one wins (a oneof
 * member replaces the one before it, as in every protobuf runtime).
 *
 * Throws WireError on truncated or malformed input.
 *
 * This is the hot path of a busy stream: it allocates the cursor, the event
 * (and its HtlcInfo and strings) and nothing else. It is tested field by
 * field against protobufjs (test/codec/wire-decode.test.ts), which it
 * replaces because it is several times faster (README, Performance).
 */
import type { EventKind, HtlcEvent, HtlcInfo } from '../../events/model.js';
import type { Mutable } from '../../util/mutable.js';
import { tag, WireCursor, WireType } from './cursor.js';
import {
  FinalHtlcEventField,
  ForwardEventField,
  HtlcEventField,
  HtlcInfoField,
  LinkFailEventField,
  SettleEventField,
} from './router-fields.js';
import { U64StringCache } from './u64-decimal.js';

export { WireError } from './cursor.js';

const { VARINT, LEN } = WireType;

const INCOMING_CHANNEL_ID = tag(HtlcEventField.INCOMING_CHANNEL_ID, VARINT);
const OUTGOING_CHANNEL_ID = tag(HtlcEventField.OUTGOING_CHANNEL_ID, VARINT);
const INCOMING_HTLC_ID = tag(HtlcEventField.INCOMING_HTLC_ID, VARINT);
const OUTGOING_HTLC_ID = tag(HtlcEventField.OUTGOING_HTLC_ID, VARINT);
const TIMESTAMP_NS = tag(HtlcEventField.TIMESTAMP_NS, VARINT);
const EVENT_TYPE = tag(HtlcEventField.EVENT_TYPE, VARINT);
const FORWARD_EVENT = tag(HtlcEventField.FORWARD_EVENT, LEN);
const FORWARD_FAIL_EVENT = tag(HtlcEventField.FORWARD_FAIL_EVENT, LEN);
const SETTLE_EVENT = tag(HtlcEventField.SETTLE_EVENT, LEN);
const LINK_FAIL_EVENT = tag(HtlcEventField.LINK_FAIL_EVENT, LEN);
const FINAL_HTLC_EVENT = tag(HtlcEventField.FINAL_HTLC_EVENT, LEN);

const INFO_INCOMING_TIMELOCK = tag(HtlcInfoField.INCOMING_TIMELOCK, VARINT);
const INFO_OUTGOING_TIMELOCK = tag(HtlcInfoField.OUTGOING_TIMELOCK, VARINT);
const INFO_INCOMING_AMT_MSAT = tag(HtlcInfoField.INCOMING_AMT_MSAT, VARINT);
const INFO_OUTGOING_AMT_MSAT = tag(HtlcInfoField.OUTGOING_AMT_MSAT, VARINT);
const FORWARD_INFO = tag(ForwardEventField.INFO, LEN);
const SETTLE_PREIMAGE = tag(SettleEventField.PREIMAGE, LEN);
const LINK_FAIL_INFO = tag(LinkFailEventField.INFO, LEN);
const LINK_FAIL_WIRE_FAILURE = tag(LinkFailEventField.WIRE_FAILURE, VARINT);
const LINK_FAIL_FAILURE_DETAIL = tag(LinkFailEventField.FAILURE_DETAIL, VARINT);
const LINK_FAIL_FAILURE_STRING = tag(LinkFailEventField.FAILURE_STRING, LEN);
const FINAL_SETTLED = tag(FinalHtlcEventField.SETTLED, VARINT);
const FINAL_OFFCHAIN = tag(FinalHtlcEventField.OFFCHAIN, VARINT);

const EMPTY = new Uint8Array(0);

/**
 * The strings of the channel ids seen (4,096 entries). A memo of a pure
 * function: what it holds never changes a result, only saves making it.
 */
const channelIds = new U64StringCache(12);

function channelId(c: WireCursor): string {
  c.readU64();
  return channelIds.get(c.hi, c.lo);
}

/** The event being built: its oneof member's fields set, the common fields still their defaults. */
type Draft = Mutable<HtlcEvent>;

// One literal per kind, keys in the same order (the common fields first): each kind keeps one object shape.

function draft(event: EventKind): Draft {
  return {
    event,
    eventType: 0,
    timestampNs: '0',
    incomingChannelId: '0',
    outgoingChannelId: '0',
    incomingHtlcId: '0',
    outgoingHtlcId: '0',
  };
}

/** An embedded HtlcInfo; the cursor is at its length prefix. */
function htlcInfo(c: WireCursor): HtlcInfo {
  const outer = c.pushLimit();
  let incomingTimelock = 0;
  let outgoingTimelock = 0;
  let incomingAmtMsat = '0';
  let outgoingAmtMsat = '0';
  while (c.more()) {
    const t = c.u32();
    if (t === INFO_INCOMING_TIMELOCK) incomingTimelock = c.u32();
    else if (t === INFO_OUTGOING_TIMELOCK) outgoingTimelock = c.u32();
    else if (t === INFO_INCOMING_AMT_MSAT) incomingAmtMsat = c.u64();
    else if (t === INFO_OUTGOING_AMT_MSAT) outgoingAmtMsat = c.u64();
    else c.skip(t & 7);
  }
  c.popLimit(outer);
  return { incomingTimelock, outgoingTimelock, incomingAmtMsat, outgoingAmtMsat };
}

function forwardEvent(c: WireCursor): Draft {
  let info: HtlcInfo | null = null;
  while (c.more()) {
    const t = c.u32();
    if (t === FORWARD_INFO) info = htlcInfo(c);
    else c.skip(t & 7);
  }
  return {
    event: 'forward',
    eventType: 0,
    timestampNs: '0',
    incomingChannelId: '0',
    outgoingChannelId: '0',
    incomingHtlcId: '0',
    outgoingHtlcId: '0',
    info,
  };
}

function settleEvent(c: WireCursor): Draft {
  let preimage: Uint8Array = EMPTY;
  while (c.more()) {
    const t = c.u32();
    if (t === SETTLE_PREIMAGE) preimage = c.bytes();
    else c.skip(t & 7);
  }
  return {
    event: 'settle',
    eventType: 0,
    timestampNs: '0',
    incomingChannelId: '0',
    outgoingChannelId: '0',
    incomingHtlcId: '0',
    outgoingHtlcId: '0',
    preimage,
  };
}

function linkFailEvent(c: WireCursor): Draft {
  let info: HtlcInfo | null = null;
  let wireFailure = 0;
  let failureDetail = 0;
  let failureString = '';
  while (c.more()) {
    const t = c.u32();
    if (t === LINK_FAIL_INFO) info = htlcInfo(c);
    else if (t === LINK_FAIL_WIRE_FAILURE) wireFailure = c.i32();
    else if (t === LINK_FAIL_FAILURE_DETAIL) failureDetail = c.i32();
    else if (t === LINK_FAIL_FAILURE_STRING) failureString = c.text();
    else c.skip(t & 7);
  }
  return {
    event: 'link_fail',
    eventType: 0,
    timestampNs: '0',
    incomingChannelId: '0',
    outgoingChannelId: '0',
    incomingHtlcId: '0',
    outgoingHtlcId: '0',
    info,
    wireFailure,
    failureDetail,
    failureString,
  };
}

function finalHtlcEvent(c: WireCursor): Draft {
  let settled = false;
  let offchain = false;
  while (c.more()) {
    const t = c.u32();
    if (t === FINAL_SETTLED) settled = c.bool();
    else if (t === FINAL_OFFCHAIN) offchain = c.bool();
    else c.skip(t & 7);
  }
  return {
    event: 'final_htlc',
    eventType: 0,
    timestampNs: '0',
    incomingChannelId: '0',
    outgoingChannelId: '0',
    incomingHtlcId: '0',
    outgoingHtlcId: '0',
    settled,
    offchain,
  };
}

/** A member without fields (ForwardFailEvent, SubscribedEvent): its bytes are skipped as unknown fields. */
function emptyEvent(c: WireCursor, event: EventKind): Draft {
  while (c.more()) c.skip(c.u32() & 7);
  return draft(event);
}

/** The oneof member whose tag is `t`; the cursor is at its length prefix and ends past its bytes. */
function member(c: WireCursor, t: number): Draft {
  const outer = c.pushLimit();
  let d: Draft;
  if (t === FORWARD_EVENT) d = forwardEvent(c);
  else if (t === SETTLE_EVENT) d = settleEvent(c);
  else if (t === LINK_FAIL_EVENT) d = linkFailEvent(c);
  else if (t === FINAL_HTLC_EVENT) d = finalHtlcEvent(c);
  else if (t === FORWARD_FAIL_EVENT) d = emptyEvent(c, 'forward_fail');
  else d = emptyEvent(c, 'subscribed');
  c.popLimit(outer);
  return d;
}

/** Decodes one HtlcEvent message. `buf` may be a Buffer; the preimage is a view into it. */
export function decodeHtlcEventWire(buf: Uint8Array): HtlcEvent {
  const c = new WireCursor(buf);
  let incomingChannelId = '0';
  let outgoingChannelId = '0';
  let incomingHtlcId = '0';
  let outgoingHtlcId = '0';
  let timestampNs = '0';
  let eventType = 0;
  let ev: Draft | undefined;
  while (c.more()) {
    const t = c.u32();
    if (t === INCOMING_CHANNEL_ID) incomingChannelId = channelId(c);
    else if (t === OUTGOING_CHANNEL_ID) outgoingChannelId = channelId(c);
    else if (t === INCOMING_HTLC_ID) incomingHtlcId = c.u64();
    else if (t === OUTGOING_HTLC_ID) outgoingHtlcId = c.u64();
    else if (t === TIMESTAMP_NS) timestampNs = c.u64();
    else if (t === EVENT_TYPE) eventType = c.i32();
    else if (t >= FORWARD_EVENT && t <= FINAL_HTLC_EVENT && (t & 7) === LEN) ev = member(c, t);
    else c.skip(t & 7);
  }
  if (ev === undefined) ev = draft('unknown');
  ev.eventType = eventType;
  ev.timestampNs = timestampNs;
  ev.incomingChannelId = incomingChannelId;
  ev.outgoingChannelId = outgoingChannelId;
  ev.incomingHtlcId = incomingHtlcId;
  ev.outgoingHtlcId = outgoingHtlcId;
  return ev;
}
