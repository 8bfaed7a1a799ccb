import { describe, expect, test } from '@jest/globals';
import { MsatSplitter, MsatSum } from '../../src/metrics/msat-sum.js';

describe('MsatSplitter', () => {
  test.each([
    ['1000', true, [0, 1000]],
    ['12345678901234567890', true, [1234567890, 1234567890]],
    ['0', false, undefined],
    ['', false, undefined],
    ['-5', false, undefined],
    ['1e3', false, undefined],
  ])('amount(%j)', (s, ok, parts) => {
    const m = new MsatSplitter();
    expect(m.amount(s)).toBe(ok);
    if (parts) expect([...m.out]).toEqual(parts);
  });
  test.each([
    ['1001000', '1000000', true, [0, 1000]],
    ['20000000000', '9999999999', true, [1, 1]],
    ['18446744073709551615', '18446744073709551614', true, [0, 1]],
    ['1000', '1000', false, undefined],
    ['1000', '1001', false, undefined],
    ['0', '1000', false, undefined],
    ['1000', '0', false, undefined],
  ])('difference(%j, %j)', (a, b, ok, parts) => {
    const m = new MsatSplitter();
    expect(m.difference(a, b)).toBe(ok);
    if (parts) expect([...m.out]).toEqual(parts);
  });
});

describe('MsatSum', () => {
  test('stays exact past 2^53 msat (the double only at exposition)', () => {
    const s = new MsatSum();
    const m = new MsatSplitter();
    const big = '9007199254740993'; // 2^53 + 1: not a double
    for (let i = 0; i < 3; i++) {
      expect(m.amount(big)).toBe(true);
      s.add(m.out[0]!, m.out[1]!);
    }
    expect(m.amount('9999999999')).toBe(true);
    s.add(m.out[0]!, m.out[1]!);
    expect(s.toBigInt()).toBe(3n * 9007199254740993n + 9999999999n);
    expect(s.toNumber()).toBe(Number(3n * 9007199254740993n + 9999999999n));
  });
  test('carries across 10^10', () => {
    const s = new MsatSum();
    s.add(0, 9_999_999_999);
    s.add(0, 2);
    expect(s.toBigInt()).toBe(10_000_000_001n);
    expect(s.toNumber()).toBe(10_000_000_001);
  });
});
