/**
 * The real thing: a Prometheus server scrapes a run's metrics server every
 * second while a seeded routing scenario is fed to the node's sink (through
 * the real Correlator), across a lost stream and a reconnect; Prometheus's
 * HTTP API must answer the counts tallied from the scenario's flows, with no
 * counter reset. `promtool check metrics` accepts the exposition. Every
 * PromQL expression of the Grafana dashboard runs against it and must answer.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import fs from 'node:fs';
import { parseMetricsListen } from '../../src/config/metrics-listen.js';
import { AliasBook } from '../../src/events/aliases.js';
import { Correlator } from '../../src/events/correlate.js';
import { startMetrics, type MetricsRun } from '../../src/metrics/index.js';
import type { NodeMetrics } from '../../src/metrics/node-metrics.js';
import { subscribed } from '../builders.js';
import {
  describeIf,
  PROMETHEUS_MISSING,
  PROMTOOL_MISSING,
  promtool,
  startPrometheus,
  type PromSample,
  type RunningPrometheus,
} from '../helpers/prometheus.js';
import { METRICS } from '../../src/metrics/names.js';
import { ROOT } from '../e2e/run-cli.js';
import { CHANNELS, emptyTally, routingEvents, type Tally } from './scenario.js';

const NODE = '02' + '7'.repeat(64);
const ALIASES = ['alice', 'bob', 'carol', 'dave'];

/** Prometheus's answer as `label|label|…` → value, for the given label names. */
function byLabels(r: PromSample[], names: readonly string[]): Map<string, number> {
  return new Map(r.map((s) => [names.map((n) => s.metric[n] ?? '').join('|'), Number(s.value[1])]));
}

function withoutZeros<V extends number | bigint>(m: Map<string, V>): Map<string, number> {
  return new Map([...m].filter(([, v]) => Number(v) !== 0).map(([k, v]) => [k, Number(v)]));
}

