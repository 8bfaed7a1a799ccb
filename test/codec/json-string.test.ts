/** jsonString: valid JSON for any text, and no raw line or paragraph separator or NEL (line-oriented readers split there). */
import { describe, expect, test } from '@jest/globals';
import { jsonString } from '../../src/codec/json/json-string.js';
import { gapJson } from '../../src/format/pieces/gap-json.js';

describe('jsonString', () => {
  test.each([
    ['plain', '"plain"'],
    ['a\u2028b', '"a\\u2028b"'],
    ['a\u2029b', '"a\\u2029b"'],
    ['a\u0085b', '"a\\u0085b"'],
    ['q"\u2028\n', '"q\\"\\u2028\\n"'],
  ])('%j → %s', (text, json) => {
    expect(jsonString(text)).toBe(json);
    expect(JSON.parse(jsonString(text))).toBe(text);
  });

  test('gap lines too', () => {
    const line = gapJson({ event: 'gap', fromMs: 0, toMs: 1000, reason: 'lnd said\u2028this' });
    expect(line).not.toMatch(/[\u2028\u2029\u0085]/);
    expect(JSON.parse(line).reason).toBe('lnd said\u2028this');
  });
});
