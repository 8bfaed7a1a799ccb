/**
 * `npm run bench` cases of the metrics (issue 14), run by bench/run.js:
 *
 *   metrics         -f jsonl --metrics-listen against -f jsonl alone, on the
 *                   flood (run.js's simulated node in flood mode), side by side
 *                   in the same run: events/s (start-up subtracted, as in the
 *                   throughput section) and events per CPU-s. Target ≥ 0.9×.
 *   metrics-scrape  GET /metrics of a tail whose node has 500 channels
 *                   (2,500 channel pairs with every outcome, link failures on
 *                   each channel: the series a busy routing node has), timed
 *                   from this process (like Prometheus) while the tail is
 *                   busy with a flood of events behind them. Target: < 50 ms.
 *
 * The 500-channel node: the simulated node has a handful of channels, so a
 * scripted stream (htlc-tail-sim --scenario) first sends forwards over 500
 * channel ids, then a burst of BENCH_N generated events; the scrapes made
 * while the burst is being processed (its events count still growing between
 * two scrapes) are the ones counted. channel_info has the simulated node's
 * own channels (ListChannels), not 500 rows: 500 more one-line series.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** The BENCH_ONLY names of these cases. */
export const METRICS_CASES = ['metrics', 'metrics-scrape'];

const CHANNELS = 500;
const PAIRS_PER_CHANNEL = 5;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** -f jsonl with and without --metrics-listen, alternating, RUNS times each. */
async function ratio(c) {
  const variants = [
    { id: 'plain', label: 'htlc-tail -f jsonl', cmd: (n) => c.tailCmd(c.dir, 'jsonl', n) },
    {
      id: 'metrics',
      label: 'htlc-tail -f jsonl --metrics-listen 127.0.0.1:0',
      cmd: (n) => `${c.tailCmd(c.dir, 'jsonl', n)} --metrics-listen 127.0.0.1:0`,
    },
  ];
  const acc = Object.fromEntries(
    variants.map((v) => [v.id, { full: [], one: [], cpuFull: [], cpuOne: [], errors: [] }]),
  );
  for (let r = 0; r < c.RUNS; r++) {
    for (const v of variants) {
      const a = acc[v.id];
      for (const n of c.SMOKE ? [c.N] : [1, c.N]) {
        const res = await c.sh(`${c.timed(v.cmd(n))} > /dev/null`);
        if (res.code !== 0) {
          a.errors.push(`exit ${res.code}: ${res.stderr.trim().split('\n')[0]}`);
          continue;
        }
        (n === 1 ? a.one : a.full).push(res.ms);
        (n === 1 ? a.cpuOne : a.cpuFull).push(c.parseTime(res.stderr).cpu);
      }
      c.log(
        `metrics run ${r + 1}/${c.RUNS}: ${v.label}: ${a.full.length ? `${(a.full.at(-1) / 1000).toFixed(2)} s` : 'failed'}`,
      );
    }
  }
  const rate = (xs, base) => c.median(xs.map((x) => (x - base > 0 ? c.N / (x - base) : NaN)));
  const rows = variants.map((v) => {
    const a = acc[v.id];
    return {
      id: v.id,
      label: v.label,
      eventsPerSec: rate(a.full, c.SMOKE ? 0 : c.median(a.one)) * 1000,
      cpuEventsPerSec: rate(a.cpuFull, c.SMOKE ? 0 : c.median(a.cpuOne)),
      errors: a.errors,
    };
  });
  return {
    rows,
    ratio: rows[1].eventsPerSec / rows[0].eventsPerSec,
    cpuRatio: rows[1].cpuEventsPerSec / rows[0].cpuEventsPerSec,
  };
}

