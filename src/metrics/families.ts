/**
 * The htlc_tail_* families as prom-client metrics on the run's registry
 * (SPEC's names, types and labels: names.ts). prom-client renders them.
 *
 * Counters and gauges follow the collector pattern (as lndmon's collectors
 * do): the nodes keep plain running values (node-metrics.ts), and each
 * family's `collect()`, which prom-client calls at every scrape, hands it the
 * values that changed since the last scrape: a counter is incremented by the
 * difference, a gauge set. Why not prom-client's `inc(labels)` per event: it
 * hashes and validates the label set on every call (about 0.4 µs each, a few
 * per event), which the flood bench showed costs more than the 10% the issue
 * allows; here an event costs additions, and a scrape pays only for the
 * series that changed. The settle-time histogram is observed per settle
 * (a histogram's buckets cannot be set from outside).
 *
 * Rendering: prom-client formats every label of every series at every scrape
 * (escaping each value), which for a node with 500 channels (over 10,000
 * series) is most of a scrape's time. A series' label set is one object for
 * its whole life here (series.ts), so the counters and gauges hand it to
 * prom-client as the value's `sharedLabels` (prom-client's own field, used by
 * its histograms), whose formatted text prom-client keeps per object in a
 * WeakMap: each label set is formatted once, not at every scrape.
 */
import type * as PromClient from 'prom-client';
import { channelInfoLabels } from './channel-info.js';
import { METRICS, SETTLE_BUCKETS, type MetricDef } from './names.js';
import type { NodeMetrics, SettleHistogram } from './node-metrics.js';
import type { Series } from './series.js';

type Counter = PromClient.Counter<string>;
type Gauge = PromClient.Gauge<string>;

type Values = PromClient.MetricObjectWithValues<PromClient.MetricValue<string>>;
const NO_LABELS: PromClient.LabelValues<string> = Object.freeze({});

/** The values with their label sets as `sharedLabels` (formatted once per label object; see above). */
export function withSharedLabels(m: Values): Values {
  return { ...m, values: m.values.map((v) => ({ value: v.value, labels: NO_LABELS, sharedLabels: v.labels })) };
}

/** timestamp_ns (decimal string) → Unix seconds, as a double. */
export function nsToSeconds(ns: string): number {
  const cut = ns.length - 9;
  return cut <= 0 ? Number(ns) / 1e9 : Number(ns.slice(0, cut)) + Number(ns.slice(cut)) / 1e9;
}

/** Drops a series' old label set from prom-client (after a rename). */
function unstale(m: Counter | Gauge, s: Series): void {
  if (s.stale === undefined) return;
  m.remove(s.stale);
  s.stale = undefined;
}

/** Hands a counter series' increase since the last scrape to prom-client. */
export function exportCounter(c: Counter, s: Series): void {
  unstale(c, s);
  const v = s.value;
  if (v === s.exported) return;
  c.inc(s.labels, Number.isNaN(s.exported) ? v : v - s.exported);
  s.exported = v;
}

/** Sets a gauge series in prom-client when it changed. */
export function exportGauge(g: Gauge, s: Series): void {
  unstale(g, s);
  const v = s.value;
  if (v === s.exported || Number.isNaN(v)) return;
  g.set(s.labels, v);
  s.exported = v;
}

/**
 * Registers the families on `registry`; `nodes()` lists the run's nodes at
 * each scrape. Returns the settle-time histogram the nodes observe into.
 */
export function registerFamilies(
  prom: typeof PromClient,
  registry: PromClient.Registry,
  nodes: () => readonly NodeMetrics[],
): SettleHistogram {
  const opts = (d: MetricDef) => ({ name: d.name, help: d.help, labelNames: d.labelNames, registers: [registry] });
  /** What the registry renders (registry.js asks `getForPromString()` first when a metric has it). */
  class FamilyCounter extends prom.Counter<string> {
    async getForPromString(): Promise<Values> {
      return withSharedLabels(await this.get());
    }
  }
  class FamilyGauge extends prom.Gauge<string> {
    async getForPromString(): Promise<Values> {
      return withSharedLabels(await this.get());
    }
  }
  const counter = (d: MetricDef, each: (n: NodeMetrics, export1: (s: Series) => void) => void): void => {
    const c: Counter = new FamilyCounter({
      ...opts(d),
      collect: () => {
        const export1 = (s: Series) => exportCounter(c, s);
        for (const n of nodes()) each(n, export1);
      },
    });
  };
  const gauge = (d: MetricDef, each: (n: NodeMetrics, export1: (s: Series) => void) => void): void => {
    const g: Gauge = new FamilyGauge({
      ...opts(d),
      collect: () => {
        const export1 = (s: Series) => exportGauge(g, s);
        for (const n of nodes()) each(n, export1);
      },
    });
  };
  /** An msat sum's series: its value set from the exact sum (exact below 2^53 msat), for channels a forward touched. */
  const msat = (
    d: MetricDef,
    pick: (o: NodeMetrics['outChannels'][number]) => readonly [Series, { toNumber(): number }],
  ) =>
    counter(d, (n, export1) => {
      for (const o of n.outChannels) {
        if (!o.forwards) continue;
        const [s, sum] = pick(o);
        s.value = sum.toNumber();
        export1(s);
      }
    });

  counter(METRICS.events, (n, x) => n.eventSeries.forEach(x));
  counter(METRICS.forwards, (n, x) => n.forwardSeries.forEach(x));
  counter(METRICS.linkFailures, (n, x) => n.linkFailureSeries.forEach(x));
  msat(METRICS.feesEarned, (o) => [o.series.earned, o.earned]);
  msat(METRICS.feesMissed, (o) => [o.series.missed, o.missed]);
  msat(METRICS.forwarded, (o) => [o.series.forwarded, o.forwarded]);
  const settle = new prom.Histogram({ ...opts(METRICS.settleSeconds), buckets: [...SETTLE_BUCKETS] });
  gauge(METRICS.inFlight, (n, x) => n.inFlightSeries.forEach(x));
  // The channel table, rebuilt at each scrape from the alias books (a refresh changes them in place).
  const info: Gauge = new prom.Gauge({
    ...opts(METRICS.channelInfo),
    collect: () => {
      info.reset();
      for (const n of nodes())
        if (n.aliases) for (const labels of channelInfoLabels(n.node, n.aliases)) info.set(labels, 1);
    },
  });
  gauge(METRICS.streamUp, (n, x) => x(n.streamUp));
  counter(METRICS.reconnects, (n, x) => x(n.reconnects));
  counter(METRICS.gaps, (n, x) => x(n.gaps));
  gauge(METRICS.lastEvent, (n, x) => {
    if (n.lastEventNs === undefined) return;
    n.lastEvent.value = nsToSeconds(n.lastEventNs);
    x(n.lastEvent);
  });
  return {
    observe: (labels, seconds) => settle.observe(labels, seconds),
    zero: (labels) => settle.zero(labels),
    remove: (labels) => settle.remove(labels),
  };
}
