/**
 * The scrape's own writer of the htlc_tail_* families (exposition.ts, used by
 * HtlcMetrics.render()) against prom-client's rendering of the same registry
 * (`registry.metrics()`, which renders our families through their `get()`):
 * byte for byte, table-style, over states that exercise every family, label
 * values that need escaping, values that are not small integers, and a node
 * renamed between scrapes. Also the writer's values against prom-client's
 * number formatting, and the families' `get()` as prom-client's JSON.
 */
import { describe, expect, test } from '@jest/globals';
import { AliasBook } from '../../src/events/aliases.js';
import { Correlator } from '../../src/events/correlate.js';
import { ExpositionWriter, valueText } from '../../src/metrics/exposition.js';
import { createMetrics, type HtlcMetrics } from '../../src/metrics/metrics.js';
import { CH, SEC, forward, fwdIds, htlcInfo, linkFail, settle, subscribed } from '../builders.js';
import { emptyTally, routingEvents } from './scenario.js';

const PUB = `02${'ab'.repeat(32)}`;

function book(): AliasBook {
  const b = new AliasBook();
  b.load(
    [
      { chan_id: CH.A, remote_pubkey: PUB, peer_alias: 'al"ice\\ \n⚡ Zürich' },
      { chan_id: CH.B, remote_pubkey: PUB, peer_alias: '' },
    ],
    new Map(),
  );
  return b;
}

/** [case, what is done to a fresh run's metrics before the scrape] */
const CASES: ReadonlyArray<readonly [string, (m: HtlcMetrics) => void | Promise<void>]> = [
  ['a run with no node yet', () => undefined],
  ['a node before its first event: the zero series', (m) => void m.node('alice')],
  [
    'a routing scenario (every family), aliases, a gap and a reconnect',
    (m) => {
      const n = m.node('alice');
      n.setAliases(book());
      const c = new Correlator();
      n.subscribed(false);
      for (const ev of routingEvents(7, 400, 0, 1, emptyTally(), 5)) n.event(c.apply(ev));
      n.streamLost();
      n.gap();
      n.subscribed(true);
    },
  ],
  [
    'label values that need escaping (a profile name with quotes, backslashes, a newline, non-ASCII)',
    (m) => {
      const n = m.node('bad"node\\name\nline ⚡');
      const c = new Correlator();
      const ids = fwdIds(CH.A, 1, CH.B, 1);
      n.event(c.apply(forward(ids, 0n, htlcInfo(1_001_000, 1_000_000))));
      n.event(c.apply(settle(ids, 2n * SEC)));
    },
  ],
  [
    'sums beyond 2^53 msat and 1e21 (not safe integers: written as JavaScript prints them)',
    (m) => {
      const n = m.node('alice');
      const c = new Correlator();
      for (let i = 0; i < 3; i++) {
        const ids = fwdIds(CH.A, i, CH.B, i);
        n.event(c.apply(forward(ids, BigInt(i) * SEC, htlcInfo('18446744073709551615', '9007199254740993'))));
        n.event(c.apply(settle(ids, BigInt(i) * SEC + 1n)));
      }
      for (let i = 0; i < 200; i++)
        n.event(c.apply(linkFail(fwdIds(CH.C, 100 + i, CH.D, 0), 0n, htlcInfo('18446744073709551615', '1'), 15, 6)));
    },
  ],
  [
    'a node renamed after a scrape (the cached lines follow the new label)',
    async (m) => {
      const n = m.node('10.0.0.1:10009');
      n.event(new Correlator().apply(subscribed()));
      n.subscribed(false);
      await m.render();
      n.rename(PUB);
      n.event(new Correlator().apply(forward(fwdIds(CH.A, 1, CH.B, 1), 0n, htlcInfo(2, 1))));
    },
  ],
  [
    'two nodes',
    (m) => {
      for (const name of ['alice', 'bob']) {
        const n = m.node(name);
        const c = new Correlator();
        for (const ev of routingEvents(name.length, 50, 0, 1, emptyTally())) n.event(c.apply(ev));
      }
    },
  ],
];

