/**
 * Normalizer for lnd's HtlcEvent in protobuf wire format (what the gRPC stream
 * carries), straight into the event model, without an intermediate object.
 *
 * Input: the bytes of one `routerrpc.HtlcEvent` message.
 * Output: an HtlcEvent (events/model.ts). uint64 fields become exact decimal
 * strings; enums stay numbers (names are looked up when formatting); unknown
 * fields are skipped, as proto3 requires. When a oneof member appears more than
 * once, the last one wins, as in every protobuf runtime.
 *
 * Throws WireError on truncated or malformed input.
 */
import type { EventKind, HtlcEvent, HtlcInfo } from './model.js';

export class WireError extends Error {
  override name = 'WireError';
}

const TWO_32 = 4294967296;

/** A cursor over one message's bytes. */
class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** A varint that must fit in 32 bits (tags, lengths, uint32, enums, bools); int32 negatives wrap to their low 32 bits. */
  u32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw new WireError('truncated varint');
    let b = buf[pos++]!;
    let v = b & 0x7f;
    if (b < 0x80) {
      this.pos = pos;
      return v;
    }
    let shift = 7;
    for (;;) {
      if (pos >= this.end) throw new WireError('truncated varint');
      b = buf[pos++]!;
      if (shift < 32) v += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
      if (shift > 63) throw new WireError('varint too long');
    }
    this.pos = pos;
    return v % TWO_32;
  }

  /** An int32 enum value: negative numbers arrive as 10-byte varints. */
  i32(): number {
    const v = this.u32();
    return v > 0x7fffffff ? v - TWO_32 : v;
  }

  /** A uint64 varint as an exact decimal string. */
  u64(): string {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let b: number;
    // Low 28 bits, then the next bits straddling, then the high part.
    do {
      if (pos >= this.end) throw new WireError('truncated varint');
      b = buf[pos++]!;
      if (shift < 28) {
        lo += (b & 0x7f) * 2 ** shift;
      } else if (shift === 28) {
        lo += (b & 0x0f) * 2 ** 28;
        hi += (b & 0x7f) >>> 4;
      } else {
        hi += (b & 0x7f) * 2 ** (shift - 32);
      }
      shift += 7;
      if (shift > 70) throw new WireError('varint too long');
    } while (b >= 0x80);
    this.pos = pos;
    hi = hi % TWO_32; // bits past 64 are dropped, as protobuf does
    if (hi < 0x200000) return String(hi * TWO_32 + lo);
    return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  }

  bytes(): Uint8Array {
    const len = this.u32();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw new WireError('truncated length-delimited field');
    this.pos = end;
    return this.buf.subarray(start, end);
  }

  /** Returns [start, end) of a length-delimited field and moves past it. */
  span(): [number, number] {
    const len = this.u32();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw new WireError('truncated length-delimited field');
    this.pos = end;
    return [start, end];
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.u64();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.span();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new WireError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new WireError('truncated fixed-width field');
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function decodeInfo(r: Reader, start: number, end: number): HtlcInfo {
  const sub = new Reader(r.buf, start, end);
  let incomingTimelock = 0;
  let outgoingTimelock = 0;
  let incomingAmtMsat = '0';
  let outgoingAmtMsat = '0';
  while (sub.pos < end) {
    const tag = sub.u32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === 0) incomingTimelock = sub.u32();
    else if (field === 2 && wt === 0) outgoingTimelock = sub.u32();
    else if (field === 3 && wt === 0) incomingAmtMsat = sub.u64();
    else if (field === 4 && wt === 0) outgoingAmtMsat = sub.u64();
    else sub.skip(wt);
  }
  return { incomingTimelock, outgoingTimelock, incomingAmtMsat, outgoingAmtMsat };
}

interface Member {
  event: EventKind;
  info?: HtlcInfo | null;
  preimage?: Uint8Array;
  wireFailure?: number;
  failureDetail?: number;
  failureString?: string;
  settled?: boolean;
  offchain?: boolean;
}

const EMPTY = new Uint8Array(0);

