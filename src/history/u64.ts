/**
 * uint64 values (channel and htlc ids, amounts, lnd's timestamps) in SQLite,
 * whose INTEGER is a signed 64-bit number. A value below 2^63 is stored as
 * itself; a value from 2^63 up (a channel id of block 8,388,608 or later, or
 * a nonsense amount) is stored as its two's-complement image, value − 2^64, a
 * negative INTEGER. So every uint64 round-trips exactly, equality works in SQL,
 * and the values any real node produces read naturally in `sqlite3`.
 *
 * Never through a JS float: values go in as decimal strings (SQLite converts a
 * well-formed integer text to INTEGER by the column's affinity) or BigInt, and
 * come out as text (`CAST(x AS TEXT)`) or BigInt.
 */

const TWO_64 = 1n << 64n;
const I64_MAX_TEXT = '9223372036854775807';

/** The value to bind for a uint64 decimal string: the string itself, or a negative BigInt from 2^63 up. */
export function u64ToDb(dec: string): string | bigint {
  const len = dec.length;
  if (len < 19 || (len === 19 && dec <= I64_MAX_TEXT)) return dec;
  return BigInt(dec) - TWO_64;
}

/** The same as a BigInt (for query parameters and arithmetic). */
export function u64ToDbBig(dec: string | bigint): bigint {
  const v = typeof dec === 'bigint' ? dec : BigInt(dec);
  return v >= 1n << 63n ? v - TWO_64 : v;
}

/** True when u64ToDb maps the value to a negative INTEGER. */
export function isWideU64(dec: string): boolean {
  return typeof u64ToDb(dec) === 'bigint';
}

/** A stored uint64 read as text (`CAST(col AS TEXT)`) back to its decimal string. */
export function u64FromDbText(text: string): string {
  return text.charCodeAt(0) === 45 /* - */ ? (BigInt(text) + TWO_64).toString() : text;
}

/** A stored uint64 read as BigInt back to its value. */
export function u64FromDbBig(v: bigint): bigint {
  return v < 0n ? v + TWO_64 : v;
}
