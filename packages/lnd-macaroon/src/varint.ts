/**
 * Unsigned LEB128 varints (the encoding shared by protobuf and the libmacaroons
 * v2 packet headers), limited to values that fit a JS number exactly.
 */
import { MacaroonError } from './errors.js';

export function appendUvarint(out: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** Reads a varint at `pos`; returns [value, nextPos]. `what` names the thing for error messages. */
export function readUvarint(buf: Uint8Array, pos: number, end: number, what: string): [number, number] {
  let value = 0;
  let mul = 1;
  for (let i = pos; i < end; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * mul;
    if (b < 0x80) {
      if (!Number.isSafeInteger(value)) throw new MacaroonError(`${what}: varint value out of range`);
      return [value, i + 1];
    }
    mul *= 0x80;
    if (i - pos >= 9) throw new MacaroonError(`${what}: varint value out of range`);
  }
  throw new MacaroonError(`${what}: varint value extends past end of buffer`);
}
