import { describe, test, expect } from '@jest/globals';
import { formatDurationNs, formatMsatAsSat, formatSummary } from '../../src/format/summary.js';
import { sanitize } from '../../src/format/sanitize.js';
import type { Summary } from '../../src/events/stats.js';
import { EVENT_TYPE } from '../../src/events/enums.js';
import { CH, T0, at, htlcInfo } from '../builders.js';

const { SEND, RECEIVE, FORWARD, UNKNOWN } = EVENT_TYPE;

describe('formatMsatAsSat (exact, no floats)', () => {
  test.each<[string, string]>([
    ['0', '0'],
    ['1', '0.001'],
    ['10', '0.01'],
    ['999', '0.999'],
    ['1000', '1'],
    ['1500', '1.5'],
    ['1234567', '1234.567'],
    ['-2500', '-2.5'],
    ['18446744073709551615', '18446744073709551.615'],
  ])('%s msat → %s', (msat, expected) => {
    expect(formatMsatAsSat(BigInt(msat))).toBe(expected);
  });
});

describe('formatDurationNs', () => {
  test.each<[string, string]>([
    ['0', '0 ms'],
    ['999', '0 ms'],
    ['1000', '0.001 ms'],
    ['9412353', '9.412 ms'],
    ['412000000', '412 ms'],
    ['999999999', '999.999 ms'],
    ['1000000000', '1 s'],
    ['12345678901', '12.345 s'],
    ['59999000000', '59.999 s'],
    ['60000000000', '1m00s'],
    ['303000000000', '5m03s'],
    ['7500000000000', '2h05m'],
    ['273600000000000', '3d04h'],
    ['-3000000', '-3 ms'],
  ])('%s ns → %s', (ns, expected) => {
    expect(formatDurationNs(BigInt(ns))).toBe(expected);
  });
});

/** A Summary whose every part is set. */
const FULL: Summary = {
  events: {
    total: 31,
    byKind: { forward: 7, forward_fail: 1, settle: 6, link_fail: 5, final_htlc: 9, subscribed: 1, unknown: 0 },
    byType: [
      { eventType: UNKNOWN, count: 10 },
      { eventType: SEND, count: 3 },
      { eventType: RECEIVE, count: 2 },
      { eventType: FORWARD, count: 14 },
      { eventType: 9, count: 0 },
    ],
    replayed: 2,
  },
  forwards: {
    settled: 4,
    failedDownstream: 1,
    failedHere: 3,
    inFlight: 2,
    successRate: 0.5,
    feesEarnedMsat: '1510',
    settledWithoutAmounts: 1,
  },
  inFlightTotal: 2,
  failureReasons: {
    top: [
      { wireFailure: 15, failureDetail: 6, count: 12 },
      { wireFailure: 12, failureDetail: 1, count: 3 },
      { wireFailure: 4242, failureDetail: 99, count: 1 },
    ],
    total: 16,
    approximate: false,
  },
  failingPairs: {
    top: [
      { incomingChannelId: CH.A, outgoingChannelId: CH.B, count: 10 },
      { incomingChannelId: CH.C, outgoingChannelId: CH.D, count: 2 },
    ],
    total: 12,
    approximate: true,
  },
  settleTime: { count: 3, p50Ns: '200000000', p90Ns: '1500000000', p99Ns: '61000000000', exact: true },
  stuck: {
    afterSec: 60,
    blockHeight: 800_000,
    count: 3,
    htlcs: [
      {
        eventType: FORWARD,
        firstSeenNs: at(0n),
        ageNs: '7500000000000',
        incomingChannelId: CH.D,
        incomingHtlcId: '1',
        outgoingChannelId: CH.A,
        outgoingHtlcId: '17',
        info: htlcInfo(3_000_000, 2_999_000, 799_990, 799_950),
        blocksLeft: -10,
      },
      {
        eventType: SEND,
        firstSeenNs: at(0n),
        ageNs: '111000000000',
        incomingChannelId: '0',
        incomingHtlcId: '0',
        outgoingChannelId: CH.B,
        outgoingHtlcId: '4',
        info: htlcInfo(0, 250_001, 0, 800_100),
        blocksLeft: 100,
      },
    ],
  },
  window: { fromNs: T0.toString(), toNs: (T0 + 7_500_000_000_000n).toString() },
};

const ALIASES: Record<string, string> = { [CH.A]: 'Alice⚡', [CH.B]: 'evil\u001b[2J\nbob' };
const aliasOf = (id: string): string | undefined => ALIASES[id];

