/**
 * Metrics costs, in-process (a development aid; `npm run bench` measures the
 * CLI's throughput with --metrics-listen end to end):
 *
 * 1. Per event: the flood mix's events, decoded and correlated beforehand, into
 *    one node's metrics sink (NodeMetrics.event), CPU µs per event, next to the
 *    cost of correlate + jsonl format of the same events for scale.
 * 2. Per scrape: a node with CHANNELS channels (default 500) in its alias book,
 *    forwards over PAIRS pairs per channel (default 5: 2,500 pairs) with every
 *    outcome and a few failure reasons per channel, then again at the pair
 *    bound (5,000 pairs: the largest exposition a node can have); the
 *    exposition's time (render()) and a full GET /metrics by curl in its own
 *    process (as Prometheus scrapes), median and max of RUNS.
 *    Target: a scrape answers in under 50 ms.
 *
 * usage: npm run build && node bench/metrics.mjs [N events] [channels] [pairs per channel]
 */
import { buildNode, FloodMix } from '@htlc-tail/lnd-sim';
import { decodeHtlcEventWire } from '../dist/codec/wire/decode-htlc-event.js';
import { Correlator } from '../dist/events/correlate.js';
import { AliasBook } from '../dist/events/aliases.js';
import { getFormatter, PLAIN_COLORIZER } from '../dist/format/index.js';
import { createMetrics } from '../dist/metrics/metrics.js';
import { DEFAULT_MAX_PAIRS } from '../dist/metrics/forward-pairs.js';
import { startMetricsServer } from '../dist/metrics/server.js';
import { parseMetricsListen } from '../dist/config/metrics-listen.js';
import http from 'node:http';
import { spawn, spawnSync } from 'node:child_process';

const N = Number(process.argv[2] ?? 300_000);
const CHANNELS = Number(process.argv[3] ?? 500);
const PAIRS = Number(process.argv[4] ?? 5);
const RUNS = 30;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Per event.
const mix = new FloodMix(buildNode(1), 1);
const evs = [];
const c = new Correlator();
for (let i = 0; i < N; i++) evs.push(c.apply(decodeHtlcEventWire(mix.item(i).bytes)));
const jsonl = getFormatter('jsonl').format;
const ctx = { colorizer: PLAIN_COLORIZER, utc: true };

const metrics = await createMetrics();
const sink = metrics.node('bench');
const perEvent = [];
for (let r = 0; r < 5; r++) {
  const t = cpuMs();
  for (const e of evs) sink.event(e);
  perEvent.push(((cpuMs() - t) * 1000) / N);
}
const format = [];
for (let r = 0; r < 3; r++) {
  const t = cpuMs();
  const c2 = new Correlator();
  for (const e of evs) jsonl(c2.apply({ ...e, corr: undefined }), ctx);
  format.push(((cpuMs() - t) * 1000) / N);
}
const sinkUs = median(perEvent);
const pathUs = median(format);
evs.length = 0; // part 2 runs without part 1's events on the heap
console.log(`per event: metrics sink ${sinkUs.toFixed(3)} µs; correlate + jsonl format ${pathUs.toFixed(3)} µs (sink = ${((100 * sinkUs) / pathUs).toFixed(1)}% of that), N = ${N}`);

// 2. Per scrape: CHANNELS channels, PAIRS and the pair bound (the worst case).
const T0 = 1_754_000_000_000_000_000n;
const info = { incomingTimelock: 800_100, outgoingTimelock: 800_060, incomingAmtMsat: '1001000', outgoingAmtMsat: '1000000' };
const hasCurl = spawnSync('curl', ['--version'], { stdio: 'ignore' }).error === undefined;

/** One scrape's wall time in ms, by curl in its own process (like Prometheus), else in-process. */
function scrapeMs(url, agent) {
  if (hasCurl) {
    // Asynchronously: the server answering it runs in this process.
    return new Promise((resolve, reject) => {
      const child = spawn('curl', ['-s', '--max-time', '30', '-o', '/dev/null', '-w', '%{time_total} %{size_download}', url]);
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
      child.on('close', () => {
        const [t, size] = out.split(' ').map(Number);
        if (size > 0) resolve(t * 1000);
        else reject(new Error(`scrape failed: ${out}`));
      });
    });
  }
  const t = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(performance.now() - t));
      })
      .on('error', reject);
  });
}

async function scrapeBench(channels, pairs) {
  const big = await createMetrics();
  const node = big.node('02' + 'a'.repeat(64));
  const book = new AliasBook();
  const chans = Array.from({ length: channels }, (_, i) => String(((800_000n + BigInt(i)) << 40n) | (BigInt(i) << 16n)));
  book.load(chans.map((id, i) => ({ chan_id: id, remote_pubkey: '03' + i.toString(16).padStart(64, '0'), peer_alias: `peer-${i}` })));
  node.setAliases(book);
  node.subscribed(false);
  const c3 = new Correlator();
  let htlc = 0;
  for (let i = 0; i < channels; i++) {
    for (let k = 1; k <= pairs; k++) {
      const inCh = chans[i];
      const outCh = chans[(i + k) % channels];
      for (const outcome of ['settle', 'forward_fail', 'link_fail']) {
        htlc++;
        const ts = (T0 + BigInt(htlc) * 1_000_000n).toString();
        const base = { eventType: 3, incomingChannelId: inCh, outgoingChannelId: outCh, incomingHtlcId: String(htlc), outgoingHtlcId: String(htlc) };
        if (outcome === 'link_fail') {
          node.event(c3.apply({ ...base, event: 'link_fail', timestampNs: ts, outgoingHtlcId: '0', info, wireFailure: 15, failureDetail: 6 + (k % 3), failureString: 'x' }));
        } else {
          node.event(c3.apply({ ...base, event: 'forward', timestampNs: ts, info }));
          node.event(c3.apply({ ...base, event: outcome, timestampNs: (BigInt(ts) + 300_000_000n).toString() }));
        }
      }
    }
  }
  const text = await big.text();
  const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  const render = [];
  const renderCpu = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const c = cpuMs();
    await big.render();
    renderCpu.push(cpuMs() - c);
    render.push(performance.now() - t);
  }
  const server = await startMetricsServer(parseMetricsListen('127.0.0.1:0'), big);
  const agent = new http.Agent({ keepAlive: true });
  const get = [];
  for (let r = 0; r < RUNS; r++) get.push(await scrapeMs(server.url, agent));
  agent.destroy();
  await server.close();
  const m = median(get);
  console.log(
    `scrape, ${channels} channels, ${channels * pairs} channel pairs (${series} series, ${(text.length / 1024).toFixed(0)} KiB): ` +
      `render median ${median(render).toFixed(1)} ms, CPU ${median(renderCpu).toFixed(1)} ms (max ${Math.max(...render).toFixed(1)}); ` +
      `GET /metrics (${hasCurl ? 'curl' : 'in-process client'}) median ${m.toFixed(1)} ms (max ${Math.max(...get).toFixed(1)}); target < 50 ms: ${m < 50 ? 'met' : 'NOT met'}`,
  );
}

await scrapeBench(CHANNELS, PAIRS);
await scrapeBench(CHANNELS, Math.ceil(DEFAULT_MAX_PAIRS / CHANNELS)); // the pair bound: the largest scrape a node can have
