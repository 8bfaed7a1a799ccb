/**
 * The few ASN.1 DER encoders an X.509 certificate needs.
 */

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  let v = n;
  while (v > 0) {
    out.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return [0x80 | out.length, ...out];
}

/** A TLV with the given tag byte around `content`. */
export function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag, ...lengthBytes(body.length)]), body]);
}

export const sequence = (...items: Uint8Array[]) => tlv(0x30, ...items);
export const set = (...items: Uint8Array[]) => tlv(0x31, ...items);
/** [n] EXPLICIT, constructed context-specific tag. */
export const explicit = (n: number, ...items: Uint8Array[]) => tlv(0xa0 | n, ...items);
/** [n] IMPLICIT, primitive context-specific tag. */
export const implicit = (n: number, data: Uint8Array) => tlv(0x80 | n, data);

/** INTEGER from unsigned big-endian bytes (a 0x00 is prepended when the top bit is set). */
export function integer(bytes: Uint8Array): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = Buffer.from(bytes.subarray(i));
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export const smallInteger = (n: number) => integer(Buffer.from([n]));

export const boolean = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));

export const octetString = (data: Uint8Array) => tlv(0x04, data);

/** BIT STRING with `unusedBits` unused low bits in the last byte. */
export const bitString = (data: Uint8Array, unusedBits = 0) => tlv(0x03, Buffer.from([unusedBits]), data);

export const utf8String = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    let v = Math.floor(p / 128);
    while (v > 0) {
      chunk.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280). */
export function time(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  const y = d.getUTCFullYear();
  if (y < 2050) return tlv(0x17, Buffer.from(`${p(y % 100)}${rest}`, 'ascii'));
  return tlv(0x18, Buffer.from(`${y}${rest}`, 'ascii'));
}
