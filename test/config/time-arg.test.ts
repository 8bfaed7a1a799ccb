/**
 * `--since` / `--until` TIME (SPEC "History"), a table of inputs and the Unix
 * ns they mean. Expected values are written out by hand (UTC instants, and
 * local midnights in a fixed zone), not computed by the code under test.
 */
import { describe, expect, test } from '@jest/globals';
import { parseTimeArg } from '../../src/config/time-arg.js';
import { HtlcTailError } from '../../src/errors.js';

const NOW = Date.UTC(2026, 11, 5, 12, 0, 0); // 2026-12-05T12:00:00Z
const ns = (iso: string, extraNs = 0n) => BigInt(Date.parse(iso)) * 1_000_000n + extraNs;

/** New York's midnight, written out: UTC−5 from November to March, UTC−4 in summer (enough for these dates). */
const newYorkMidnight = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, m >= 4 && m <= 10 ? 4 : 5);

describe('parseTimeArg', () => {
  test.each([
    ['2026-12-01T10:00:00Z', ns('2026-12-01T10:00:00Z')],
    ['2026-12-01t10:00:00z', ns('2026-12-01T10:00:00Z')],
    ['2026-12-01 10:00:00Z', ns('2026-12-01T10:00:00Z')],
    ['2026-12-01T10:00:00.5Z', ns('2026-12-01T10:00:00Z', 500_000_000n)],
    ['2026-12-01T10:00:00.123456789Z', ns('2026-12-01T10:00:00Z', 123_456_789n)],
    ['2026-12-01T10:00:00+01:00', ns('2026-12-01T09:00:00Z')],
    ['2026-12-01T10:00:00-05:30', ns('2026-12-01T15:30:00Z')],
    ['2016-12-31T23:59:60Z', ns('2017-01-01T00:00:00Z')],
    ['2024-02-29T00:00:00Z', ns('2024-02-29T00:00:00Z')],
    // ages before NOW
    ['90s', ns('2026-12-05T11:58:30Z')],
    ['15m', ns('2026-12-05T11:45:00Z')],
    ['2h', ns('2026-12-05T10:00:00Z')],
    ['7d', ns('2026-11-28T12:00:00Z')],
    ['0s', ns('2026-12-05T12:00:00Z')],
    [' 1h ', ns('2026-12-05T11:00:00Z')],
  ])('%j', (input, expected) => {
    expect(parseTimeArg(input, '--since', NOW)).toBe(expected);
  });

  test.each([
    ['2026-12-01', ns('2026-12-01T05:00:00Z')],
    ['2026-07-01', ns('2026-07-01T04:00:00Z')],
  ])('the date %j is local midnight (New York)', (input, expected) => {
    expect(parseTimeArg(input, '--since', NOW, newYorkMidnight)).toBe(expected);
  });

  test("by default a date is this machine's local midnight", () => {
    // ECMAScript reads a date-time without an offset as local time: an independent way to the same instant.
    expect(parseTimeArg('2026-12-01', '--since', NOW)).toBe(
      BigInt(new Date('2026-12-01T00:00:00').getTime()) * 1_000_000n,
    );
    expect(parseTimeArg('2026-07-01', '--since', NOW)).toBe(
      BigInt(new Date('2026-07-01T00:00:00').getTime()) * 1_000_000n,
    );
  });

  test.each([
    ['yesterday', 'is not a time'],
    ['', 'is not a time'],
    ['1.5h', 'is not a time'],
    ['-2h', 'is not a time'],
    ['2h30m', 'is not a time'],
    ['7w', 'is not a time'],
    ['2026-13-01', 'is not a calendar date'],
    ['2025-02-29', 'is not a calendar date'],
    ['2026-12-01T25:00:00Z', 'is not a valid time'],
    ['2026-12-01T10:00:00', 'is not a time'],
    ['2026-12-01T10:00Z', 'is not a time'],
    ['1700000000', 'is not a time'],
  ])('%j is a usage error', (input, why) => {
    let err: unknown;
    try {
      parseTimeArg(input, '--until', NOW);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HtlcTailError);
    expect((err as HtlcTailError).kind).toBe('usage');
    expect((err as Error).message).toBe(
      `--until ${JSON.stringify(input)} ${why}; give an RFC 3339 time (2026-12-01T10:00:00Z), a date (2026-12-01, local midnight) or an age (90s, 15m, 2h, 7d)`,
    );
  });
});
