/**
 * The metric families on one prom-client Registry. Counters and gauges read
 * the nodes' running values in their `collect` callbacks, which prom-client
 * calls at each scrape (reset, then one value per series, synchronously, so
 * concurrent scrapes never see half a family). The settle-time histogram is
 * prom-client's own Histogram, observed per settle.
 */
import type * as PromClient from 'prom-client';
import type { AliasBook } from '../events/aliases.js';
import { channelInfoLabels } from './channel-info.js';
import type { MsatSum } from './msat-sum.js';
import { METRICS, SETTLE_BUCKETS, type Labels, type MetricDef } from './names.js';
import type { NodeMetrics, OutChannel, Series } from './node-metrics.js';

type Prom = typeof PromClient;
type Registry = PromClient.Registry;

/** The nodes of the run, read at each scrape. */
export type NodeList = readonly NodeMetrics[];

function counterOf(prom: Prom, registry: Registry, d: MetricDef, fill: (set: (labels: Labels, v: number) => void) => void): void {
  new prom.Counter({
    name: d.name,
    help: d.help,
    labelNames: d.labelNames,
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, v) => this.inc(labels, v));
    },
  });
}

function gaugeOf(prom: Prom, registry: Registry, d: MetricDef, fill: (set: (labels: Labels, v: number) => void) => void): void {
  new prom.Gauge({
    name: d.name,
    help: d.help,
    labelNames: d.labelNames,
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, v) => this.set(labels, v));
    },
  });
}

const eachSeries =
  (nodes: NodeList, pick: (n: NodeMetrics) => readonly Series[]) =>
  (set: (labels: Labels, v: number) => void): void => {
    for (const n of nodes) for (const s of pick(n)) set(s.labels, s.value);
  };

const eachOut =
  (nodes: NodeList, pick: (o: OutChannel) => MsatSum) =>
  (set: (labels: Labels, v: number) => void): void => {
    for (const n of nodes) for (const o of n.outChannels) if (o.forwards) set(o.labels, pick(o).toNumber());
  };

const eachNode =
  (nodes: NodeList, value: (n: NodeMetrics) => number | undefined) =>
  (set: (labels: Labels, v: number) => void): void => {
    for (const n of nodes) {
      const v = value(n);
      if (v !== undefined) set(n.nodeLabels, v);
    }
  };

/** timestamp_ns (decimal string) → Unix seconds, as a double. */
function nsToSeconds(ns: string): number {
  const cut = ns.length - 9;
  return cut <= 0 ? Number(ns) / 1e9 : Number(ns.slice(0, cut)) + Number(ns.slice(cut)) / 1e9;
}

/** Registers every htlc_tail_* family on `registry`; returns the histogram the nodes observe. */
export function registerFamilies(prom: Prom, registry: Registry, nodes: NodeList): PromClient.Histogram<string> {
  counterOf(prom, registry, METRICS.events, eachSeries(nodes, (n) => n.eventSeries));
  counterOf(prom, registry, METRICS.forwards, eachSeries(nodes, (n) => n.forwardSeries));
  counterOf(prom, registry, METRICS.linkFailures, eachSeries(nodes, (n) => n.linkFailureSeries));
  counterOf(prom, registry, METRICS.feesEarned, eachOut(nodes, (o) => o.earned));
  counterOf(prom, registry, METRICS.feesMissed, eachOut(nodes, (o) => o.missed));
  counterOf(prom, registry, METRICS.forwarded, eachOut(nodes, (o) => o.forwarded));
  const settle = new prom.Histogram({
    name: METRICS.settleSeconds.name,
    help: METRICS.settleSeconds.help,
    labelNames: METRICS.settleSeconds.labelNames,
    buckets: [...SETTLE_BUCKETS],
    registers: [registry],
  });
  gaugeOf(prom, registry, METRICS.inFlight, eachSeries(nodes, (n) => n.inFlightSeries));
  gaugeOf(prom, registry, METRICS.channelInfo, (set) => {
    for (const n of nodes) {
      const book: AliasBook | undefined = n.aliases;
      if (book) for (const labels of channelInfoLabels(n.node, book)) set(labels, 1);
    }
  });
  gaugeOf(prom, registry, METRICS.streamUp, eachNode(nodes, (n) => n.streamUp));
  counterOf(prom, registry, METRICS.reconnects, eachNode(nodes, (n) => n.reconnects));
  counterOf(prom, registry, METRICS.gaps, eachNode(nodes, (n) => n.gaps));
  gaugeOf(
    prom,
    registry,
    METRICS.lastEvent,
    eachNode(nodes, (n) => (n.lastEventNs === undefined ? undefined : nsToSeconds(n.lastEventNs))),
  );
  return settle;
}
