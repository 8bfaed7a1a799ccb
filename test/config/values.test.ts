import { describe, expect, test } from '@jest/globals';
import { decideColor, parseChoice, parsePositiveInt, parseSeconds } from '../../src/config/values.js';
import { HtlcTailError } from '../../src/errors.js';
import { FORMATS } from '../../src/format/names.js';

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HtlcTailError);
    expect((e as HtlcTailError).kind).toBe('usage');
    return (e as HtlcTailError).message;
  }
  throw new Error('expected a usage error');
}

describe('value parsers', () => {
  test('parseChoice is case-insensitive and lists the allowed values', () => {
    expect(parseChoice('JSONL', '--format', FORMATS)).toBe('jsonl');
    expect(usage(() => parseChoice('xml', '--format', FORMATS))).toBe(
      '--format "xml" is not one of pretty, jsonl, table, raw, csv; pick one of those',
    );
  });
  test.each([
    ['1', 1],
    ['25', 25],
    [' 7 ', 7],
  ])('parsePositiveInt %j', (v, n) => {
    expect(parsePositiveInt(v, '--count', '10')).toBe(n);
  });
  test.each([['0'], ['-1'], ['1.5'], ['abc'], [''], ['99999999999999999999']])('parsePositiveInt rejects %j', (v) => {
    expect(usage(() => parsePositiveInt(v, '--count', '10'))).toBe(
      `--count ${JSON.stringify(v)} is not a positive whole number; e.g. --count 10`,
    );
  });
  test.each([
    ['10', 10],
    ['2.5', 2.5],
    ['.5', 0.5],
    ['0', 0],
  ])('parseSeconds %j (zero allowed)', (v, n) => {
    expect(parseSeconds(v, '--stats-interval', { allowZero: true, example: '60' })).toBe(n);
  });
  test.each([
    ['0', false, '--connect-timeout "0" is not a positive number of seconds; e.g. --connect-timeout 30'],
    ['-3', false, '--connect-timeout "-3" is not a positive number of seconds; e.g. --connect-timeout 30'],
    ['10s', false, '--connect-timeout "10s" is not a positive number of seconds; e.g. --connect-timeout 30'],
    ['abc', true, '--connect-timeout "abc" is not a number of seconds (0 turns it off); e.g. --connect-timeout 30'],
    ['99999999', false, '--connect-timeout "99999999" is too long; give at most 2147482 seconds'],
  ])('parseSeconds rejects %j', (v, allowZero, msg) => {
    expect(usage(() => parseSeconds(v, '--connect-timeout', { allowZero, example: '30' }))).toBe(msg);
  });
});

describe('decideColor', () => {
  test.each([
    ['always', {}, false, true],
    ['always', { NO_COLOR: '1' }, false, true],
    ['never', {}, true, false],
    ['never', { FORCE_COLOR: '1' }, true, false],
    ['auto', {}, true, true],
    ['auto', {}, false, false],
    ['auto', { NO_COLOR: '1' }, true, false],
    ['auto', { NO_COLOR: '' }, true, true],
    ['auto', { FORCE_COLOR: '1' }, false, true],
    ['auto', { FORCE_COLOR: '3' }, false, true],
    ['auto', { FORCE_COLOR: '0' }, false, false],
    ['auto', { FORCE_COLOR: 'false' }, true, true],
    ['auto', { FORCE_COLOR: '' }, false, false],
    ['auto', { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ] as const)('%s %j tty=%s → %s', (mode, env, tty, out) => {
    expect(decideColor(mode, env, tty)).toBe(out);
  });
});