describe('the scrape writes what prom-client writes', () => {
  test.each(CASES)('%s', async (_name, setUp) => {
    const m = await createMetrics({ processMetrics: false });
    await setUp(m);
    const want = await m.registry.metrics();
    const got = await m.render();
    expect(got.toString('utf8')).toBe(want);
    expect(got.equals(Buffer.from(want))).toBe(true);
    // A second scrape (from the cached lines) is the same.
    expect((await m.render()).toString('utf8')).toBe(want);
  });

  test('with the process metrics: our families as prom-client writes them, in the registry’s order', async () => {
    const m = await createMetrics();
    m.node('alice').subscribed(false);
    const names = (text: string) => [...text.matchAll(/^# TYPE (\S+)/gm)].map((x) => x[1]);
    const ours = (text: string) => text.split('\n\n').filter((f) => f.startsWith('# HELP htlc_tail_'));
    const got = await m.text();
    const want = await m.registry.metrics();
    expect(names(got)).toEqual(names(want));
    expect(ours(got)).toEqual(ours(want));
    expect(got.endsWith('\n') && !got.endsWith('\n\n')).toBe(true);
  });
});

describe('values as prom-client writes them', () => {
  const VALUES = [
    0,
    -0,
    1,
    9,
    10,
    99,
    100,
    123_456_789,
    2 ** 53 - 1,
    2 ** 53,
    2 ** 64,
    1e21,
    1.5e300,
    0.1,
    0.000001,
    1e-7,
    1_754_000_000.123,
    -1,
    -2.5,
    NaN,
    Infinity,
    -Infinity,
  ];
  test.each(VALUES.map((v) => [v]))('%p', (v) => {
    const prom = Number.isNaN(v) ? 'Nan' : !Number.isFinite(v) ? (v < 0 ? '-Inf' : '+Inf') : `${v}`;
    expect(valueText(v)).toBe(prom);
    const w = new ExpositionWriter(1);
    w.sample(Buffer.from('x '), v);
    expect(w.bytes().toString('latin1')).toBe(`\nx ${prom}`);
  });

  test('the buffer grows from any start size, keeping what was written', () => {
    const w = new ExpositionWriter(1);
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      w.sample(Buffer.from(`series_${i}{a="ä"} `), i * 7);
      lines.push(`\nseries_${i}{a="ä"} ${i * 7}`);
    }
    w.text('\n# done ⚡');
    expect(w.bytes().toString('utf8')).toBe(`${lines.join('')}\n# done ⚡`);
  });
});

describe('get(): prom-client’s JSON of our families', () => {
  test('values with their full label sets, as prom-client’s own classes give them', async () => {
    const m = await createMetrics({ processMetrics: false });
    const n = m.node('alice');
    const c = new Correlator();
    const ids = fwdIds(CH.A, 1, CH.B, 1);
    n.event(c.apply(forward(ids, 0n, htlcInfo(1_001_000, 1_000_000))));
    n.event(c.apply(settle(ids, 2n * SEC)));
    const json = await m.registry.getMetricsAsJSON();
    const fwd = json.find((x) => x.name === 'htlc_tail_forwards_total')!;
    expect(fwd.type).toBe('counter');
    expect(fwd.values).toEqual([
      { value: 1, labels: { node: 'alice', outcome: 'settled', in_channel: CH.A, out_channel: CH.B } },
    ]);
    const settle2 = json.find((x) => x.name === 'htlc_tail_settle_seconds')!;
    expect(settle2.type).toBe('histogram');
    expect(settle2.values).toContainEqual(
      expect.objectContaining({
        metricName: 'htlc_tail_settle_seconds_bucket',
        labels: { le: 2.5, node: 'alice', type: 'FORWARD' },
        value: 1,
      }),
    );
  });
});
