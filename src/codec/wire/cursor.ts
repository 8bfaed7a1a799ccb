/**
 * A reader of protobuf wire format (https://protobuf.dev/programming-guides/encoding/)
 * over one message's bytes: a position, the end of the message (or of the
 * length-delimited field being read: `pushLimit`/`popLimit`), and the readers
 * the HtlcEvent decoder needs. uint64 varints are read as their two 32-bit
 * halves (`lo`, `hi`), never through a JS number or a BigInt; `u64-decimal.ts`
 * turns them into exact decimal strings.
 *
 * One cursor per message, one class: V8 sees one object shape at every call
 * site, so the method calls inline and the cursor costs about what module
 * variables did. Throws WireError on truncated or malformed input.
 */
import { u64Decimal } from './u64-decimal.js';

export class WireError extends Error {
  override name = 'WireError';
}

/** Protobuf wire types: the low 3 bits of a tag. */
export const WireType = {
  VARINT: 0,
  I64: 1,
  LEN: 2,
  SGROUP: 3,
  EGROUP: 4,
  I32: 5,
} as const;

/** A field's tag (its number and wire type, as they precede it on the wire). */
export function tag(field: number, wireType: number): number {
  return ((field << 3) | wireType) >>> 0;
}

const TWO_32 = 4294967296;

/** The decimal strings of 0..127: a one-byte varint (htlc ids, small amounts) needs no conversion. */
const SMALL: readonly string[] = Array.from({ length: 128 }, (_, i) => String(i));

const utf8 = new TextDecoder('utf-8', { fatal: false });

function truncated(): never {
  throw new WireError('truncated varint');
}

export class WireCursor {
  pos = 0;
  /** The end of what is being read: the message, or the length-delimited field entered by pushLimit. */
  end: number;
  /** The low and high 32 bits of the last varint read by readU64 (both ≥ 0). */
  lo = 0;
  hi = 0;

  constructor(readonly buf: Uint8Array) {
    this.end = buf.length;
  }

  more(): boolean {
    return this.pos < this.end;
  }

  /** A varint that must fit in 32 bits (tags, lengths, uint32, enums); int32 negatives wrap to their low 32 bits. */
  u32(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    if (pos >= end) truncated();
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
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
    this.pos = pos;
    return v % TWO_32;
  }

  /** An int32 (enums): negative numbers arrive as 10-byte varints. */
  i32(): number {
    const v = this.u32();
    return v > 0x7fffffff ? v - TWO_32 : v;
  }

  /** Reads a uint64 varint into `lo`/`hi` (bits past 64 are dropped, as protobuf does). */
  readU64(): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
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
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** A uint64 as its exact decimal string. */
  u64(): string {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return SMALL[b]!;
      }
    }
    this.readU64();
    return u64Decimal(this.hi, this.lo);
  }

  /** A bool: any value other than 0 is true, as protobuf reads it. */
  bool(): boolean {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b !== 0;
      }
    }
    this.readU64();
    return this.lo !== 0 || this.hi !== 0;
  }

  /** Reads a length prefix; returns the end of the field's bytes (`pos` is their start). */
  private lengthEnd(): number {
    const len = this.u32();
    const end = this.pos + len;
    if (end > this.end) throw new WireError('truncated length-delimited field');
    return end;
  }

  /**
   * Enters a length-delimited field (an embedded message): reads its length and
   * narrows the cursor to its bytes. Returns what popLimit needs to leave it.
   */
  pushLimit(): number {
    const outer = this.end;
    this.end = this.lengthEnd();
    return outer;
  }

  /** Leaves the field entered by pushLimit: `pos` at its end, the outer end restored. */
  popLimit(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }

  /** A bytes field: a view into the message's buffer (no copy). */
  bytes(): Uint8Array {
    const end = this.lengthEnd();
    const v = this.buf.subarray(this.pos, end);
    this.pos = end;
    return v;
  }

  /** A string field (UTF-8; invalid sequences become U+FFFD). */
  text(): string {
    const end = this.lengthEnd();
    const buf = this.buf;
    const start = this.pos;
    this.pos = end;
    // Short ASCII (lnd's failure strings) without TextDecoder's call overhead.
    if (end - start > 64) return utf8.decode(buf.subarray(start, end));
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return utf8.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }

  /** Skips a field of wire type `wireType` (an unknown field, or one of an unexpected type). */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.VARINT:
        this.readU64();
        return;
      case WireType.I64:
        this.pos += 8;
        break;
      case WireType.LEN:
        this.pos = this.lengthEnd();
        return;
      case WireType.I32:
        this.pos += 4;
        break;
      default:
        throw new WireError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new WireError('truncated fixed-width field');
  }
}
