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
 *
 * This is the hot path of a busy stream, so it allocates nothing but the event
 * (and its HtlcInfo and strings): one reused cursor, no BigInt per event.
 * Every timestamp_ns and real channel id is above 2^53; their decimal digits
 * are built from the varint's two 32-bit halves with exact float math (see
 * `bigDecimal`), and channel ids, which repeat, come from a small cache.
 */
import type { EventKind, HtlcEvent, HtlcInfo } from './model.js';

export class WireError extends Error {
  override name = 'WireError';
}

const TWO_32 = 4294967296;
const EMPTY = new Uint8Array(0);

/** The one cursor: decoding is synchronous and never re-entered. */
const R = { buf: EMPTY as Uint8Array, pos: 0, end: 0 };

/** The decimal strings of 0..127 (one-byte varints: htlc ids, flags, small amounts). */
const SMALL: readonly string[] = Array.from({ length: 128 }, (_, i) => String(i));

const truncated = (): never => {
  throw new WireError('truncated varint');
};

/** A varint that must fit in 32 bits (tags, lengths, uint32, enums, bools); int32 negatives wrap to their low 32 bits. */
function u32(): number {
  const buf = R.buf;
  const end = R.end;
  let pos = R.pos;
  if (pos >= end) truncated();
  let b = buf[pos++]!;
  if (b < 0x80) {
    R.pos = pos;
    return b;
  }
  let v = b & 0x7f;
  for (let shift = 7; ; shift += 7) {
    if (pos >= end) truncated();
    b = buf[pos++]!;
    if (shift < 32) v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
    if (shift >= 63) throw new WireError('varint too long');
  }
  R.pos = pos;
  return v % TWO_32;
}

/** An int32 enum value: negative numbers arrive as 10-byte varints. */
function i32(): number {
  const v = u32();
  return v > 0x7fffffff ? v - TWO_32 : v;
}

// Results of readU64(): the value's low and high 32 bits.
let LO = 0;
let HI = 0;

/** Reads a uint64 varint into LO/HI (bits past 64 are dropped, as protobuf does). */
function readU64(): void {
  const buf = R.buf;
  const end = R.end;
  let pos = R.pos;
  let lo = 0;
  let hi = 0;
  let b: number;
  let shift = 0;
  // Low 28 bits, then the byte straddling bit 32, then the high part.
  do {
    if (pos >= end) truncated();
    b = buf[pos++]!;
    if (shift < 28) lo |= (b & 0x7f) << shift;
    else if (shift === 28) {
      lo = (lo | ((b & 0x0f) << 28)) >>> 0;
      hi = (b & 0x7f) >>> 4;
    } else if (shift < 63) hi |= (b & 0x7f) << (shift - 32);
    else hi |= (b & 0x01) << 31;
    shift += 7;
    if (shift > 70) throw new WireError('varint too long');
  } while (b >= 0x80);
  R.pos = pos;
  LO = lo >>> 0;
  HI = hi >>> 0;
}

// Per high half: ⌊HI·2^32 / 10^9⌋ and (HI·2^32) mod 10^9, computed once (BigInt) per distinct HI.
// A stream's timestamps share their HI for 4.3 s at a time.
const HQ_SIZE = 1024;
const hqKey = new Float64Array(HQ_SIZE).fill(-1);
const hqQuot = new Float64Array(HQ_SIZE);
const hqRem = new Float64Array(HQ_SIZE);
let lastQ = -1;
let lastQStr = '';
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000'];

/**
 * The exact decimal string of HI·2^32 + LO for HI ≥ 2^21 (the value is at least 2^53):
 * with HI·2^32 = q·10^9 + r, the value is (q + ⌊(r + LO)/10^9⌋)·10^9 + (r + LO) mod 10^9,
 * where every term is below 2^53, so the float math is exact.
 */
function bigDecimal(hi: number, lo: number): string {
  const i = hi & (HQ_SIZE - 1);
  let q: number;
  let r: number;
  if (hqKey[i] === hi) {
    q = hqQuot[i]!;
    r = hqRem[i]!;
  } else {
    const b = BigInt(hi) << 32n;
    q = Number(b / 1_000_000_000n);
    r = Number(b % 1_000_000_000n);
    hqKey[i] = hi;
    hqQuot[i] = q;
    hqRem[i] = r;
  }
  let t = r + lo; // < 10^9 + 2^32
  if (t >= 1e9) {
    const c = Math.floor(t / 1e9);
    q += c;
    t -= c * 1e9;
  }
  // The high digits repeat (a timestamp's seconds): their string is kept.
  if (q !== lastQ) {
    lastQ = q;
    lastQStr = String(q);
  }
  const low = String(t);
  return lastQStr + ZEROS[9 - low.length] + low;
}

