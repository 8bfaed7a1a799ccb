import { describe, test, expect } from '@jest/globals';
import { Correlator } from '../../src/events/correlate.js';
import { DurationSketch } from '../../src/events/duration-sketch.js';
import { Stats, type Summary } from '../../src/events/stats.js';
import { TopCounter } from '../../src/events/top-counter.js';
import type { HtlcEvent } from '../../src/events/model.js';
import { EVENT_TYPE } from '../../src/events/enums.js';
import {
  CH,
  MS,
  SEC,
  T0,
  at,
  final,
  forward,
  forwardFail,
  fwdIds,
  htlcInfo,
  linkFail,
  recvIds,
  sendIds,
  settle,
  subscribed,
} from '../builders.js';

const { SEND, RECEIVE, FORWARD, UNKNOWN } = EVENT_TYPE;

/**
 * A scripted stream whose right answers are worked out by hand below.
 *
 * F1 A:1→B:1  1,001,000 → 1,000,000 (fee 1000)  settled after 100 ms, final
 * F2 A:2→C:1  2,000,500 → 2,000,000 (fee 500)   settled after 300 ms, final, settle replayed
 * F3 B:1→C:2  5,000,010 → 5,000,000 (fee 10)    settled after 200 ms, final
 * F4 A:3→B:2  1,000,100 → 1,000,000 (fee 100 offered, not earned)  forward_fail, final
 * F5 A:4→B:0  link_fail TEMPORARY_CHANNEL_FAILURE/INSUFFICIENT_BALANCE, final
 * F6 A:5→B:0  link_fail TEMPORARY_CHANNEL_FAILURE/INSUFFICIENT_BALANCE, final
 * F7 C:1→D:0  link_fail FEE_INSUFFICIENT/NO_DETAIL, final
 * R1 A:6      RECEIVE link_fail INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS/UNKNOWN_INVOICE, final
 * R2 A:7      RECEIVE settle, final
 * S1 →B:9     SEND forward, settle
 * X  C:9→D:9  FORWARD settle whose forward was not seen (no amounts)
 * S2 →C:0     SEND link_fail TEMPORARY_CHANNEL_FAILURE/INSUFFICIENT_BALANCE
 * F8 D:1→A:1  forward at 9 s, never resolved (stuck at 120 s), incoming timelock 800,100
 * F9 D:2→A:2  forward at 100 s, never resolved (20 s old at 120 s: not stuck)
 */
function script(): HtlcEvent[] {
  const f1 = fwdIds(CH.A, 1, CH.B, 1);
  const f2 = fwdIds(CH.A, 2, CH.C, 1);
  const f3 = fwdIds(CH.B, 1, CH.C, 2);
  const f4 = fwdIds(CH.A, 3, CH.B, 2);
  const s1 = sendIds(CH.B, 9);
  const x = fwdIds(CH.C, 9, CH.D, 9);
  return [
    subscribed(),
    forward(f1, 0n, htlcInfo(1_001_000, 1_000_000)),
    settle(f1, 100n * MS),
    final(CH.A, 1, 110n * MS, true),
    forward(f2, 1n * SEC, htlcInfo(2_000_500, 2_000_000)),
    settle(f2, 1n * SEC + 300n * MS),
    final(CH.A, 2, 1n * SEC + 310n * MS, true),
    settle(f2, 1n * SEC + 400n * MS), // replay
    forward(f3, 2n * SEC, htlcInfo(5_000_010, 5_000_000)),
    settle(f3, 2n * SEC + 200n * MS),
    final(CH.B, 1, 2n * SEC + 210n * MS, true),
    forward(f4, 3n * SEC, htlcInfo(1_000_100, 1_000_000)),
    forwardFail(f4, 3n * SEC + 50n * MS),
    final(CH.A, 3, 3n * SEC + 60n * MS, false),
    linkFail(fwdIds(CH.A, 4, CH.B, 0), 4n * SEC, htlcInfo(1_000_000, 999_000), 15, 6),
    final(CH.A, 4, 4n * SEC + 1n * MS, false),
    linkFail(fwdIds(CH.A, 5, CH.B, 0), 4n * SEC + 500n * MS, htlcInfo(1_000_000, 999_000), 15, 6),
    final(CH.A, 5, 4n * SEC + 501n * MS, false),
    linkFail(fwdIds(CH.C, 1, CH.D, 0), 5n * SEC, htlcInfo(700_000, 699_990), 12, 1),
    final(CH.C, 1, 5n * SEC + 1n * MS, false),
    linkFail(recvIds(CH.A, 6), 6n * SEC, htlcInfo(50_000, 0), 1, 19),
    final(CH.A, 6, 6n * SEC + 1n * MS, false),
    settle(recvIds(CH.A, 7), 7n * SEC),
    final(CH.A, 7, 7n * SEC + 1n * MS, true),
    forward(s1, 8n * SEC, htlcInfo(0, 300_000, 0, 800_040)),
    settle(s1, 8n * SEC + 400n * MS),
    forward(fwdIds(CH.D, 1, CH.A, 1), 9n * SEC, htlcInfo(3_000_000, 2_999_000, 800_100, 800_060)),
    settle(x, 10n * SEC),
    linkFail(sendIds(CH.C, 0), 11n * SEC, htlcInfo(0, 10_000), 15, 6),
    forward(fwdIds(CH.D, 2, CH.A, 2), 100n * SEC, htlcInfo(4_000_000, 3_998_000, 800_200, 800_160)),
  ];
}

