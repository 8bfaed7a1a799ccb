/**
 * The metrics sink of one node (node-sink.ts): the `node` label (profile
 * name, else the pubkey from GetInfo, else host:port), the series moving to
 * it with their values (each event counted once), and the stream state
 * across reconnects.
 */
import { describe, expect, test } from '@jest/globals';
import { Correlator } from '../../src/events/correlate.js';
import { createMetrics, type HtlcMetrics } from '../../src/metrics/metrics.js';
import { MetricsNodeSink, type NamedNode } from '../../src/metrics/node-sink.js';
import type { NodeIdentity } from '../../src/transport/node-connection.js';
import { CH, SEC, forward, fwdIds, htlcInfo, settle, subscribed } from '../builders.js';
import { sample, seriesLabels } from './read.js';

const PUB = `02${'ab'.repeat(32)}`;
const ADDR = '10.0.0.1:10009';
const F1 = fwdIds(CH.A, 1, CH.B, 1);
const INFO = htlcInfo(1_001_000, 1_000_000);

/** A node whose GetInfo answers when the test says so. */
function node(profile: string | null, address = ADDR) {
  let answer!: (id: NodeIdentity) => void;
  let calls = 0;
  const asked = new Promise<NodeIdentity>((resolve) => (answer = resolve));
  const n: NamedNode = {
    profile,
    address,
    identity: () => {
      calls++;
      return asked;
    },
  };
  return { n, answer, calls: () => calls };
}

const tick = () => new Promise((r) => setImmediate(r));
const labelsOf = async (m: HtlcMetrics) => [
  ...new Set((await seriesLabels(m, 'htlc_tail_stream_up')).map((l) => l.node)),
];

function feed(sink: MetricsNodeSink, c: Correlator) {
  sink.event(c.apply(subscribed()));
  sink.event(c.apply(forward(F1, 0n, INFO)));
  sink.event(c.apply(settle(F1, 1n * SEC)));
}

describe('the node label', () => {
  test('a profile: its name at once; GetInfo is not asked', async () => {
    const m = await createMetrics({ processMetrics: false });
    const x = node('alice');
    const sink = new MetricsNodeSink(m, x.n);
    sink.subscribed(false);
    feed(sink, new Correlator());
    expect(x.calls()).toBe(0);
    expect(await sample(m, 'htlc_tail_forwards_total', { node: 'alice', outcome: 'settled' })).toBe(1);
    expect(await labelsOf(m)).toEqual(['alice']);
  });

  test('no profile: host:port until GetInfo answers, then every series moves to the pubkey with its value', async () => {
    const m = await createMetrics({ processMetrics: false });
    const x = node(null);
    const sink = new MetricsNodeSink(m, x.n);
    expect(await sample(m, 'htlc_tail_stream_up', { node: ADDR })).toBe(0);
    sink.subscribed(false);
    feed(sink, new Correlator());
    expect(x.calls()).toBe(1);
    // A scrape before the answer: everything under host:port.
    expect(await sample(m, 'htlc_tail_stream_up', { node: ADDR })).toBe(1);
    expect(await sample(m, 'htlc_tail_forwards_total', { node: ADDR, outcome: 'settled' })).toBe(1);
    x.answer({ identity: PUB, pubkey: PUB });
    await tick();
    sink.event(new Correlator().apply(subscribed()));
    expect(await labelsOf(m)).toEqual([PUB]);
    expect(await sample(m, 'htlc_tail_stream_up', { node: PUB })).toBe(1);
    expect(await sample(m, 'htlc_tail_forwards_total', { node: PUB, outcome: 'settled' })).toBe(1);
    expect(await sample(m, 'htlc_tail_events_total', { node: PUB })).toBe(4);
    expect(await sample(m, 'htlc_tail_settle_seconds_count', { node: PUB, type: 'FORWARD' })).toBe(1);
    expect(await sample(m, 'htlc_tail_events_total', { node: ADDR })).toBeUndefined();
    expect(await sample(m, 'htlc_tail_settle_seconds_count', { node: ADDR })).toBeUndefined();
  });

  test('GetInfo not permitted: host:port stays', async () => {
    const m = await createMetrics({ processMetrics: false });
    const x = node(null);
    const sink = new MetricsNodeSink(m, x.n);
    sink.subscribed(false);
    feed(sink, new Correlator());
    x.answer({ identity: ADDR });
    await tick();
    expect(await labelsOf(m)).toEqual([ADDR]);
    expect(await sample(m, 'htlc_tail_events_total', { node: ADDR })).toBe(3);
    expect(await sample(m, 'htlc_tail_settle_seconds_count', { node: ADDR, type: 'FORWARD' })).toBe(1);
  });

  test('two nodes of the run with the same pubkey: the second is told apart by its address', async () => {
    const m = await createMetrics({ processMetrics: false });
    const a = node(null, '10.0.0.1:10009');
    const b = node(null, '10.0.0.2:10009');
    const sa = new MetricsNodeSink(m, a.n);
    const sb = new MetricsNodeSink(m, b.n);
    sa.subscribed(false);
    sb.subscribed(false);
    a.answer({ identity: PUB, pubkey: PUB });
    b.answer({ identity: PUB, pubkey: PUB });
    await tick();
    expect((await labelsOf(m)).sort()).toEqual([PUB, `${PUB}@10.0.0.2:10009`].sort());
  });
});

describe('across reconnects', () => {
  test('counters keep counting, GetInfo is asked once, stream_up follows lost and subscribed', async () => {
    const m = await createMetrics({ processMetrics: false });
    const x = node(null);
    const sink = new MetricsNodeSink(m, x.n);
    const c = new Correlator();
    sink.subscribed(false);
    x.answer({ identity: PUB, pubkey: PUB });
    await tick();
    feed(sink, c);
    sink.lost();
    expect(await sample(m, 'htlc_tail_stream_up', { node: PUB })).toBe(0);
    sink.gap();
    sink.subscribed(true);
    // lnd replays the settle after its restart: an event received, not a second settled forward
    sink.event(c.apply(subscribed()));
    sink.event(c.apply(settle(F1, 2n * SEC)));
    expect(x.calls()).toBe(1);
    expect(await sample(m, 'htlc_tail_stream_up', { node: PUB })).toBe(1);
    expect(await sample(m, 'htlc_tail_reconnects_total', { node: PUB })).toBe(1);
    expect(await sample(m, 'htlc_tail_gaps_total', { node: PUB })).toBe(1);
    expect(await sample(m, 'htlc_tail_events_total', { node: PUB, event: 'settle' })).toBe(2);
    expect(await sample(m, 'htlc_tail_events_total', { node: PUB, event: 'subscribed' })).toBe(2);
    expect(await sample(m, 'htlc_tail_forwards_total', { node: PUB, outcome: 'settled' })).toBe(1);
  });
});