/** A uint64 varint as an exact decimal string. */
function u64(): string {
  const buf = R.buf;
  const pos = R.pos;
  if (pos < R.end) {
    const b = buf[pos]!;
    if (b < 0x80) {
      R.pos = pos + 1;
      return SMALL[b]!;
    }
  }
  readU64();
  const hi = HI;
  if (hi < 0x200000) return String(hi * TWO_32 + LO);
  return bigDecimal(hi, LO);
}

// Channel ids repeat (a node has few channels): a direct-mapped cache of their strings by value.
const CH_SIZE = 4096;
const chLo = new Float64Array(CH_SIZE).fill(-1);
const chHi = new Float64Array(CH_SIZE).fill(-1);
const chStr: string[] = new Array<string>(CH_SIZE).fill('');

/** A uint64 that is usually a channel id: like u64(), with large values cached. */
function channelId(): string {
  const buf = R.buf;
  const pos = R.pos;
  if (pos < R.end) {
    const b = buf[pos]!;
    if (b < 0x80) {
      R.pos = pos + 1;
      return SMALL[b]!;
    }
  }
  readU64();
  const hi = HI;
  const lo = LO;
  if (hi < 0x200000) return String(hi * TWO_32 + lo);
  const i = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> 20;
  if (chLo[i] === lo && chHi[i] === hi) return chStr[i]!;
  const s = bigDecimal(hi, lo);
  chLo[i] = lo;
  chHi[i] = hi;
  chStr[i] = s;
  return s;
}

/** Non-zero varint (bool fields: any value other than 0 is true, as protobuf reads them). */
function bool(): boolean {
  const buf = R.buf;
  const pos = R.pos;
  if (pos < R.end) {
    const b = buf[pos]!;
    if (b < 0x80) {
      R.pos = pos + 1;
      return b !== 0;
    }
  }
  readU64();
  return LO !== 0 || HI !== 0;
}

/** Reads a length prefix; returns the end of the field's bytes (R.pos is its start). */
function spanEnd(): number {
  const len = u32();
  const end = R.pos + len;
  if (end > R.end) throw new WireError('truncated length-delimited field');
  return end;
}

function skip(wireType: number): void {
  switch (wireType) {
    case 0:
      readU64();
      return;
    case 1:
      R.pos += 8;
      break;
    case 2:
      R.pos = spanEnd();
      return;
    case 5:
      R.pos += 4;
      break;
    default:
      throw new WireError(`unsupported wire type ${wireType}`);
  }
  if (R.pos > R.end) throw new WireError('truncated fixed-width field');
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 text of [start, end): ASCII (lnd's failure strings) without TextDecoder's call overhead. */
function text(buf: Uint8Array, start: number, end: number): string {
  if (end - start > 64) return utf8.decode(buf.subarray(start, end));
  let s = '';
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 0x80) return utf8.decode(buf.subarray(start, end));
    s += String.fromCharCode(c);
  }
  return s;
}

/** HtlcInfo in [R.pos, end); R.pos ends at `end`. */
function decodeInfo(end: number): HtlcInfo {
  const outer = R.end;
  R.end = end;
  let incomingTimelock = 0;
  let outgoingTimelock = 0;
  let incomingAmtMsat = '0';
  let outgoingAmtMsat = '0';
  while (R.pos < end) {
    const tag = u32();
    if (tag === 0x08) incomingTimelock = u32();
    else if (tag === 0x10) outgoingTimelock = u32();
    else if (tag === 0x18) incomingAmtMsat = u64();
    else if (tag === 0x20) outgoingAmtMsat = u64();
    else skip(tag & 7);
  }
  R.end = outer;
  return { incomingTimelock, outgoingTimelock, incomingAmtMsat, outgoingAmtMsat };
}

// The oneof member last seen by decodeHtlcEventWire (fields of the message being decoded).
let mKind: EventKind = 'unknown';
let mInfo: HtlcInfo | null = null;
let mPreimage: Uint8Array = EMPTY;
let mWireFailure = 0;
let mFailureDetail = 0;
let mFailureString = '';
let mSettled = false;
let mOffchain = false;