/** The scripted stream: forwards over 500 channels, then `burst` generated events. */
function scrapeScenario(burst) {
  const ids = Array.from({ length: CHANNELS }, (_, i) =>
    (((800_000n + BigInt(i)) << 40n) | (BigInt(i) << 16n)).toString(),
  );
  const info = {
    incoming_timelock: 800_100,
    outgoing_timelock: 800_060,
    incoming_amt_msat: '1001000',
    outgoing_amt_msat: '1000000',
  };
  const steps = [];
  let h = 0;
  for (let i = 0; i < CHANNELS; i++) {
    for (let k = 1; k <= PAIRS_PER_CHANNEL; k++) {
      const ev = (type, member, outH) => ({
        send: {
          incoming_channel_id: ids[i],
          outgoing_channel_id: ids[(i + k) % CHANNELS],
          incoming_htlc_id: String(h),
          outgoing_htlc_id: outH ?? String(h),
          event_type: type,
          ...member,
        },
      });
      h++;
      steps.push(ev('FORWARD', { forward_event: { info } }), ev('FORWARD', { settle_event: { preimage: '' } }));
      h++;
      steps.push(ev('FORWARD', { forward_event: { info } }), ev('FORWARD', { forward_fail_event: {} }));
      h++;
      const detail = ['INSUFFICIENT_BALANCE', 'HTLC_EXCEEDS_MAX', 'LINK_NOT_ELIGIBLE'][k % 3];
      steps.push(
        ev(
          'FORWARD',
          {
            link_fail_event: {
              info,
              wire_failure: 'TEMPORARY_CHANNEL_FAILURE',
              failure_detail: detail,
              failure_string: 'x',
            },
          },
          '0',
        ),
      );
    }
  }
  const setup = steps.length;
  const chunk = Math.min(1000, burst);
  steps.push({ repeat: Math.ceil(burst / chunk), steps: [{ generate: chunk }, { sleep: 0 }] });
  return { scenario: { connections: [steps], then: 'hold' }, setup };
}

/** One GET by curl in its own process (as Prometheus, in its own process, scrapes): its time in ms, and the body. */
function curlGet(url, file) {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-s', '--max-time', '30', '-o', file, '-w', '%{time_total}', url]);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`curl ${url}: exit ${code}`));
      else resolve({ ms: Number(out) * 1000, body: fs.readFileSync(file, 'utf8') });
    });
  });
}

/** The process that does the tail's work: the tail's relaunched child (heap flags, see README), else the tail itself. */
function workerPid(pid) {
  try {
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return kids.length ? Number(kids[0]) : pid;
  } catch {
    return pid;
  }
}

const eventsSum = (text) => {
  let sum = 0;
  for (const m of text.matchAll(/^htlc_tail_events_total\{[^}]*\} (\d+)$/gm)) sum += Number(m[1]);
  return sum;
};

