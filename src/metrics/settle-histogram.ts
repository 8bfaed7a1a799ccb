/**
 * One series of htlc_tail_settle_seconds as a node keeps it: fixed buckets
 * (names.ts's SETTLE_BUCKETS), a count per bucket, the sum and the count, the
 * way prom-client's Histogram keeps them, without its per-observation label
 * hashing and validation. An observation goes to the first bucket whose upper
 * bound it does not exceed (none when it exceeds every bound: then it is only
 * in +Inf, the count), and is added to the sum in observation order, so the
 * figures are exactly prom-client's (test/metrics/histogram.test.ts feeds both
 * the same observations and compares their exposition text).
 *
 * prom-client reports buckets cumulatively; `cumulative()` gives them so.
 * Pure: no prom-client here.
 */
import type { Labels } from './names.js';

export interface HistogramSeries {
  labels: Labels;
  /** Observations per bucket (not cumulative), one per upper bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
  /** Formatted sample names and labels (exposition.ts): one per bucket, then +Inf, _sum, _count. */
  line: Uint8Array[] | undefined;
}

export function histogramSeries(labels: Labels, bounds: readonly number[]): HistogramSeries {
  return { labels, counts: new Float64Array(bounds.length), sum: 0, count: 0, line: undefined };
}

/** Adds one observation (a finite number). */
export function observe(s: HistogramSeries, bounds: readonly number[], value: number): void {
  let i = 0;
  while (i < bounds.length && value > bounds[i]!) i++;
  if (i < bounds.length) s.counts[i]!++;
  s.sum += value;
  s.count++;
}

/** The bucket values as prom-client reports them: observations at or below each bound. */
export function cumulative(s: HistogramSeries): number[] {
  const out: number[] = [];
  let acc = 0;
  for (const c of s.counts) out.push((acc += c));
  return out;
}