/** Decodes the member in [R.pos, end) into the m* variables; R.pos ends at `end`. */
function decodeMember(field: number, end: number): void {
  const outer = R.end;
  R.end = end;
  switch (field) {
    case 7: {
      // ForwardEvent { HtlcInfo info = 1; }
      let info: HtlcInfo | null = null;
      while (R.pos < end) {
        const tag = u32();
        if (tag === 0x0a) {
          const e = spanEnd();
          info = decodeInfo(e);
        } else skip(tag & 7);
      }
      mKind = 'forward';
      mInfo = info;
      break;
    }
    case 8:
      while (R.pos < end) skip(u32() & 7);
      mKind = 'forward_fail';
      break;
    case 9: {
      // SettleEvent { bytes preimage = 1; }
      let preimage: Uint8Array = EMPTY;
      while (R.pos < end) {
        const tag = u32();
        if (tag === 0x0a) {
          const e = spanEnd();
          preimage = R.buf.subarray(R.pos, e);
          R.pos = e;
        } else skip(tag & 7);
      }
      mKind = 'settle';
      mPreimage = preimage;
      break;
    }
    case 10: {
      // LinkFailEvent { HtlcInfo info = 1; FailureCode wire_failure = 2; FailureDetail failure_detail = 3; string failure_string = 4; }
      let info: HtlcInfo | null = null;
      let wireFailure = 0;
      let failureDetail = 0;
      let failureString = '';
      while (R.pos < end) {
        const tag = u32();
        if (tag === 0x0a) {
          const e = spanEnd();
          info = decodeInfo(e);
        } else if (tag === 0x10) wireFailure = i32();
        else if (tag === 0x18) failureDetail = i32();
        else if (tag === 0x22) {
          const e = spanEnd();
          failureString = text(R.buf, R.pos, e);
          R.pos = e;
        } else skip(tag & 7);
      }
      mKind = 'link_fail';
      mInfo = info;
      mWireFailure = wireFailure;
      mFailureDetail = failureDetail;
      mFailureString = failureString;
      break;
    }
    case 11:
      while (R.pos < end) skip(u32() & 7);
      mKind = 'subscribed';
      break;
    case 12: {
      // FinalHtlcEvent { bool settled = 1; bool offchain = 2; }
      let settled = false;
      let offchain = false;
      while (R.pos < end) {
        const tag = u32();
        if (tag === 0x08) settled = bool();
        else if (tag === 0x10) offchain = bool();
        else skip(tag & 7);
      }
      mKind = 'final_htlc';
      mSettled = settled;
      mOffchain = offchain;
      break;
    }
  }
  R.end = outer;
}

/** Decodes one HtlcEvent message. `buf` may be a Buffer; subarrays of it are kept (preimage). */
export function decodeHtlcEventWire(buf: Uint8Array): HtlcEvent {
  R.buf = buf;
  R.pos = 0;
  R.end = buf.length;
  let incomingChannelId = '0';
  let outgoingChannelId = '0';
  let incomingHtlcId = '0';
  let outgoingHtlcId = '0';
  let timestampNs = '0';
  let eventType = 0;
  mKind = 'unknown';
  const end = buf.length;
  try {
    while (R.pos < end) {
      const tag = u32();
      const field = tag >>> 3;
      const wt = tag & 7;
      if (wt === 0) {
        switch (field) {
          case 1:
            incomingChannelId = channelId();
            continue;
          case 2:
            outgoingChannelId = channelId();
            continue;
          case 3:
            incomingHtlcId = u64();
            continue;
          case 4:
            outgoingHtlcId = u64();
            continue;
          case 5:
            timestampNs = u64();
            continue;
          case 6:
            eventType = i32();
            continue;
        }
      } else if (wt === 2 && field >= 7 && field <= 12) {
        const e = spanEnd();
        decodeMember(field, e);
        continue;
      }
      skip(wt);
    }
  } finally {
    R.buf = EMPTY; // keep no reference to the message
  }
  // One literal per kind, keys in the same order: each kind keeps one object shape.
  const kind = mKind as EventKind; // (assigned by decodeMember)
  switch (kind) {
    case 'forward':
      return { event: kind, eventType, timestampNs, incomingChannelId, outgoingChannelId, incomingHtlcId, outgoingHtlcId, info: mInfo };
    case 'settle': {
      const preimage = mPreimage;
      mPreimage = EMPTY;
      return { event: kind, eventType, timestampNs, incomingChannelId, outgoingChannelId, incomingHtlcId, outgoingHtlcId, preimage };
    }
    case 'link_fail':
      return {
        event: kind,
        eventType,
        timestampNs,
        incomingChannelId,
        outgoingChannelId,
        incomingHtlcId,
        outgoingHtlcId,
        info: mInfo,
        wireFailure: mWireFailure,
        failureDetail: mFailureDetail,
        failureString: mFailureString,
      };
    case 'final_htlc':
      return { event: kind, eventType, timestampNs, incomingChannelId, outgoingChannelId, incomingHtlcId, outgoingHtlcId, settled: mSettled, offchain: mOffchain };
    default:
      return { event: kind, eventType, timestampNs, incomingChannelId, outgoingChannelId, incomingHtlcId, outgoingHtlcId };
  }
}