async function scrape(c) {
  const dir = fs.mkdtempSync(path.join(c.dir, 'scrape-'));
  const burst = c.N;
  const { scenario, setup } = scrapeScenario(burst);
  fs.writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(scenario));
  const sim = await c.startProcess(
    [
      'packages/lnd-sim/bin/htlc-tail-sim.js',
      '--lnddir',
      path.join(dir, 'lnd'),
      '--scenario',
      path.join(dir, 'scenario.json'),
    ],
    /connect: htlc-tail/,
    'htlc-tail-sim (scenario)',
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/metrics`;
  const args = [
    'bin/htlc-tail.js',
    '--lnddir',
    path.join(dir, 'lnd'),
    '--network',
    'regtest',
    '-f',
    'jsonl',
    '--no-stats',
    '--color',
    'never',
    '--metrics-listen',
    `127.0.0.1:${port}`,
  ];
  const tail = spawn(c.NODE, args, { env: c.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  tail.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const times = [];
  const idle = [];
  const idleCpu = [];
  const index = [];
  let series = 0;
  let bytes = 0;
  try {
    // The 500 channels' forwards counted: then the burst follows them.
    const end = Date.now() + 120_000;
    for (;;) {
      if (tail.exitCode !== null) throw new Error(`htlc-tail exited (${tail.exitCode}): ${err.trim().split('\n')[0]}`);
      const text = await fetch(url).then(
        (r) => r.text(),
        () => '',
      );
      if (eventsSum(text) >= setup) break;
      if (Date.now() > end) throw new Error('the 500-channel setup did not arrive within 120 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    let before = -1;
    let stable = 0;
    const worker = workerPid(tail.pid);
    while (stable < 10) {
      const cpu0 = c.cpuSeconds(worker);
      const { ms, body: text } = await curlGet(url, path.join(dir, 'scrape.txt'));
      const cpuMs = (c.cpuSeconds(worker) - cpu0) * 1000;
      const sum = eventsSum(text);
      // GET / (no rendering): the wait for the tail's event loop alone.
      const { ms: indexMs } = await curlGet(url.replace(/metrics$/, ''), path.join(dir, 'index.html'));
      // Counted while the burst is being processed: more events than at the previous scrape.
      if (before >= 0 && sum > before) {
        times.push(ms);
        index.push(indexMs);
      } else if (sum === before) {
        idle.push(ms);
        idleCpu.push(cpuMs);
      }
      stable = sum === before ? stable + 1 : 0;
      before = sum;
      series = text.split('\n').filter((l) => l.startsWith('htlc_tail_')).length;
      bytes = text.length;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    tail.kill('SIGTERM');
    await c.stopProcess(sim);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return {
    channels: CHANNELS,
    pairs: CHANNELS * PAIRS_PER_CHANNEL,
    burst,
    series,
    kib: bytes / 1024,
    scrapes: times.length,
    p50: pct(50),
    p90: pct(90),
    max: sorted.at(-1),
    idleP50: c.median(idle),
    idleCpuMs: idleCpu.reduce((a, b) => a + b, 0) / idleCpu.length,
    indexP50: c.median(index),
  };
}

/**
 * Runs the selected cases. `c`: run.js's context (N, RUNS, SMOKE, dir of the
 * flood node, and its helpers). Returns { raw, lines (markdown), targets }.
 */
export async function metricsBench(c) {
  const raw = {};
  const L = [];
  const targets = [];
  if (c.sections.has('metrics')) {
    const r = (raw.ratio = await ratio(c));
    L.push(`### Metrics cost: ${c.fmtInt(c.N)} events from the flood, output → /dev/null`);
    L.push('');
    L.push('| command | events/s | events per CPU-s |');
    L.push('| --- | ---: | ---: |');
    for (const x of r.rows)
      L.push(
        `| ${x.label}${x.errors.length ? ` (${x.errors.length} failed: ${x.errors[0]})` : ''} | ${c.fmtInt(x.eventsPerSec)} | ${c.fmtInt(x.cpuEventsPerSec)} |`,
      );
    L.push('');
    targets.push([
      '-f jsonl --metrics-listen ≥ 0.9× -f jsonl',
      `${c.fmtX(r.ratio)} (CPU: ${c.fmtX(r.cpuRatio)})`,
      Number.isFinite(r.ratio) ? r.ratio >= 0.9 : undefined,
    ]);
  }
  if (c.sections.has('metrics-scrape')) {
    const s = (raw.scrape = await scrape(c));
    L.push(
      `### Scrape of a node with ${s.channels} channels while a flood of ${c.fmtInt(s.burst)} events is processed`,
    );
    L.push('');
    L.push(
      '| series | size | scrapes during the flood | p50 | p90 | max | after the flood: p50 | its CPU in the tail | GET / during the flood (p50) |',
    );
    L.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    L.push(
      `| ${c.fmtInt(s.series)} (${c.fmtInt(s.pairs)} channel pairs) | ${s.kib.toFixed(0)} KiB | ${s.scrapes} | ${c.fmtMs(s.p50)} | ${c.fmtMs(s.p90)} | ${c.fmtMs(s.max)} | ${c.fmtMs(s.idleP50)} | ${c.fmtMs(s.idleCpuMs)} | ${c.fmtMs(s.indexP50)} |`,
    );
    L.push('');
    L.push(
      "GET /metrics by curl (its own process, as Prometheus scrapes), every 50 ms; counted while the tail's events count still grows between two scrapes. GET / (no rendering) shows the wait for the tail's event loop alone; the CPU column is the tail process's CPU time per scrape once the flood is over (mean of 10; /proc, 10 ms ticks).",
    );
    L.push('');
    targets.push([
      `scrape of ${s.channels} channels during the flood < 50 ms (p90)`,
      c.fmtMs(s.p90),
      Number.isFinite(s.p90) ? s.p90 < 50 : undefined,
    ]);
  }
  return { raw, lines: L, targets };
}
