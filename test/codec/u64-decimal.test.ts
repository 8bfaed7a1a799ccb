/**
 * The wire decoder's uint64 → decimal string (src/codec/wire/u64-decimal.ts),
 * exact float math instead of BigInt, against BigInt's own toString; and the
 * channel-id cache, which must give the right string whatever collides.
 */
import { describe, expect, test } from '@jest/globals';
import { u64Decimal, U64StringCache } from '../../src/codec/wire/u64-decimal.js';
import { mulberry32 } from '../prng.js';

const halves = (v: bigint): [number, number] => [Number(v >> 32n), Number(v & 0xffffffffn)];
const TWO_53 = 1n << 53n;

describe('u64Decimal', () => {
  test.each<[string, bigint]>([
    ['0', 0n],
    ['1', 1n],
    ['2^32 − 1', (1n << 32n) - 1n],
    ['2^32', 1n << 32n],
    ['2^53 − 1', TWO_53 - 1n],
    ['2^53 (the first value through the exact split)', TWO_53],
    ['2^53 + 1', TWO_53 + 1n],
    ['2^63', 1n << 63n],
    ['2^64 − 1', (1n << 64n) - 1n],
    ['10^19 (a carry into q)', 10n ** 19n],
    ['10^19 − 1', 10n ** 19n - 1n],
    ['a multiple of 10^9 above 2^53', 9_007_199_255_000_000_000n],
    ['one below it (remainder 999,999,999)', 9_007_199_254_999_999_999n],
    ['a low part with leading zeros', 1_754_000_000_000_000_007n],
    ['a channel id', 913047649969438721n],
    ['a timestamp', 1_700_000_000_123_456_789n],
  ])('%s', (_name, v) => {
    const [hi, lo] = halves(v);
    expect(u64Decimal(hi, lo)).toBe(v.toString());
  });

  test('100,000 random values of every magnitude, and every hi at the 2^53 boundary', () => {
    const r = mulberry32(0x64);
    const u32 = () => BigInt(Math.floor(r() * 4294967296));
    for (let i = 0; i < 100_000; i++) {
      const bits = 1 + Math.floor(r() * 64);
      const v = ((u32() << 32n) | u32()) & ((1n << BigInt(bits)) - 1n);
      const [hi, lo] = halves(v);
      const s = u64Decimal(hi, lo);
      if (s !== v.toString()) throw new Error(`${v}: got ${s}`);
    }
    for (const hi of [0x1fffff, 0x200000, 0x200001, 0xffff, 0x10000, 0xffffffff]) {
      for (const lo of [0, 1, 999_999_999, 1_000_000_000, 0x7fffffff, 0xffffffff]) {
        expect(u64Decimal(hi, lo)).toBe(((BigInt(hi) << 32n) | BigInt(lo)).toString());
      }
    }
  });
});

describe('U64StringCache', () => {
  test('colliding and repeated values always give their own string', () => {
    const cache = new U64StringCache(2); // 4 entries: most values collide
    const r = mulberry32(7);
    const values = Array.from(
      { length: 64 },
      () => (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32)),
    );
    values.push(0n, 5n, TWO_53 - 1n, TWO_53, (1n << 64n) - 1n);
    for (let i = 0; i < 5000; i++) {
      const v = values[Math.floor(r() * values.length)]!;
      const [hi, lo] = halves(v);
      expect(cache.get(hi, lo)).toBe(v.toString());
    }
  });
});