describeIf(PROMETHEUS_MISSING, 'a real Prometheus scrapes the metrics', () => {
  let run: MetricsRun;
  let prom: RunningPrometheus;
  let sink: NodeMetrics;
  const tally: Tally = emptyTally();
  const correlator = new Correlator();
  const feed = (events: ReturnType<typeof routingEvents>) => {
    for (const ev of events) sink.event(correlator.apply(ev));
  };
  const q = (expr: string) => prom.query(expr);

  beforeAll(async () => {
    run = await startMetrics(parseMetricsListen('127.0.0.1:0'));
    sink = run.metrics.node(NODE);
    const book = new AliasBook();
    book.load(
      CHANNELS.map((c, i) => ({ chan_id: c, remote_pubkey: `03${String(i).repeat(64)}`, peer_alias: ALIASES[i] })),
    );
    sink.setAliases(book);
    prom = await startPrometheus({ targets: [run.server.address] });

    // First subscription, part A of the traffic; wait until Prometheus has scraped it.
    sink.subscribed(false);
    const first = subscribed();
    feed([first]);
    tally.events.set('subscribed|UNKNOWN', 1);
    const a = routingEvents(1, 300, 0, 1, tally);
    feed(a);
    await prom.waitFor(`sum(htlc_tail_events_total{node="${NODE}"})`, (r) => Number(r[0]?.value[1]) === a.length + 1);

    // The stream is lost: Prometheus sees it down; then the reconnect, its gap, part B.
    sink.streamLost();
    await prom.waitFor(`htlc_tail_stream_up{node="${NODE}"}`, (r) => r[0]?.value[1] === '0');
    sink.gap();
    sink.subscribed(true);
    feed([subscribed()]);
    tally.events.set('subscribed|UNKNOWN', 2);
    const b = routingEvents(2, 300, 3_600_000, 10_000, tally, 3);
    feed(b);
    await prom.waitFor(
      `sum(htlc_tail_events_total{node="${NODE}"})`,
      (r) => Number(r[0]?.value[1]) === a.length + b.length + 2,
    );
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
    await run?.close();
  });

  test('events by event and type', async () => {
    const r = await q(`htlc_tail_events_total{node="${NODE}"} > 0`);
    expect(byLabels(r, ['event', 'type'])).toEqual(withoutZeros(tally.events));
  });

  test('forwards by outcome and channel pair, each counted once', async () => {
    const r = await q(`htlc_tail_forwards_total{node="${NODE}"} > 0`);
    expect(byLabels(r, ['outcome', 'in_channel', 'out_channel'])).toEqual(withoutZeros(tally.forwards));
    expect(tally.forwards.size).toBeGreaterThan(20);
  });

  test('fees earned, fees missed and amounts forwarded per outgoing channel (exact msat)', async () => {
    for (const [metric, want] of [
      ['htlc_tail_fees_earned_msat_total', tally.earned],
      ['htlc_tail_fees_missed_msat_total', tally.missed],
      ['htlc_tail_forwarded_msat_total', tally.forwarded],
    ] as const) {
      const r = await q(`${metric}{node="${NODE}"} > 0`);
      expect({ metric, got: byLabels(r, ['out_channel']) }).toEqual({ metric, got: withoutZeros(want) });
    }
  });

  test('link failures by outgoing channel and reason; no-liquidity by channel', async () => {
    const r = await q(`htlc_tail_link_failures_total{node="${NODE}"}`);
    expect(byLabels(r, ['out_channel', 'wire_failure', 'failure_detail'])).toEqual(withoutZeros(tally.linkFailures));
    const nl = await q(
      `sum by (out_channel) (htlc_tail_link_failures_total{node="${NODE}", failure_detail="INSUFFICIENT_BALANCE"})`,
    );
    const want = new Map<string, number>();
    for (const [k, v] of tally.linkFailures)
      if (k.endsWith('|INSUFFICIENT_BALANCE')) want.set(k.split('|')[0]!, (want.get(k.split('|')[0]!) ?? 0) + v);
    expect(byLabels(nl, ['out_channel'])).toEqual(want);
  });

  test('settle times: count and sum per type', async () => {
    const n = await q(`htlc_tail_settle_seconds_count{node="${NODE}"}`);
    expect(byLabels(n, ['type'])).toEqual(tally.settleCount);
    const s = await q(`htlc_tail_settle_seconds_sum{node="${NODE}"}`);
    for (const [type, sumMs] of tally.settleSumMs) expect(byLabels(s, ['type']).get(type)).toBeCloseTo(sumMs / 1000, 6);
  });

  test('in flight: the forwards left open after the reconnect', async () => {
    const r = await q(`htlc_tail_in_flight{node="${NODE}"}`);
    expect(byLabels(r, ['type'])).toEqual(
      new Map([
        ['SEND', 0],
        ['FORWARD', tally.inFlightForwards],
      ]),
    );
    expect(tally.inFlightForwards).toBe(3);
  });

  test('stream state: up again, one reconnect, one gap; no counter went backwards', async () => {
    expect(byLabels(await q(`htlc_tail_stream_up{node="${NODE}"}`), ['node'])).toEqual(new Map([[NODE, 1]]));
    expect(byLabels(await q(`htlc_tail_reconnects_total{node="${NODE}"}`), ['node'])).toEqual(new Map([[NODE, 1]]));
    expect(byLabels(await q(`htlc_tail_gaps_total{node="${NODE}"}`), ['node'])).toEqual(new Map([[NODE, 1]]));
    for (const counter of [
      'events',
      'forwards',
      'link_failures',
      'fees_earned_msat',
      'fees_missed_msat',
      'forwarded_msat',
      'reconnects',
      'gaps',
    ]) {
      const resets = await q(`resets(htlc_tail_${counter}_total{node="${NODE}"}[10m]) > 0`);
      expect({ counter, resets }).toEqual({ counter, resets: [] });
    }
    expect(await q(`resets(htlc_tail_settle_seconds_count{node="${NODE}"}[10m]) > 0`)).toEqual([]);
    // Prometheus saw the counters at least twice (before and after the reconnect).
    const seen = await q(`count_over_time(htlc_tail_events_total{node="${NODE}", event="subscribed"}[10m])`);
    expect(Number(seen[0]!.value[1])).toBeGreaterThanOrEqual(2);
  });

  test('last event timestamp (lnd clock) and process metrics', async () => {
    const r = await q(`htlc_tail_last_event_timestamp_seconds{node="${NODE}"}`);
    expect(Number(r[0]!.value[1])).toBeGreaterThan(1_754_000_000 + 3_600);
    expect((await q('process_resident_memory_bytes')).length).toBe(1);
    expect((await q('nodejs_heap_size_used_bytes')).length).toBe(1);
  });

  test('channel_info joins aliases onto per-channel series (label_replace channel → out_channel)', async () => {
    const r = await q(
      `sum by (out_channel, peer_alias) (htlc_tail_fees_earned_msat_total{node="${NODE}"} * on (node, out_channel) group_left (peer_alias) label_replace(htlc_tail_channel_info, "out_channel", "$1", "channel", "(.*)"))`,
    );
    const want = new Map([...tally.earned].map(([ch, v]) => [`${ch}|${ALIASES[CHANNELS.indexOf(ch)]}`, Number(v)]));
    expect(byLabels(r, ['out_channel', 'peer_alias'])).toEqual(want);
  });

  (PROMTOOL_MISSING ? test.skip : test)('promtool check metrics accepts the exposition', async () => {
    const text = await (await fetch(run.server.url)).text();
    expect(text).toContain('htlc_tail_forwards_total{');
    // Ours: no problem at all.
    const own = text
      .split('\n')
      .filter((l) => /^(# (HELP|TYPE) )?htlc_tail_/.test(l))
      .join('\n');
    expect(own.split('\n').length).toBeGreaterThan(100);
    const r = promtool(['check', 'metrics'], `${own}\n`);
    expect({ code: r.code, out: r.stdout + r.stderr }).toEqual({ code: 0, out: '' });
    // The whole exposition parses (exit 1 would be a parse error); lint problems (exit 3)
    // are only in prom-client's own default metrics (it names gauges nodejs_active_*_total),
    // not ours to rename.
    const all = promtool(['check', 'metrics'], text);
    const problems = (all.stdout + all.stderr).split('\n').filter((l) => l !== '');
    expect([0, 3]).toContain(all.code);
    for (const p of problems) expect(p).toMatch(/^(nodejs|process)_[a-z_]+ /);
  });

  test('every query of the Grafana dashboard runs and answers, the alias joins included', async () => {
    const dash = JSON.parse(fs.readFileSync(`${ROOT}contrib/grafana/htlc-tail.json`, 'utf8')) as Dashboard;
    const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    expect(exprs.length).toBeGreaterThan(15);
    for (const { panel, expr } of exprs) {
      const promql = expr.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '10m').replaceAll('$node', '.*');
      const r = await q(promql);
      expect({ panel, nonEmpty: r.length > 0 }).toEqual({ panel, nonEmpty: true });
      if (expr.includes('group_left (peer_alias)')) {
        expect({
          panel,
          aliases: r.map((x) => x.metric.peer_alias ?? '(none)').filter((a) => !ALIASES.includes(a)),
        }).toEqual({ panel, aliases: [] });
      }
    }
    // The node variable: label_values(htlc_tail_stream_up, node) is Grafana's for this query.
    const node = dash.templating.list.find((v) => v.name === 'node')!;
    expect(node.definition).toBe('label_values(htlc_tail_stream_up, node)');
    expect(byLabels(await q('group by (node) (htlc_tail_stream_up)'), ['node'])).toEqual(new Map([[NODE, 1]]));
    // Metric names in the dashboard are SPEC's (a typo would also show as an empty answer above).
    const known = new Set(Object.values(METRICS).map((m) => m.name));
    for (const { expr } of exprs) {
      for (const name of expr.match(/htlc_tail_[a-z_]+/g) ?? [])
        expect(known.has(name.replace(/_(bucket|sum|count)$/, ''))).toBe(true);
    }
  });
});

interface Dashboard {
  panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  templating: { list: Array<{ name: string; definition?: string }> };
}
