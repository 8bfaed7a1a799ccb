/**
 * Each metric's increments, table-style: a sequence of events (the test
 * builders, through the real Correlator as the pipeline applies it) and stream
 * hooks into one node's sink, then the values the registry exposes.
 */
import { describe, expect, test } from '@jest/globals';
import { Correlator } from '../../src/events/correlate.js';
import type { HtlcEvent } from '../../src/events/model.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import type { NodeMetrics } from '../../src/metrics/node-metrics.js';
import {
  CH,
  MS,
  SEC,
  T0,
  final,
  forward,
  forwardFail,
  fwdIds,
  htlcInfo,
  linkFail,
  makeHtlc,
  recvIds,
  sendIds,
  settle,
  subscribed,
} from '../builders.js';
import { sample } from './read.js';

type Step = HtlcEvent | ((n: NodeMetrics) => void);
type Want = readonly [metric: string, labels: Record<string, string>, value: number | undefined];

const TEMPORARY_CHANNEL_FAILURE = 15;
const UNKNOWN_NEXT_PEER = 18;
const INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS = 1;
const INSUFFICIENT_BALANCE = 6;
const NO_DETAIL = 1;
const INVOICE_CANCELED = 10;

const F1 = fwdIds(CH.A, 1, CH.B, 11);
const F2 = fwdIds(CH.A, 2, CH.C, 12);
const S1 = sendIds(CH.B, 3);
const R1 = recvIds(CH.C, 9);
/** 1,001,000 → 1,000,000 msat: fee 1,000 msat. */
const INFO = htlcInfo(1_001_000, 1_000_000);

const gap = (n: NodeMetrics) => n.gap();
const lost = (n: NodeMetrics) => n.streamLost();
const up = (reconnected: boolean) => (n: NodeMetrics) => n.subscribed(reconnected);

const EV = 'htlc_tail_events_total';
const FWD = 'htlc_tail_forwards_total';
const LF = 'htlc_tail_link_failures_total';
const EARNED = 'htlc_tail_fees_earned_msat_total';
const MISSED = 'htlc_tail_fees_missed_msat_total';
const MOVED = 'htlc_tail_forwarded_msat_total';
const SETTLE_N = 'htlc_tail_settle_seconds_count';
const SETTLE_SUM = 'htlc_tail_settle_seconds_sum';
const INFLIGHT = 'htlc_tail_in_flight';

const pair = (outcome: string, inCh: string = CH.A, outCh: string = CH.B) => ({
  outcome,
  in_channel: inCh,
  out_channel: outCh,
});