function summarize(blockHeight?: number): Summary {
  const c = new Correlator();
  const s = new Stats();
  for (const ev of script()) s.add(c.apply(ev));
  const nowNs = T0 + 120n * SEC;
  return s.snapshot({
    nowNs,
    stuckAfterSec: 60,
    inFlight: c.inFlight(nowNs),
    ...(blockHeight === undefined ? {} : { blockHeight }),
  });
}

describe('Stats over a scripted stream', () => {
  const sum = summarize(800_000);

  test.each<[string, unknown, unknown]>([
    ['events.total (replay included)', sum.events.total, 30],
    ['events.replayed', sum.events.replayed, 1],
    [
      'events.byKind (replay excluded)',
      sum.events.byKind,
      { forward: 7, forward_fail: 1, settle: 6, link_fail: 5, final_htlc: 9, subscribed: 1, unknown: 0 },
    ],
    [
      // issue 11: a final_htlc counts under its HTLC's type (7 forward finals, 2 receive finals); UNKNOWN is the subscribed event
      'events.byType (a final_htlc by its HTLC)',
      sum.events.byType,
      [
        { eventType: UNKNOWN, count: 1 },
        { eventType: SEND, count: 3 },
        { eventType: RECEIVE, count: 4 },
        { eventType: FORWARD, count: 21 },
      ],
    ],
    ['forwards.settled', sum.forwards.settled, 4],
    ['forwards.failedDownstream', sum.forwards.failedDownstream, 1],
    ['forwards.failedHere', sum.forwards.failedHere, 3],
    ['forwards.inFlight', sum.forwards.inFlight, 2],
    ['forwards.successRate', sum.forwards.successRate, 0.5],
    ['forwards.feesEarnedMsat', sum.forwards.feesEarnedMsat, '1510'],
    ['forwards.settledWithoutAmounts', sum.forwards.settledWithoutAmounts, 1],
    ['inFlightTotal', sum.inFlightTotal, 2],
    [
      'failureReasons',
      sum.failureReasons,
      {
        top: [
          { wireFailure: 15, failureDetail: 6, count: 3 },
          { wireFailure: 12, failureDetail: 1, count: 1 },
          { wireFailure: 1, failureDetail: 19, count: 1 },
        ],
        total: 5,
        approximate: false,
      },
    ],
    [
      'failingPairs',
      sum.failingPairs,
      {
        top: [
          { incomingChannelId: CH.A, outgoingChannelId: CH.B, count: 3 },
          { incomingChannelId: CH.C, outgoingChannelId: CH.D, count: 1 },
        ],
        total: 4,
        approximate: false,
      },
    ],
    // settle times 100, 300, 200 ms; nearest rank: p50 → rank 2, p90 and p99 → rank 3
    [
      'settleTime',
      sum.settleTime,
      { count: 3, p50Ns: '200000000', p90Ns: '300000000', p99Ns: '300000000', exact: true },
    ],
    ['window', sum.window, { fromNs: at(0n), toNs: at(100n * SEC) }],
    [
      'stuck (F8 only, 111 s old, 100 blocks left)',
      sum.stuck,
      {
        afterSec: 60,
        blockHeight: 800_000,
        count: 1,
        htlcs: [
          {
            eventType: FORWARD,
            firstSeenNs: at(9n * SEC),
            ageNs: '111000000000',
            incomingChannelId: CH.D,
            incomingHtlcId: '1',
            outgoingChannelId: CH.A,
            outgoingHtlcId: '1',
            info: htlcInfo(3_000_000, 2_999_000, 800_100, 800_060),
            blocksLeft: 100,
          },
        ],
      },
    ],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  test('counts add up', () => {
    const kinds = Object.values(sum.events.byKind).reduce((a, b) => a + b, 0);
    expect(kinds + sum.events.replayed).toBe(sum.events.total);
    expect(sum.events.byType.reduce((a, t) => a + t.count, 0)).toBe(kinds);
    expect(sum.failingPairs.total).toBe(sum.forwards.failedDownstream + sum.forwards.failedHere);
  });

  test('without a block height: no blocksLeft', () => {
    const s = summarize();
    expect(s.stuck.blockHeight).toBeUndefined();
    expect(s.stuck.htlcs[0]!.blocksLeft).toBeUndefined();
  });

  test('a snapshot does not change the state; later events keep counting', () => {
    const c = new Correlator();
    const s = new Stats();
    const f = fwdIds(CH.A, 1, CH.B, 1);
    s.add(c.apply(forward(f, 0n, htlcInfo(2000, 1000))));
    const first = s.snapshot({ nowNs: T0, stuckAfterSec: 60, inFlight: c.inFlight(T0) });
    expect(first.forwards.inFlight).toBe(1);
    expect(first.forwards.successRate).toBeUndefined();
    expect(first.settleTime).toBeUndefined();
    s.add(c.apply(settle(f, 5n * MS)));
    const second = s.snapshot({ nowNs: T0, stuckAfterSec: 60, inFlight: c.inFlight(T0) });
    expect(second.forwards).toEqual({
      settled: 1,
      failedDownstream: 0,
      failedHere: 0,
      inFlight: 0,
      successRate: 1,
      feesEarnedMsat: '1000',
      settledWithoutAmounts: 0,
    });
  });

  test('fees are exact beyond 2^53 msat', () => {
    const c = new Correlator();
    const s = new Stats();
    const big = '9007199254740993'; // 2^53 + 1
    for (let i = 0; i < 3; i++) {
      const f = fwdIds(CH.A, i, CH.B, i);
      s.add(c.apply(forward(f, 0n, htlcInfo(big, '1'))));
      s.add(c.apply(settle(f, 1n)));
    }
    expect(s.snapshot({ nowNs: T0, stuckAfterSec: 60, inFlight: [] }).forwards.feesEarnedMsat).toBe(
      '27021597764222976',
    );
  });

  test('stuck: oldest first, at most 10 listed, all counted; a passed timelock gives negative blocks; SEND uses the outgoing timelock', () => {
    const c = new Correlator();
    const s = new Stats();
    for (let i = 0; i < 12; i++) {
      s.add(c.apply(forward(fwdIds(CH.A, i, CH.B, i), BigInt(i) * SEC, htlcInfo(2000, 1000, 800_010 + i, 800_000))));
    }
    s.add(c.apply(forward(sendIds(CH.C, 1), 0n, htlcInfo(0, 1000, 0, 800_050))));
    const nowNs = T0 + 3600n * SEC;
    const sum = s.snapshot({ nowNs, stuckAfterSec: 60, blockHeight: 800_015, inFlight: c.inFlight(nowNs) });
    expect(sum.stuck.count).toBe(13);
    expect(sum.stuck.htlcs).toHaveLength(10);
    expect(sum.stuck.htlcs.map((h) => [h.eventType, h.ageNs, h.blocksLeft])).toEqual([
      [FORWARD, '3600000000000', -5],
      [SEND, '3600000000000', 35],
      [FORWARD, '3599000000000', -4],
      [FORWARD, '3598000000000', -3],
      [FORWARD, '3597000000000', -2],
      [FORWARD, '3596000000000', -1],
      [FORWARD, '3595000000000', 0],
      [FORWARD, '3594000000000', 1],
      [FORWARD, '3593000000000', 2],
      [FORWARD, '3592000000000', 3],
    ]);
  });

  test('stuckAfterSec is a strict bound', () => {
    const inFlight = [
      {
        eventType: FORWARD,
        firstSeenNs: T0.toString(),
        ageNs: '0',
        incomingChannelId: CH.A,
        incomingHtlcId: '1',
        outgoingChannelId: CH.B,
        outgoingHtlcId: '1',
      },
    ];
    const s = new Stats();
    expect(s.snapshot({ nowNs: T0 + 60n * SEC, stuckAfterSec: 60, inFlight }).stuck.count).toBe(0);
    expect(s.snapshot({ nowNs: T0 + 60n * SEC + 1n, stuckAfterSec: 60, inFlight }).stuck.count).toBe(1);
  });
});

describe('DurationSketch', () => {
  test.each<[string, number[], number[]]>([
    ['1..100 ms', Array.from({ length: 100 }, (_, i) => (i + 1) * 1e6), [50e6, 90e6, 99e6]],
    ['one sample', [7], [7, 7, 7]],
    ['1..10 (rank ⌈p·n/100⌉)', [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], [5, 9, 10]],
    ['negative counts as 0', [-5, 10], [0, 10, 10]],
  ])('exact: %s', (_name, values, expected) => {
    const d = new DurationSketch();
    for (const v of values) d.add(BigInt(v));
    expect(d.exact).toBe(true);
    expect(d.percentiles([50, 90, 99])).toEqual(expected);
  });

  test('empty: undefined', () => {
    expect(new DurationSketch().percentiles([50])).toBeUndefined();
  });

  test('beyond the exact sample: histogram within 0.8%', () => {
    const d = new DurationSketch(1000);
    const values: number[] = [];
    // A skewed spread from 1 µs to ~10 min.
    for (let i = 0; i < 50_000; i++) {
      const v = Math.floor(1000 * Math.pow(1.0004, i));
      values.push(v);
      d.add(BigInt(v));
    }
    expect(d.exact).toBe(false);
    values.sort((a, b) => a - b);
    const ps = [50, 90, 99];
    const got = d.percentiles(ps)!;
    ps.forEach((p, i) => {
      const want = values[Math.ceil((p * values.length) / 100) - 1]!;
      expect(Math.abs(got[i]! - want) / want).toBeLessThanOrEqual(0.008);
    });
  });
});

describe('TopCounter', () => {
  test('exact under capacity; ties in key order', () => {
    const t = new TopCounter(10);
    for (const k of ['b', 'a', 'c', 'a', 'b', 'a']) t.add(k);
    expect(t.top(5)).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 1],
    ]);
    expect(t.total).toBe(6);
    expect(t.approximate).toBe(false);
  });

  test('over capacity: bounded, heavy hitters kept, flagged approximate', () => {
    const t = new TopCounter(3);
    for (let i = 0; i < 100; i++) {
      t.add('heavy');
      t.add(`noise${i}`);
    }
    expect(t.top(1)).toEqual([['heavy', 100]]);
    expect(t.approximate).toBe(true);
    expect(t.total).toBe(200);
  });
});
