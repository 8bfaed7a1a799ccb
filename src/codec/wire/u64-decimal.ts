/**
 * The exact decimal string of a uint64 held as two 32-bit halves, with float
 * math that is exact (every intermediate below 2^53): no BigInt per value.
 * Every timestamp_ns and real channel id is above 2^53, so this is on the hot
 * path of every event.
 */

const TWO_32 = 4294967296;
const E9 = 1_000_000_000;
/** 2^48 = 281474·10^9 + 976710656 and 2^32 = 4·10^9 + 294967296. */
const Q48 = 281474;
const R48 = 976710656;
const Q32 = 4;
const R32 = 294967296;
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000'];

/** The decimal string of hi·2^32 + lo (0 ≤ hi, lo < 2^32). */
export function u64Decimal(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * TWO_32 + lo); // below 2^53: exact as a double
  // hi·2^32 = a·2^48 + b·2^32 with a, b < 2^16; split each power of two into
  // a multiple of 10^9 and a remainder: value = q·10^9 + low, every term < 2^53.
  const a = hi >>> 16;
  const b = hi & 0xffff;
  let low = a * R48 + b * R32 + lo; // < 2^47
  const carry = Math.floor(low / E9);
  low -= carry * E9;
  const q = a * Q48 + b * Q32 + carry; // ≥ 9,007,199 (the value is ≥ 2^53), < 2^35
  const tail = String(low);
  return String(q) + ZEROS[9 - tail.length]! + tail;
}

/**
 * Channel ids repeat (a node has few channels): their strings, by value, in a
 * direct-mapped cache, so a repeated id costs a hash and two compares and is
 * the same string every time (its hash is computed once, for the Map lookups
 * downstream). Only values ≥ 2^53 are kept (smaller ones are cheap to make).
 */
export class U64StringCache {
  private readonly los: Float64Array;
  private readonly his: Float64Array;
  private readonly strs: string[];
  private readonly shift: number;

  /** `bits`: log2 of the number of entries. */
  constructor(bits: number) {
    const size = 1 << bits;
    this.los = new Float64Array(size).fill(-1);
    this.his = new Float64Array(size).fill(-1);
    this.strs = new Array<string>(size).fill('');
    this.shift = 32 - bits;
  }

  /** The decimal string of hi·2^32 + lo, from the cache when it is there. */
  get(hi: number, lo: number): string {
    if (hi < 0x200000) return String(hi * TWO_32 + lo);
    const i = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> this.shift;
    if (this.los[i] === lo && this.his[i] === hi) return this.strs[i]!;
    const s = u64Decimal(hi, lo);
    this.los[i] = lo;
    this.his[i] = hi;
    this.strs[i] = s;
    return s;
  }
}