const CASES: ReadonlyArray<readonly [string, readonly Step[], readonly Want[]]> = [
  [
    'settle after forward: settled once, fee earned and amount forwarded from the forward, settle time, in flight back to 0',
    [forward(F1, 0n, INFO), settle(F1, 250n * MS), final(CH.A, 1, 300n * MS, true)],
    [
      [EV, { event: 'forward', type: 'FORWARD' }, 1],
      [EV, { event: 'settle', type: 'FORWARD' }, 1],
      [EV, { event: 'final_htlc', type: 'UNKNOWN' }, 1],
      [FWD, pair('settled'), 1],
      [FWD, pair('failed_here'), undefined],
      [FWD, pair('failed_downstream'), undefined],
      [EARNED, { out_channel: CH.B }, 1000],
      [MOVED, { out_channel: CH.B }, 1_000_000],
      [MISSED, { out_channel: CH.B }, 0],
      [SETTLE_N, { type: 'FORWARD' }, 1],
      [SETTLE_SUM, { type: 'FORWARD' }, 0.25],
      ['htlc_tail_settle_seconds_bucket', { type: 'FORWARD', le: '0.1' }, 0],
      ['htlc_tail_settle_seconds_bucket', { type: 'FORWARD', le: '0.25' }, 1],
      ['htlc_tail_settle_seconds_bucket', { type: 'FORWARD', le: '600' }, 1],
      ['htlc_tail_settle_seconds_bucket', { type: 'FORWARD', le: '+Inf' }, 1],
      [INFLIGHT, { type: 'FORWARD' }, 0],
    ],
  ],
  [
    'a forward alone is in flight',
    [forward(F1, 0n, INFO), forward(F2, 1n, INFO)],
    [
      [INFLIGHT, { type: 'FORWARD' }, 2],
      [FWD, {}, undefined],
    ],
  ],
  [
    'link_fail on a FORWARD: failed here, its reason, the fee it offered missed',
    [linkFail(F1, 0n, INFO, TEMPORARY_CHANNEL_FAILURE, INSUFFICIENT_BALANCE), final(CH.A, 1, 1n * MS, false)],
    [
      [FWD, pair('failed_here'), 1],
      [FWD, pair('settled'), undefined],
      [LF, { out_channel: CH.B, wire_failure: 'TEMPORARY_CHANNEL_FAILURE', failure_detail: 'INSUFFICIENT_BALANCE' }, 1],
      [MISSED, { out_channel: CH.B }, 1000],
      [EARNED, { out_channel: CH.B }, 0],
      [MOVED, { out_channel: CH.B }, 0],
      [INFLIGHT, { type: 'FORWARD' }, 0],
    ],
  ],
  [
    'forward_fail: failed downstream, nothing earned or missed, no settle time',
    [forward(F1, 0n, INFO), forwardFail(F1, 2n * SEC), final(CH.A, 1, 3n * SEC, false)],
    [
      [FWD, pair('failed_downstream'), 1],
      [FWD, pair('settled'), undefined],
      [EARNED, {}, undefined],
      [MISSED, {}, undefined],
      [SETTLE_N, { type: 'FORWARD' }, 0],
      [INFLIGHT, { type: 'FORWARD' }, 0],
    ],
  ],
  [
    'replayed events count as events received, never again as outcomes, fees, failures or settle times',
    [
      forward(F1, 0n, INFO),
      settle(F1, 100n * MS),
      forward(F1, 5n * SEC, INFO),
      settle(F1, 5n * SEC + 100n * MS),
      linkFail(F2, 6n * SEC, INFO, TEMPORARY_CHANNEL_FAILURE, INSUFFICIENT_BALANCE),
      linkFail(F2, 7n * SEC, INFO, TEMPORARY_CHANNEL_FAILURE, INSUFFICIENT_BALANCE),
    ],
    [
      [EV, { event: 'forward', type: 'FORWARD' }, 2],
      [EV, { event: 'settle', type: 'FORWARD' }, 2],
      [EV, { event: 'link_fail', type: 'FORWARD' }, 2],
      [FWD, pair('settled'), 1],
      [EARNED, { out_channel: CH.B }, 1000],
      [MOVED, { out_channel: CH.B }, 1_000_000],
      [SETTLE_N, { type: 'FORWARD' }, 1],
      [FWD, pair('failed_here', CH.A, CH.C), 1],
      [LF, { out_channel: CH.C }, 1],
      [MISSED, { out_channel: CH.C }, 1000],
      [INFLIGHT, { type: 'FORWARD' }, 0],
    ],
  ],
  [
    'events printed from the history store (--since/--tail) are not counted: only the live ones',
    [
      { ...forward(F1, 0n, INFO), recorded: {} },
      { ...settle(F1, 100n * MS), recorded: {} },
      forward(F2, 1n * SEC, INFO),
    ],
    [
      [EV, { event: 'forward', type: 'FORWARD' }, 1],
      [EV, { event: 'settle', type: 'FORWARD' }, 0],
      [FWD, pair('settled'), undefined],
      [EARNED, {}, undefined],
      [INFLIGHT, { type: 'FORWARD' }, 1],
    ],
  ],
  [
    'a settle whose forward this run did not see: settled, no amounts, in flight untouched',
    [forward(F2, 0n, INFO), settle(F1, 1n * SEC)],
    [
      [FWD, pair('settled'), 1],
      [EARNED, { out_channel: CH.B }, 0],
      [MOVED, { out_channel: CH.B }, 0],
      [SETTLE_N, { type: 'FORWARD' }, 0],
      [INFLIGHT, { type: 'FORWARD' }, 1],
    ],
  ],
  [
    'a payment (SEND): in flight and settle time under SEND, not a forward',
    [
      forward(S1, 0n, htlcInfo(0, 500_000)),
      (n) => expect(n.inFlightSeries.find((s) => s.labels.type === 'SEND')!.value).toBe(1),
      settle(S1, 2n * SEC),
    ],
    [
      [EV, { event: 'forward', type: 'SEND' }, 1],
      [EV, { event: 'settle', type: 'SEND' }, 1],
      [INFLIGHT, { type: 'SEND' }, 0],
      [SETTLE_N, { type: 'SEND' }, 1],
      [SETTLE_SUM, { type: 'SEND' }, 2],
      [FWD, {}, undefined],
      [MOVED, {}, undefined],
    ],
  ],
  [
    'receives: settle and final_htlc counted (final_htlc under UNKNOWN), a failed receive is a link failure on out_channel 0, not a forward',
    [
      settle(R1, 0n),
      final(CH.C, 9, 1n * MS, true),
      linkFail(recvIds(CH.C, 10), 2n * MS, htlcInfo(5000, 0), INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS, INVOICE_CANCELED),
    ],
    [
      [EV, { event: 'settle', type: 'RECEIVE' }, 1],
      [EV, { event: 'final_htlc', type: 'UNKNOWN' }, 1],
      [EV, { event: 'link_fail', type: 'RECEIVE' }, 1],
      [
        LF,
        { out_channel: '0', wire_failure: 'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS', failure_detail: 'INVOICE_CANCELED' },
        1,
      ],
      [FWD, {}, undefined],
      [MISSED, {}, undefined],
      [SETTLE_N, {}, 0],
    ],
  ],
  [
    'subscribed and unknown kinds count as events; an event_type number this tool does not know is its number',
    [subscribed(), makeHtlc({ event: 'unknown', eventType: 7, info: undefined })],
    [
      [EV, { event: 'subscribed', type: 'UNKNOWN' }, 1],
      [EV, { event: 'unknown', type: '7' }, 1],
      [EV, { event: 'forward' }, 0],
    ],
  ],
  [
    'settle times land in the first bucket whose bound they do not exceed; slow ones only in +Inf',
    [
      forward(F1, 0n, INFO),
      settle(F1, 10n * MS),
      forward(F2, 1n, INFO),
      settle(F2, 1n + 700n * SEC),
      forward(fwdIds(CH.D, 3, CH.B, 14), 2n, INFO),
      settle(fwdIds(CH.D, 3, CH.B, 14), 2n + 11n * MS),
    ],
    [
      ['htlc_tail_settle_seconds_bucket', { type: 'FORWARD', le: '0.01' }, 1],
      ['htlc_tail_settle_seconds_bucket', { type: 'FORWARD', le: '0.025' }, 2],
      ['htlc_tail_settle_seconds_bucket', { type: 'FORWARD', le: '600' }, 2],
      ['htlc_tail_settle_seconds_bucket', { type: 'FORWARD', le: '+Inf' }, 3],
      [SETTLE_N, { type: 'FORWARD' }, 3],
      [SETTLE_SUM, { type: 'FORWARD' }, 700.021],
    ],
  ],
  [
    'unknown failure codes keep their numbers',
    [linkFail(F1, 0n, INFO, 777, 99)],
    [[LF, { wire_failure: '777', failure_detail: '99' }, 1]],
  ],
  [
    'a fee is counted only when both amounts are known and incoming exceeds outgoing',
    [
      forward(F1, 0n, htlcInfo(1_000_000, 1_000_000)),
      settle(F1, 1n * MS),
      forward(F2, 2n * MS, htlcInfo(0, 1_000)),
      settle(F2, 3n * MS),
    ],
    [
      [EARNED, { out_channel: CH.B }, 0],
      [MOVED, { out_channel: CH.B }, 1_000_000],
      [EARNED, { out_channel: CH.C }, 0],
      [MOVED, { out_channel: CH.C }, 1_000],
    ],
  ],
  [
    'fees and amounts add up per outgoing channel',
    [
      forward(F1, 0n, htlcInfo(2_000_500, 2_000_000)),
      forward(fwdIds(CH.D, 5, CH.B, 13), 1n, htlcInfo(3_000_700, 3_000_000)),
      settle(F1, 10n * MS),
      settle(fwdIds(CH.D, 5, CH.B, 13), 20n * MS),
    ],
    [
      [EARNED, { out_channel: CH.B }, 1200],
      [MOVED, { out_channel: CH.B }, 5_000_000],
      [FWD, pair('settled', CH.A, CH.B), 1],
      [FWD, pair('settled', CH.D, CH.B), 1],
    ],
  ],
  [
    'reconnect keeps counters; stream_up follows the stream; reconnects and gaps counted',
    [
      up(false),
      forward(F1, 0n, INFO),
      settle(F1, 1n * SEC),
      lost,
      (n) => expect(n.streamUp.value).toBe(0),
      gap,
      up(true),
      forward(F2, 20n * SEC, INFO),
      settle(F2, 21n * SEC),
    ],
    [
      [FWD, { outcome: 'settled' }, 2],
      [EV, { event: 'settle', type: 'FORWARD' }, 2],
      [EARNED, {}, 2000],
      ['htlc_tail_stream_up', {}, 1],
      ['htlc_tail_reconnects_total', {}, 1],
      ['htlc_tail_gaps_total', {}, 1],
    ],
  ],
  [
    'a gap resets in flight; outcomes of forwards from before it do not count against the new figure',
    [
      forward(F1, 0n, INFO),
      forward(fwdIds(CH.D, 3, CH.B, 14), 1n * SEC, INFO),
      gap,
      forward(F2, 10n * SEC, INFO),
      settle(F1, 11n * SEC),
    ],
    [
      [INFLIGHT, { type: 'FORWARD' }, 1],
      [FWD, pair('settled'), 1],
      [SETTLE_N, { type: 'FORWARD' }, 1],
    ],
  ],
  [
    'the forward just before a gap belongs to the old subscription, the first one after it to the new',
    [
      forward(F1, 5n * SEC, INFO),
      gap,
      forward(F2, 5n * SEC + 1n, INFO),
      settle(F1, 6n * SEC),
      (n) => expect(n.inFlightSeries.find((s) => s.labels.type === 'FORWARD')!.value).toBe(1),
      settle(F2, 7n * SEC),
    ],
    [[INFLIGHT, { type: 'FORWARD' }, 0]],
  ],
  [
    'stream state before any subscription: down, no reconnects, no gaps, no last event',
    [],
    [
      ['htlc_tail_stream_up', {}, 0],
      ['htlc_tail_reconnects_total', {}, 0],
      ['htlc_tail_gaps_total', {}, 0],
      ['htlc_tail_last_event_timestamp_seconds', {}, undefined],
      [INFLIGHT, { type: 'FORWARD' }, 0],
      [INFLIGHT, { type: 'SEND' }, 0],
      [SETTLE_N, { type: 'FORWARD' }, 0],
      [SETTLE_N, { type: 'SEND' }, 0],
      ['htlc_tail_settle_seconds_bucket', { type: 'SEND', le: '+Inf' }, 0],
    ],
  ],
  [
    'last event timestamp: the last HTLC event (lnd clock), not the subscribed event',
    [forward(F1, 0n, INFO), settle(F1, 1500n * MS), subscribed()],
    [['htlc_tail_last_event_timestamp_seconds', {}, Number(T0 / SEC) + 1.5]],
  ],
];

