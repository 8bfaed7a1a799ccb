/**
 * Reads samples back from a run's registry (prom-client's own get(), the
 * values the exposition is rendered from).
 */
import type { HtlcMetrics } from '../../src/metrics/metrics.js';
import type { Labels } from '../../src/metrics/names.js';

interface Sample {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName?: string;
}

async function samplesOf(m: HtlcMetrics, name: string): Promise<Sample[]> {
  const family = name.replace(/_(bucket|sum|count)$/, '');
  const metric = m.registry.getSingleMetric(name) ?? m.registry.getSingleMetric(family);
  if (!metric) throw new Error(`no metric ${name}`);
  const got = (await metric.get()) as { values: Sample[] };
  return got.values.filter((s) => (s.metricName ?? name) === name);
}

const matches = (s: Sample, want: Labels): boolean => Object.entries(want).every(([k, v]) => String(s.labels[k]) === v);

/** The sum of the series of `name` whose labels include `labels`; undefined when none matches. */
export async function sample(m: HtlcMetrics, name: string, labels: Labels = {}): Promise<number | undefined> {
  const hits = (await samplesOf(m, name)).filter((s) => matches(s, labels));
  return hits.length === 0 ? undefined : hits.reduce((a, s) => a + s.value, 0);
}

/** The label sets of `name`'s series (whose labels include `labels`). */
export async function seriesLabels(m: HtlcMetrics, name: string, labels: Labels = {}): Promise<Array<Record<string, string>>> {
  return (await samplesOf(m, name))
    .filter((s) => matches(s, labels))
    .map((s) => Object.fromEntries(Object.entries(s.labels).map(([k, v]) => [k, String(v)])));
}
