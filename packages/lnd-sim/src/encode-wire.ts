/**
 * A hand-written protobuf encoder for routerrpc.HtlcEvent, byte-identical to
 * what protobufjs (and Go's protobuf) produce: fields in number order, proto3
 * zero scalars omitted, a set oneof member always written (even when empty).
 * Fast enough that the simulator is never the bottleneck of a benchmark.
 */
import type { WireHtlcEvent, WireHtlcInfo } from './wire-event.js';

class Writer {
  private buf: Buffer;
  pos = 0;

  constructor(size = 128) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  varint(v: number): void {
    this.ensure(10);
    let x = v;
    while (x >= 0x80) {
      this.buf[this.pos++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.buf[this.pos++] = x;
  }

  varint64(v: bigint): void {
    if (v <= 0x1fffffffffffffn) {
      this.varint(Number(v));
      return;
    }
    this.ensure(10);
    let x = v;
    while (x >= 0x80n) {
      this.buf[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.pos++] = Number(x);
  }

  /** An int32 (enum) value: negatives take 10 bytes, sign-extended to 64 bits. */
  int32(v: number): void {
    if (v >= 0) this.varint(v);
    else this.varint64(BigInt.asUintN(64, BigInt(v)));
  }

  bytes(data: Uint8Array): void {
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Writes a length-delimited field whose body `body` writes; the length is patched in afterwards. */
  sub(tag: number, body: (w: Writer) => void): void {
    this.byte(tag);
    const lenAt = this.pos;
    this.byte(0); // one length byte reserved; bodies here are almost always < 128 bytes
    const start = this.pos;
    body(this);
    const len = this.pos - start;
    if (len < 0x80) {
      this.buf[lenAt] = len;
      return;
    }
    const body2 = Buffer.from(this.buf.subarray(start, this.pos));
    this.pos = lenAt;
    this.bytes(body2);
  }

  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

function u64Field(w: Writer, tag: number, v: bigint): void {
  if (v === 0n) return;
  w.byte(tag);
  w.varint64(v);
}

function writeInfo(w: Writer, info: WireHtlcInfo): void {
  if (info.incomingTimelock !== 0) {
    w.byte(0x08);
    w.varint(info.incomingTimelock);
  }
  if (info.outgoingTimelock !== 0) {
    w.byte(0x10);
    w.varint(info.outgoingTimelock);
  }
  u64Field(w, 0x18, info.incomingAmtMsat);
  u64Field(w, 0x20, info.outgoingAmtMsat);
}

const utf8 = new TextEncoder();

/** Encodes one HtlcEvent message (without gRPC framing). */
export function encodeHtlcEvent(e: WireHtlcEvent): Buffer {
  const w = new Writer();
  u64Field(w, 0x08, e.incomingChannelId);
  u64Field(w, 0x10, e.outgoingChannelId);
  u64Field(w, 0x18, e.incomingHtlcId);
  u64Field(w, 0x20, e.outgoingHtlcId);
  u64Field(w, 0x28, e.timestampNs);
  if (e.eventType !== 0) {
    w.byte(0x30);
    w.int32(e.eventType);
  }
  const m = e.member;
  switch (m.kind) {
    case 'forward':
      w.sub(0x3a, (s) => {
        if (m.info) s.sub(0x0a, (i) => writeInfo(i, m.info!));
      });
      break;
    case 'forward_fail':
      w.sub(0x42, () => {});
      break;
    case 'settle':
      w.sub(0x4a, (s) => {
        if (m.preimage.length > 0) {
          s.byte(0x0a);
          s.bytes(m.preimage);
        }
      });
      break;
    case 'link_fail':
      w.sub(0x52, (s) => {
        if (m.info) s.sub(0x0a, (i) => writeInfo(i, m.info!));
        if (m.wireFailure !== 0) {
          s.byte(0x10);
          s.int32(m.wireFailure);
        }
        if (m.failureDetail !== 0) {
          s.byte(0x18);
          s.int32(m.failureDetail);
        }
        if (m.failureString.length > 0) {
          s.byte(0x22);
          s.bytes(utf8.encode(m.failureString));
        }
      });
      break;
    case 'subscribed':
      w.sub(0x5a, () => {});
      break;
    case 'final_htlc':
      w.sub(0x62, (s) => {
        if (m.settled) {
          s.byte(0x08);
          s.byte(1);
        }
        if (m.offchain) {
          s.byte(0x10);
          s.byte(1);
        }
      });
      break;
    case 'none':
      break;
  }
  return w.finish();
}