function decodeMember(r: Reader, field: number, start: number, end: number): Member {
  const sub = new Reader(r.buf, start, end);
  switch (field) {
    case 7: {
      // ForwardEvent { HtlcInfo info = 1; }
      let info: HtlcInfo | null = null;
      while (sub.pos < end) {
        const tag = sub.u32();
        if (tag === 0x0a) {
          const [s, e] = sub.span();
          info = decodeInfo(sub, s, e);
        } else sub.skip(tag & 7);
      }
      return { event: 'forward', info };
    }
    case 8:
      while (sub.pos < end) sub.skip(sub.u32() & 7);
      return { event: 'forward_fail' };
    case 9: {
      // SettleEvent { bytes preimage = 1; }
      let preimage: Uint8Array = EMPTY;
      while (sub.pos < end) {
        const tag = sub.u32();
        if (tag === 0x0a) preimage = sub.bytes();
        else sub.skip(tag & 7);
      }
      return { event: 'settle', preimage };
    }
    case 10: {
      // LinkFailEvent { HtlcInfo info = 1; FailureCode wire_failure = 2; FailureDetail failure_detail = 3; string failure_string = 4; }
      let info: HtlcInfo | null = null;
      let wireFailure = 0;
      let failureDetail = 0;
      let failureString = '';
      while (sub.pos < end) {
        const tag = sub.u32();
        if (tag === 0x0a) {
          const [s, e] = sub.span();
          info = decodeInfo(sub, s, e);
        } else if (tag === 0x10) wireFailure = sub.i32();
        else if (tag === 0x18) failureDetail = sub.i32();
        else if (tag === 0x22) failureString = utf8.decode(sub.bytes());
        else sub.skip(tag & 7);
      }
      return { event: 'link_fail', info, wireFailure, failureDetail, failureString };
    }
    case 11:
      while (sub.pos < end) sub.skip(sub.u32() & 7);
      return { event: 'subscribed' };
    case 12: {
      // FinalHtlcEvent { bool settled = 1; bool offchain = 2; }
      let settled = false;
      let offchain = false;
      while (sub.pos < end) {
        const tag = sub.u32();
        if (tag === 0x08) settled = sub.u64() !== '0';
        else if (tag === 0x10) offchain = sub.u64() !== '0';
        else sub.skip(tag & 7);
      }
      return { event: 'final_htlc', settled, offchain };
    }
    default:
      throw new Error('unreachable');
  }
}

/** Decodes one HtlcEvent message. `buf` may be a Buffer; subarrays of it are kept (preimage). */
export function decodeHtlcEventWire(buf: Uint8Array): HtlcEvent {
  const r = new Reader(buf, 0, buf.length);
  let incomingChannelId = '0';
  let outgoingChannelId = '0';
  let incomingHtlcId = '0';
  let outgoingHtlcId = '0';
  let timestampNs = '0';
  let eventType = 0;
  let member: Member = { event: 'unknown' };
  while (r.pos < r.end) {
    const tag = r.u32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (wt === 0) {
      switch (field) {
        case 1:
          incomingChannelId = r.u64();
          continue;
        case 2:
          outgoingChannelId = r.u64();
          continue;
        case 3:
          incomingHtlcId = r.u64();
          continue;
        case 4:
          outgoingHtlcId = r.u64();
          continue;
        case 5:
          timestampNs = r.u64();
          continue;
        case 6:
          eventType = r.i32();
          continue;
      }
    } else if (wt === 2 && field >= 7 && field <= 12) {
      const [s, e] = r.span();
      member = decodeMember(r, field, s, e);
      continue;
    }
    r.skip(wt);
  }
  return {
    event: member.event,
    eventType,
    timestampNs,
    incomingChannelId,
    outgoingChannelId,
    incomingHtlcId,
    outgoingHtlcId,
    ...memberFields(member),
  };
}

function memberFields(m: Member): Partial<HtlcEvent> {
  switch (m.event) {
    case 'forward':
      return { info: m.info ?? null };
    case 'settle':
      return { preimage: m.preimage };
    case 'link_fail':
      return {
        info: m.info ?? null,
        wireFailure: m.wireFailure,
        failureDetail: m.failureDetail,
        failureString: m.failureString,
      };
    case 'final_htlc':
      return { settled: m.settled, offchain: m.offchain };
    default:
      return {};
  }
}