describe('formatSummary', () => {
  test('aliases are escaped exactly as pretty escapes them (issue 11)', () => {
    const text = formatSummary(FULL, { aliasOf });
    expect(text).toContain(`(${sanitize(ALIASES[CH.B]!)})`);
    expect(text).not.toContain('\u001b');
  });

  test('every part, plain', () => {
    expect(formatSummary(FULL, { aliasOf }).split('\n')).toEqual([
      'htlc-tail summary  (events over 2h05m, lnd clock)',
      'Events        29  (forward 7, forward_fail 1, settle 6, link_fail 5, final_htlc 9, subscribed 1)',
      'Replayed      2  (not counted anywhere else)',
      'By type       UNKNOWN 10, SEND 3, RECEIVE 2, FORWARD 14, 9 0',
      'Forwards      settled 4 · failed downstream 1 · failed here 3 · in flight 2',
      'Success rate  50.0%  (4 of 8)',
      'Fees earned   1.51 sat  (1 settled forward(s) of unknown amount not included)',
      'Settle time   p50 200 ms · p90 1.5 s · p99 1m01s  (3 forwards)',
      'Top failure reasons (link_fail, 16 total)',
      '  12  TEMPORARY_CHANNEL_FAILURE / INSUFFICIENT_BALANCE',
      '   3  FEE_INSUFFICIENT / NO_DETAIL',
      '   1  4242 / 99',
      'Top failing channel pairs (failed forwards, 12 total, approximate)',
      '  10  800000x1x0 (Alice⚡) → 800001x2x1 (evil\\x1b[2J\\x0abob)',
      '   2  800002x3x0 → 800003x4x1',
      'Stuck: 3 HTLCs in flight for more than 60 s (oldest 2 shown)',
      '  2h05m  FORWARD  800003x4x1 #1 → 800000x1x0 (Alice⚡) #17  3000 sat  timelock passed 10 blocks ago',
      '  1m51s  SEND  - → 800001x2x1 (evil\\x1b[2J\\x0abob) #4  250.001 sat  100 blocks left',
    ]);
  });

  test('an empty run', () => {
    const empty: Summary = {
      events: {
        total: 0,
        byKind: { forward: 0, forward_fail: 0, settle: 0, link_fail: 0, final_htlc: 0, subscribed: 0, unknown: 0 },
        byType: [],
        replayed: 0,
      },
      forwards: {
        settled: 0,
        failedDownstream: 0,
        failedHere: 0,
        inFlight: 0,
        feesEarnedMsat: '0',
        settledWithoutAmounts: 0,
      },
      inFlightTotal: 0,
      failureReasons: { top: [], total: 0, approximate: false },
      failingPairs: { top: [], total: 0, approximate: false },
      stuck: { afterSec: 60, count: 0, htlcs: [] },
    };
    expect(formatSummary(empty)).toBe(
      [
        'htlc-tail summary',
        'Events        0',
        'Forwards      settled 0 · failed downstream 0 · failed here 0 · in flight 0',
        'Success rate  n/a (no forward resolved)',
        'Fees earned   0 sat',
        'Settle time   n/a (no settled forward with a known start)',
        'Stuck         none (nothing in flight for more than 60 s; in flight now: 0)',
      ].join('\n'),
    );
  });

  test('colour: labels bold, outcomes coloured, padding outside the escapes', () => {
    const tag =
      (name: string) =>
      (s: string): string =>
        `<${name}>${s}</${name}>`;
    const colorizer = { bold: tag('b'), dim: tag('d'), red: tag('r'), green: tag('g'), yellow: tag('y') };
    const lines = formatSummary(FULL, { colorizer, aliasOf }).split('\n');
    expect(lines[4]).toBe(
      '<b>Forwards      </b><g>settled 4</g><d> · </d><r>failed downstream 1</r><d> · </d><r>failed here 3</r><d> · </d>in flight 2',
    );
    expect(lines[6]).toBe(
      '<b>Fees earned   </b><g>1.51 sat</g><d>  (1 settled forward(s) of unknown amount not included)</d>',
    );
    expect(lines[13]).toBe('  10  800000x1x0 <d>(Alice⚡)</d> → 800001x2x1 <d>(evil\\x1b[2J\\x0abob)</d>');
    expect(lines[16]).toContain('<r>timelock passed 10 blocks ago</r>');
  });

  test('a partial colorizer: missing methods are identity', () => {
    const out = formatSummary(FULL, { colorizer: { bold: (s) => s.toUpperCase() } });
    expect(out.split('\n')[0]).toBe('HTLC-TAIL SUMMARY  (events over 2h05m, lnd clock)');
  });

  test('blocks left: red within a day (144), yellow within 3 days (432)', () => {
    const colorizer = { red: (s: string) => `R(${s})`, yellow: (s: string) => `Y(${s})` };
    const withBlocks = (blocksLeft: number): string => {
      const s: Summary = {
        ...FULL,
        stuck: { ...FULL.stuck, count: 1, htlcs: [{ ...FULL.stuck.htlcs[1]!, blocksLeft }] },
      };
      return formatSummary(s, { colorizer }).split('\n').pop()!;
    };
    expect(withBlocks(1)).toMatch(/R\(1 block left\)$/);
    expect(withBlocks(144)).toMatch(/R\(144 blocks left\)$/);
    expect(withBlocks(145)).toMatch(/Y\(145 blocks left\)$/);
    expect(withBlocks(433)).toMatch(/ 433 blocks left$/);
    expect(withBlocks(-1)).toMatch(/R\(timelock passed 1 block ago\)$/);
  });
});
