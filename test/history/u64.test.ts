import { describe, expect, test } from '@jest/globals';
import { u64FromDbBig, u64FromDbText, u64ToDb, u64ToDbBig } from '../../src/history/u64.js';

describe('uint64 in a signed SQLite INTEGER', () => {
  test.each([
    ['0', '0'],
    ['913047649969438721', '913047649969438721'],
    ['9223372036854775807', '9223372036854775807'],
    ['9223372036854775808', -9223372036854775808n],
    ['18446744073709551615', -1n],
    ['18446744073709551000', -616n],
  ])('%s is stored as %s and read back', (dec, stored) => {
    expect(u64ToDb(dec)).toBe(stored);
    expect(u64ToDbBig(dec)).toBe(BigInt(stored));
    expect(u64FromDbText(String(stored))).toBe(dec);
    expect(u64FromDbBig(BigInt(stored))).toBe(BigInt(dec));
  });
});
