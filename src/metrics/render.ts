/**
 * The htlc_tail_* families of every node, rendered at scrape time from the
 * nodes' running values, straight into bytes (exposition.ts).
 */
import { channelInfoLabels } from './channel-info.js';
import { ExpositionWriter, labelKey } from './exposition.js';
import type { MsatSum } from './msat-sum.js';
import { METRICS, type MetricDef } from './names.js';
import type { NodeMetrics, OutChannel, Series } from './node-metrics.js';

/** timestamp_ns (decimal string) → Unix seconds, as a double. */
export function nsToSeconds(ns: string): number {
  const cut = ns.length - 9;
  return cut <= 0 ? Number(ns) / 1e9 : Number(ns.slice(0, cut)) + Number(ns.slice(cut)) / 1e9;
}

export function renderFamilies(nodes: readonly NodeMetrics[], w: ExpositionWriter): ExpositionWriter {
  const each = (d: MetricDef, type: 'counter' | 'gauge', pick: (n: NodeMetrics) => readonly Series[]) => {
    w.head(d, type);
    for (const n of nodes) for (const s of pick(n)) w.sample(s.prefix, s.value);
    w.text('\n');
  };
  const eachOut = (d: MetricDef, pick: (o: OutChannel) => [Buffer, MsatSum]) => {
    w.head(d, 'counter');
    for (const n of nodes) {
      for (const o of n.outChannels) {
        if (!o.forwards) continue;
        const [prefix, sum] = pick(o);
        w.sample(prefix, sum.toNumber());
      }
    }
    w.text('\n');
  };
  const perNode = (d: MetricDef, type: 'counter' | 'gauge', value: (n: NodeMetrics) => number | undefined) => {
    w.head(d, type);
    for (const n of nodes) {
      const v = value(n);
      if (v !== undefined) w.sample(Buffer.from(`${d.name}${n.nodeKey} `), v);
    }
    w.text('\n');
  };
  each(METRICS.events, 'counter', (n) => n.eventSeries);
  each(METRICS.forwards, 'counter', (n) => n.forwardSeries);
  each(METRICS.linkFailures, 'counter', (n) => n.linkFailureSeries);
  eachOut(METRICS.feesEarned, (o) => [o.prefixes.earned, o.earned]);
  eachOut(METRICS.feesMissed, (o) => [o.prefixes.missed, o.missed]);
  eachOut(METRICS.forwarded, (o) => [o.prefixes.forwarded, o.forwarded]);
  w.head(METRICS.settleSeconds, 'histogram');
  for (const n of nodes) for (const h of n.settleSeries) w.text(h.render(METRICS.settleSeconds.name));
  w.text('\n');
  each(METRICS.inFlight, 'gauge', (n) => n.inFlightSeries);
  w.head(METRICS.channelInfo, 'gauge');
  for (const n of nodes) {
    if (!n.aliases) continue;
    for (const labels of channelInfoLabels(n.node, n.aliases)) w.text(`${METRICS.channelInfo.name}${labelKey(labels)} 1\n`);
  }
  w.text('\n');
  perNode(METRICS.streamUp, 'gauge', (n) => n.streamUp);
  perNode(METRICS.reconnects, 'counter', (n) => n.reconnects);
  perNode(METRICS.gaps, 'counter', (n) => n.gaps);
  perNode(METRICS.lastEvent, 'gauge', (n) => (n.lastEventNs === undefined ? undefined : nsToSeconds(n.lastEventNs)));
  return w;
}
