/**
 * The htlc_tail_* families (SPEC's names, types and labels: names.ts) as
 * prom-client metrics on the run's registry, read straight from the nodes'
 * series.
 *
 * The nodes keep plain running values (node-metrics.ts: Series, and
 * HistogramSeries for the settle times); an event costs additions, never a
 * prom-client call (prom-client's `inc(labels)` / `observe(labels)` hash and
 * validate the label set per call, which the flood bench showed costs more
 * than the 10% the issue allows). Each family is a subclass of prom-client's
 * Counter, Gauge or Histogram whose `get()` (what the registry renders, and
 * its JSON) returns the series' current values with their label sets, in the
 * shape prom-client's own classes return them; nothing is copied into
 * prom-client's hash maps, per event or per scrape.
 *
 * The scrape itself (metrics.ts) writes these families with exposition.ts
 * (`write()`: each series' text formatted once) and the process metrics with
 * prom-client; test/metrics/exposition.test.ts compares those bytes with
 * prom-client's rendering of the same families (`registry.metrics()`).
 */
import type * as PromClient from 'prom-client';
import { channelInfoLabels } from './channel-info.js';
import { ExpositionWriter, familyHeader, writeHistogram, writeSeries } from './exposition.js';
import { METRICS, SETTLE_BUCKETS, type Labels, type MetricDef } from './names.js';
import type { NodeMetrics } from './node-metrics.js';
import { series, type Series } from './series.js';
import { cumulative, type HistogramSeries } from './settle-histogram.js';

/** One of our families: writes its text as a scrape does. */
export interface Family {
  readonly def: MetricDef;
  write(w: ExpositionWriter): void;
}

type Nodes = () => readonly NodeMetrics[];
const NO_LABELS: Labels = Object.freeze({});

/** timestamp_ns (decimal string) → Unix seconds, as a double. */
export function nsToSeconds(ns: string): number {
  const cut = ns.length - 9;
  return cut <= 0 ? Number(ns) / 1e9 : Number(ns.slice(0, cut)) + Number(ns.slice(cut)) / 1e9;
}

/** The series of a counter or gauge family across the nodes, in node order. */
type Collect = (n: NodeMetrics, out: Series[]) => void;

function collectAll(nodes: Nodes, each: Collect): Series[] {
  const out: Series[] = [];
  for (const n of nodes()) each(n, out);
  return out;
}

/** Every series of a list of the node's (no spread: a list can hold tens of thousands). */
const every =
  (pick: (n: NodeMetrics) => readonly Series[]): Collect =>
  (n, out) => {
    for (const s of pick(n)) out.push(s);
  };

/** An msat sum's series: its value set from the exact sum (exact below 2^53 msat), for channels a forward touched. */
const msat =
  (pick: (o: NodeMetrics['outChannels'][number]) => readonly [Series, { toNumber(): number }]): Collect =>
  (n, out) => {
    for (const o of n.outChannels) {
      if (!o.forwards) continue;
      const [s, sum] = pick(o);
      s.value = sum.toNumber();
      out.push(s);
    }
  };

/** htlc_tail_channel_info: one series of value 1 per channel of the alias book, made at each scrape (a refresh changes the book in place). */
const channelInfo: Collect = (n, out) => {
  if (n.aliases) for (const labels of channelInfoLabels(n.node, n.aliases)) out.push(series(labels, 1));
};

/** The counter and gauge families, in SPEC's order, with how each finds its series on a node. */
const SERIES_FAMILIES: ReadonlyArray<readonly [MetricDef, 'counter' | 'gauge', Collect]> = [
  [METRICS.events, 'counter', every((n) => n.eventSeries)],
  [METRICS.forwards, 'counter', every((n) => n.forwardSeries)],
  [METRICS.linkFailures, 'counter', every((n) => n.linkFailureSeries)],
  [METRICS.feesEarned, 'counter', msat((o) => [o.series.earned, o.earned])],
  [METRICS.feesMissed, 'counter', msat((o) => [o.series.missed, o.missed])],
  [METRICS.forwarded, 'counter', msat((o) => [o.series.forwarded, o.forwarded])],
  [METRICS.inFlight, 'gauge', every((n) => n.inFlightSeries)],
  [METRICS.channelInfo, 'gauge', channelInfo],
  [METRICS.streamUp, 'gauge', (n, out) => out.push(n.streamUp)],
  [METRICS.reconnects, 'counter', (n, out) => out.push(n.reconnects)],
  [METRICS.gaps, 'counter', (n, out) => out.push(n.gaps)],
  [
    METRICS.lastEvent,
    'gauge',
    (n, out) => {
      if (n.lastEventNs === undefined) return;
      n.lastEvent.value = nsToSeconds(n.lastEventNs);
      out.push(n.lastEvent);
    },
  ],
];

