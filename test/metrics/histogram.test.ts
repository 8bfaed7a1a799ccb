/**
 * htlc_tail_settle_seconds' own histogram series (settle-histogram.ts) against
 * prom-client's Histogram, table-style: both fed the same observations, under
 * the same label sets, must give the same exposition text byte for byte
 * (buckets, +Inf, _sum in observation order, _count), as the scrape's own
 * writer (exposition.ts) writes them. (exposition.test.ts compares that writer
 * with prom-client's rendering of our families, the histogram included.)
 */
import { describe, expect, test } from '@jest/globals';
import * as prom from 'prom-client';
import { ExpositionWriter, familyHeader, writeHistogram } from '../../src/metrics/exposition.js';
import { METRICS, SETTLE_BUCKETS, type Labels } from '../../src/metrics/names.js';
import { cumulative, histogramSeries, observe } from '../../src/metrics/settle-histogram.js';
import { mulberry32 } from '../prng.js';

const D = METRICS.settleSeconds;
const FWD: Labels = { node: '03abc', type: 'FORWARD' };
const SEND: Labels = { node: '03abc', type: 'SEND' };

const seeded = (seed: number, n: number, scale: number) => {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => rnd() * scale);
};

/** [case, observations per label set (in the order they are made)] */
const CASES: ReadonlyArray<readonly [string, ReadonlyArray<readonly [Labels, readonly number[]]>]> = [
  ['no observation: every bucket 0', [[FWD, []]]],
  ['0 is in the first bucket', [[FWD, [0]]]],
  ['a value equal to a bound is in that bound’s bucket', [[FWD, SETTLE_BUCKETS]]],
  ['just above a bound: the next bucket', [[FWD, SETTLE_BUCKETS.map((b) => b + 1e-9)]]],
  ['beyond the last bound: only +Inf and the count', [[FWD, [600.000001, 86_400, 1e12]]]],
  ['a sum that is not exact in binary floats (added in observation order)', [[FWD, [0.1, 0.2, 0.3, 0.7, 1.1]]]],
  [
    'two label sets, in the order they were made',
    [
      [SEND, [0.02, 3, 700]],
      [FWD, [0.011, 0.011, 45]],
    ],
  ],
  [
    'seeded: 1,000 short and 1,000 long settle times',
    [
      [FWD, seeded(1, 1000, 2)],
      [SEND, seeded(2, 1000, 900)],
    ],
  ],
  ['label values that need escaping', [[{ node: 'a"b\\c\nd ⚡', type: 'FORWARD' }, [0.5]]]],
];

/** prom-client's Histogram, fed the observations; its exposition text. */
async function promText(sets: ReadonlyArray<readonly [Labels, readonly number[]]>): Promise<string> {
  const registry = new prom.Registry();
  const h = new prom.Histogram({
    name: D.name,
    help: D.help,
    labelNames: D.labelNames,
    buckets: [...SETTLE_BUCKETS],
    registers: [registry],
  });
  for (const [labels, values] of sets) {
    h.zero(labels);
    for (const v of values) h.observe(labels, v);
  }
  return registry.metrics();
}

function ours(sets: ReadonlyArray<readonly [Labels, readonly number[]]>) {
  return sets.map(([labels, values]) => {
    const s = histogramSeries(labels, SETTLE_BUCKETS);
    for (const v of values) observe(s, SETTLE_BUCKETS, v);
    return s;
  });
}

describe('the settle-time histogram gives what prom-client’s Histogram gives', () => {
  test.each(CASES)('%s', async (_name, sets) => {
    const want = await promText(sets);
    const w = new ExpositionWriter(16);
    w.text(familyHeader(D.name, D.help, 'histogram'));
    writeHistogram(w, D.name, SETTLE_BUCKETS, ours(sets));
    w.end();
    expect(w.bytes().toString('utf8')).toBe(want);
  });

  test('cumulative(): the bucket values prom-client reports', () => {
    const [s] = ours([[FWD, [0, 0.01, 0.3, 0.3, 2, 601]]]);
    expect(cumulative(s!)).toEqual([2, 2, 2, 2, 2, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5]);
    expect(s!.count).toBe(6);
  });
});
