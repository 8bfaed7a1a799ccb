/**
 * Reads samples back from a run's exposition (the text Prometheus scrapes),
 * with a small parser of the text format's sample lines.
 */
import type { HtlcMetrics } from '../../src/metrics/metrics.js';
import type { Labels } from '../../src/metrics/names.js';

export interface Sample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
}

const unescape = (v: string) => v.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));

/** The sample lines of a text-format exposition (comments and blank lines skipped). */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Labels = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = unescape(l[2]!);
    const v = m[3]!;
    out.push({ name: m[1]!, labels, value: v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v) });
  }
  return out;
}

const matches = (s: Sample, want: Labels): boolean => Object.entries(want).every(([k, v]) => s.labels[k] === v);

async function samplesOf(m: HtlcMetrics, name: string): Promise<Sample[]> {
  const text = await m.text();
  if (!text.includes(`# TYPE ${name.replace(/_(bucket|sum|count)$/, '')} `)) throw new Error(`no metric ${name}`);
  return parseExposition(text).filter((s) => s.name === name);
}

/** The sum of the series of `name` whose labels include `labels`; undefined when none matches. */
export async function sample(m: HtlcMetrics, name: string, labels: Labels = {}): Promise<number | undefined> {
  const hits = (await samplesOf(m, name)).filter((s) => matches(s, labels));
  return hits.length === 0 ? undefined : hits.reduce((a, s) => a + s.value, 0);
}

/** The label sets of `name`'s series (whose labels include `labels`). */
export async function seriesLabels(m: HtlcMetrics, name: string, labels: Labels = {}): Promise<Labels[]> {
  return (await samplesOf(m, name)).filter((s) => matches(s, labels)).map((s) => s.labels);
}