/**
 * Registers the families on `registry` (settle times after the msat sums, as
 * SPEC lists them); `nodes()` lists the run's nodes at each scrape. Returns
 * them in registration order.
 */
export function registerFamilies(prom: typeof PromClient, registry: PromClient.Registry, nodes: Nodes): Family[] {
  const opts = (d: MetricDef) => ({ name: d.name, help: d.help, labelNames: d.labelNames, registers: [registry] });
  /** prom-client's value pairs; the label set as `sharedLabels` too, whose text prom-client formats once per object. */
  const forProm = (list: readonly Series[]) =>
    list.map((s) => ({ value: s.value, labels: NO_LABELS, sharedLabels: s.labels }));

  /** A counter or gauge family (prom-client's Counter or Gauge, by `type`) whose values are the nodes' series. */
  const seriesFamily = (def: MetricDef, type: 'counter' | 'gauge', each: Collect): Family => {
    // Both have the same constructor and get(); only `type` (set by the base) differs.
    const Base = type === 'counter' ? prom.Counter : (prom.Gauge as unknown as typeof prom.Counter);
    class SeriesFamily extends Base {
      readonly def = def;
      /** Nothing is ever incremented in prom-client's own map: the values come from the series. */
      override async get() {
        const m = await super.get();
        m.values = collectAll(nodes, each).map((s) => ({ value: s.value, labels: s.labels }));
        return m;
      }
      /** What the registry renders (registry.js asks for it first when a metric has it). */
      async getForPromString() {
        const m = await super.get();
        return { ...m, values: forProm(collectAll(nodes, each)) };
      }
      write(w: ExpositionWriter): void {
        w.text(familyHeader(def.name, def.help, type));
        writeSeries(w, def.name, collectAll(nodes, each));
      }
    }
    return new SeriesFamily(opts(def));
  };
  const settleSeries = () => nodes().flatMap((n) => n.settleSeries);
  class SettleHistogram extends prom.Histogram<string> {
    readonly def = METRICS.settleSeconds;
    constructor() {
      super({ ...opts(METRICS.settleSeconds), buckets: [...SETTLE_BUCKETS] });
    }
    /** prom-client's Histogram.get() splays these (as it does its own); the registry renders them. */
    getForPromString() {
      const d = METRICS.settleSeconds;
      return Promise.resolve({
        name: d.name,
        help: d.help,
        type: 'histogram',
        values: histogramValues(d.name, settleSeries()),
        aggregator: 'sum',
      });
    }
    write(w: ExpositionWriter): void {
      w.text(familyHeader(this.def.name, this.def.help, 'histogram'));
      writeHistogram(w, this.def.name, SETTLE_BUCKETS, settleSeries());
    }
  }

  const families: Family[] = [];
  for (const [d, type, each] of SERIES_FAMILIES) {
    families.push(seriesFamily(d, type, each));
    if (d === METRICS.forwarded) families.push(new SettleHistogram());
  }
  return families;
}

interface HistogramValue {
  readonly labels: Record<string, string | number>;
  readonly sharedLabels: Labels;
  readonly value: number;
  readonly metricName: string;
  readonly exemplar: null | undefined;
}

/** A histogram's values as prom-client's Histogram.getForPromString() returns them. */
function histogramValues(name: string, list: readonly HistogramSeries[]) {
  const bucket = `${name}_bucket`;
  const out: HistogramValue[] = [];
  for (const s of list) {
    const acc = cumulative(s);
    SETTLE_BUCKETS.forEach((le, i) =>
      out.push({ labels: { le }, sharedLabels: s.labels, value: acc[i]!, metricName: bucket, exemplar: null }),
    );
    out.push(
      { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucket, exemplar: null },
      { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${name}_sum`, exemplar: undefined },
      { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${name}_count`, exemplar: undefined },
    );
  }
  return out;
}