async function run(steps: readonly Step[]) {
  const m = await createMetrics({ processMetrics: false });
  const n = m.node('03abc');
  const c = new Correlator();
  for (const s of steps) {
    if (typeof s === 'function') s(n);
    else n.event(c.apply(s));
  }
  return m;
}

describe('NodeMetrics increments', () => {
  test.each(CASES)('%s', async (_name, steps, wants) => {
    const m = await run(steps);
    for (const [metric, labels, value] of wants) {
      const got = await sample(m, metric, { node: '03abc', ...labels });
      expect({ metric, labels, value: got }).toEqual({ metric, labels, value });
    }
  });
});

describe('one registry for the run', () => {
  test('node(name) returns the same sink: a new session for the same node keeps counting', async () => {
    const m = await createMetrics({ processMetrics: false });
    const c = new Correlator();
    m.node('a').event(c.apply(forward(F1, 0n, INFO)));
    m.node('a').event(c.apply(settle(F1, 1n * SEC)));
    expect(m.node('a')).toBe(m.node('a'));
    expect(await sample(m, FWD, { node: 'a', outcome: 'settled' })).toBe(1);
  });

  test('two nodes: separate series under their own node label', async () => {
    const m = await createMetrics({ processMetrics: false });
    m.node('a').event(new Correlator().apply(forward(F1, 0n, INFO)));
    m.node('b').event(new Correlator().apply(linkFail(F1, 0n, INFO, UNKNOWN_NEXT_PEER, NO_DETAIL)));
    expect(await sample(m, EV, { node: 'a', event: 'forward', type: 'FORWARD' })).toBe(1);
    expect(await sample(m, EV, { node: 'b', event: 'forward', type: 'FORWARD' })).toBe(0);
    expect(await sample(m, LF, { node: 'b', wire_failure: 'UNKNOWN_NEXT_PEER', failure_detail: 'NO_DETAIL' })).toBe(1);
    expect(await sample(m, LF, { node: 'a' })).toBeUndefined();
  });

  test('default process metrics are on the same registry, and the global default registry stays empty', async () => {
    const m = await createMetrics();
    expect(await m.text()).toMatch(/^process_cpu_user_seconds_total /m);
    expect(await m.text()).toMatch(/^nodejs_heap_size_used_bytes /m);
    const prom = await import('prom-client');
    expect(prom.register.getMetricsAsArray()).toHaveLength(0);
  });
});
