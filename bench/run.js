/**
 * `npm run bench`: htlc-tail against the clients a user would otherwise run,
 * in one run, on one machine, as ratios to their baselines.
 *
 *   throughput  events/s received and written, against a simulated node in
 *               flood mode (its own process): the lnd-docs client
 *               (grpc-js + proto-loader + console.log), the same client only
 *               decoding (null sink) or not even decoding (raw limit), and
 *               htlc-tail -f jsonl|raw|pretty|table to /dev/null and to a pipe
 *   replay      htlc-tail replay of a capture of raw lines → jsonl, against jq -c .
 *   startup     htlc-tail --help against node -e 0
 *   rss         peak RSS of htlc-tail -f jsonl streaming 200k and 1M events
 *   latency     server send → line on stdout, p50/p99, at 1,000 events/s
 *   nodes       1, 5 and 20 nodes at 2,000 events/s combined: latency and RSS per node (bench/nodes.js)
 *
 * Prints a markdown table of medians (each figure with its ratio to its
 * baseline and the targets) and writes it to bench/out/latest.md (and the raw
 * numbers to latest.json).
 *
 * Environment (defaults finish in a few minutes on 2 cores):
 *   BENCH_N=200000          events per throughput run
 *   BENCH_RUNS=3            runs per figure (the table shows medians)
 *   BENCH_RSS_N=1000000     the long run for peak RSS (and BENCH_RSS_SMALL_N=200000)
 *   BENCH_REPLAY_LINES=1000000   lines in the replay capture (generated once into the out dir)
 *   BENCH_LATENCY_EVENTS=5000, BENCH_LATENCY_RATE=1000, BENCH_LATENCY_WARMUP=500
 *   BENCH_STARTUP_RUNS=15
 *   BENCH_ONLY=throughput,replay,startup,rss,latency,metrics,metrics-scrape,nodes,record,history   a subset of the sections
 *                           (metrics, metrics-scrape: bench/metrics.js; nodes: bench/nodes.js; record: bench/history-write.js;
 *                           history: bench/history-read.js, the report and --since on large stores)
 *   BENCH_OUT=bench/out     where latest.md, latest.json and the capture go
 *   BENCH_SMOKE=1           a tiny run that only checks the script works (N=2000, 1 run, no start-up
 *                           subtraction, small replay/RSS/latency runs): its figures mean nothing
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { METRICS_CASES, metricsBench } from './metrics.js';
import { nodesReport, runNodesBench } from './nodes.js';
import { historyWrite, historyWriteReport } from './history-write.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
process.chdir(ROOT);

const SMOKE = process.env.BENCH_SMOKE === '1';
const num = (name, def) => {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`bench: ${name} must be a positive integer, got ${JSON.stringify(v)}\n`);
    process.exit(2);
  }
  return n;
};
const N = num('BENCH_N', SMOKE ? 2000 : 200_000);
const RUNS = num('BENCH_RUNS', SMOKE ? 1 : 3);
const RSS_BIG = num('BENCH_RSS_N', SMOKE ? 4000 : 1_000_000);
const RSS_SMALL = num('BENCH_RSS_SMALL_N', SMOKE ? 2000 : 200_000);
const REPLAY_LINES = num('BENCH_REPLAY_LINES', SMOKE ? 2000 : 1_000_000);
const LAT_EVENTS = num('BENCH_LATENCY_EVENTS', SMOKE ? 300 : 5000);
const LAT_RATE = num('BENCH_LATENCY_RATE', 1000);
const LAT_WARMUP = Math.min(num('BENCH_LATENCY_WARMUP', SMOKE ? 50 : 500), Math.floor(LAT_EVENTS / 2));
const STARTUP_RUNS = num('BENCH_STARTUP_RUNS', SMOKE ? 3 : 15);
const OUT = path.resolve(process.env.BENCH_OUT ?? path.join(ROOT, 'bench', 'out'));
const SECTIONS = new Set(
  (
    process.env.BENCH_ONLY ??
    ['throughput,replay,startup,rss,latency', ...METRICS_CASES, 'nodes', 'record', 'history'].join(',')
  )
    .split(',')
    .map((s) => s.trim()),
);
const NODE = process.execPath;
const FORMATS = ['jsonl', 'raw', 'pretty', 'table'];
const NETWORK = 'regtest';

// Children: no deprecation noise on stderr, no colour from the environment, no inherited node flags.
const CHILD_ENV = { ...process.env, NODE_NO_WARNINGS: '1' };
delete CHILD_ENV.NODE_OPTIONS;
delete CHILD_ENV.FORCE_COLOR;

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `bash -c cmd`; resolves with wall time, exit code, stdout and stderr. */
function sh(cmd, { timeoutMs = 600_000 } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('bash', ['-c', cmd], { env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t0, code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

function firstLine(s) {
  return (
    s
      .trim()
      .split('\n')
      .find((l) => l.trim() !== '') ?? ''
  ).slice(0, 200);
}

// ---------------------------------------------------------------------------
// The simulated nodes (each in its own process)

async function startProcess(args, readyRe, what) {
  const child = spawn(NODE, args, { env: CHILD_ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 60 s: ${firstLine(err)}`)), 60_000);
    child.stderr.setEncoding('utf8').on('data', (d) => {
      err += d;
      const m = readyRe.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready: ${firstLine(err)}`));
    });
  });
  child.removeAllListeners('exit');
  return { child, ready, stderr: () => err };
}

async function stopProcess(p) {
  if (!p || p.child.exitCode !== null) return;
  const gone = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await Promise.race([gone, sleep(3000)]);
  if (p.child.exitCode === null) p.child.kill('SIGKILL');
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------------------
// Commands

/**
 * htlc-tail's arguments for a tail of `count` events (the script first), as every section runs it:
 * without alias lookups unless `aliases` (the record section's baseline: the tail with its defaults).
 */
const tailArgs = (dir, format, count, { aliases = false } = {}) => [
  'bin/htlc-tail.js',
  '--lnddir',
  dir,
  '--network',
  NETWORK,
  '-f',
  format,
  '--no-stats',
  ...(aliases ? [] : ['--no-aliases']),
  '--color',
  'never',
  '--count',
  String(count),
];
const tailCmd = (dir, format, count, opts) => [NODE, ...tailArgs(dir, format, count, opts)].map(q).join(' ');
const clientCmd = (dir, mode, count) => `${q(NODE)} bench/grpc-client.mjs ${mode} ${q(dir)} ${NETWORK} ${count}`;

/** Wraps a command so that its stdout goes to /dev/null, or through a pipe to a consumer that reads and discards it (`wc -l`, which also counts the lines). */
const toSink = (cmd, sink) => (sink === 'pipe' ? `set -o pipefail; ${cmd} | wc -l` : `${cmd} > /dev/null`);

// ---------------------------------------------------------------------------
// Sections

const results = {
  config: {},
  machine: {},
  throughput: null,
  replay: null,
  startup: null,
  rss: null,
  latency: null,
  metrics: null,
  notes: [],
};

const HAS_TIME = fs.existsSync('/usr/bin/time');
/** Prefix that makes GNU time report the command's CPU seconds (user, system) and peak RSS on stderr. */
const timed = (cmd) => (HAS_TIME ? `/usr/bin/time -f 'bench-time %U %S %M' ${cmd}` : cmd);
const parseTime = (stderr) => {
  const m = /bench-time ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  return m ? { cpu: Number(m[1]) + Number(m[2]), rssKb: Number(m[3]) } : { cpu: NaN, rssKb: NaN };
};

async function throughput(dir, simPid) {
  const clients = [
    {
      id: 'log',
      label: 'baseline: grpc-js + proto-loader, console.log(response)',
      sink: '/dev/null',
      cmd: (n) => clientCmd(dir, 'log', n),
    },
    {
      id: 'log-pipe',
      label: 'baseline: grpc-js + proto-loader, console.log(response)',
      sink: 'pipe',
      cmd: (n) => clientCmd(dir, 'log', n),
    },
    {
      id: 'null',
      label: 'null sink: the same client, decode and count only',
      sink: '(none)',
      cmd: (n) => clientCmd(dir, 'null', n),
    },
    {
      id: 'raw',
      label: 'raw limit: grpc-js, bytes undecoded, count only',
      sink: '(none)',
      cmd: (n) => clientCmd(dir, 'raw', n),
    },
  ];
  for (const f of FORMATS) {
    for (const sink of ['/dev/null', 'pipe']) {
      clients.push({
        id: `tail-${f}${sink === 'pipe' ? '-pipe' : ''}`,
        label: `htlc-tail -f ${f}`,
        sink,
        cmd: (n) => tailCmd(dir, f, n),
        tail: true,
      });
    }
  }
  const acc = new Map(
    clients.map((c) => [c.id, { full: [], one: [], cpuFull: [], cpuOne: [], errors: [], simBusy: [] }]),
  );
  for (let r = 0; r < RUNS; r++) {
    for (const c of clients) {
      const a = acc.get(c.id);
      // The 1-event run measures start-up, subtracted from the N-event run (skipped in smoke mode).
      for (const n of SMOKE ? [N] : [1, N]) {
        const cpu0 = cpuSeconds(simPid);
        const res = await sh(toSink(timed(c.cmd(n)), c.sink === 'pipe' ? 'pipe' : '/dev/null'));
        let error;
        if (res.code !== 0) error = `exit ${res.code}: ${firstLine(res.stderr.replace(/^bench-time.*$/m, ''))}`;
        else if (c.sink === 'pipe' && Number(res.stdout.trim()) < n) error = `only ${res.stdout.trim()} lines arrived`;
        if (error) {
          a.errors.push(error);
          continue;
        }
        const { cpu } = parseTime(res.stderr);
        (n === 1 ? a.one : a.full).push(res.ms);
        (n === 1 ? a.cpuOne : a.cpuFull).push(cpu);
        if (n === N) a.simBusy.push((cpuSeconds(simPid) - cpu0) / (res.ms / 1000));
      }
      const last = a.full.at(-1);
      log(
        `throughput run ${r + 1}/${RUNS}: ${c.label} → ${c.sink}: ${last === undefined ? 'failed' : `${(last / 1000).toFixed(2)} s, ${a.cpuFull.at(-1).toFixed(2)} s CPU`}`,
      );
    }
  }
  const rows = clients.map((c) => {
    const a = acc.get(c.id);
    const startup = SMOKE ? 0 : median(a.one);
    const startupCpu = SMOKE ? 0 : median(a.cpuOne);
    const rate = (x, base) => (x - base > 0 ? N / (x - base) : NaN);
    const rates = a.full.map((ms) => rate(ms, startup) * 1000);
    const cpuRates = a.cpuFull.map((s) => rate(s, startupCpu));
    return {
      id: c.id,
      label: c.label,
      sink: c.sink,
      tail: !!c.tail,
      eventsPerSec: median(rates),
      cpuEventsPerSec: median(cpuRates),
      runs: rates,
      cpuRuns: cpuRates,
      startupMs: startup,
      startupCpuS: startupCpu,
      simBusy: median(a.simBusy),
      errors: a.errors,
    };
  });
  const by = Object.fromEntries(rows.map((r) => [r.id, r]));
  for (const r of rows) {
    const base = r.sink === 'pipe' ? by['log-pipe'] : by.log;
    r.vsNull = r.eventsPerSec / by.null.eventsPerSec;
    r.vsLog = r.eventsPerSec / base.eventsPerSec;
    r.cpuVsNull = r.cpuEventsPerSec / by.null.cpuEventsPerSec;
    r.cpuVsLog = r.cpuEventsPerSec / base.cpuEventsPerSec;
  }
  results.throughput = { n: N, runs: RUNS, rows };
}

async function replay(dir) {
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `capture-${REPLAY_LINES}.raw.jsonl`);
  const doneMark = `${file}.complete`;
  if (!fs.existsSync(file) || !fs.existsSync(doneMark)) {
    log(`generating the replay capture: ${REPLAY_LINES} raw lines → ${path.relative(ROOT, file)} (once)`);
    fs.rmSync(doneMark, { force: true });
    const res = await sh(`${tailCmd(dir, 'raw', REPLAY_LINES)} > ${q(file)}`);
    if (res.code !== 0) throw new Error(`could not generate the capture: ${firstLine(res.stderr)}`);
    fs.writeFileSync(doneMark, `${REPLAY_LINES}\n`);
  }
  const out = {
    lines: REPLAY_LINES,
    file: path.relative(ROOT, file),
    bytes: fs.statSync(file).size,
    replay: null,
    jq: null,
    vsJq: NaN,
    notes: [],
  };

  // Is replay there yet? Try it on the first lines of the capture.
  const sample = path.join(OUT, 'replay-probe.raw.jsonl');
  const head = Buffer.alloc(64 * 1024);
  const fd = fs.openSync(file, 'r');
  const got = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  fs.writeFileSync(sample, head.subarray(0, got).toString('utf8').split('\n').slice(0, 20).join('\n') + '\n');
  let replayArgs;
  let why = '';
  for (const args of [
    '-f jsonl --no-stats --no-aliases --color never',
    '-f jsonl --no-stats --color never',
    '-f jsonl',
  ]) {
    const res = await sh(`${q(NODE)} bin/htlc-tail.js replay ${q(sample)} ${args}`);
    const lines = res.stdout.split('\n').filter((l) => l !== '');
    const ok = res.code === 0 && lines.length === 20 && lines.every((l) => l.startsWith('{"event":'));
    if (ok) {
      replayArgs = args;
      break;
    }
    why ||=
      res.code !== 0 ? `exit ${res.code}: ${firstLine(res.stderr)}` : `wrote ${lines.length} lines for 20, not jsonl`;
  }
  fs.rmSync(sample, { force: true });
  if (!replayArgs) out.notes.push(`htlc-tail replay is not available (${why})`);

  const hasJq = spawnSync('bash', ['-c', 'command -v jq'], { encoding: 'utf8' }).status === 0;
  if (!hasJq) out.notes.push('jq is not installed: no jq baseline');
  else out.jqVersion = spawnSync('jq', ['--version'], { encoding: 'utf8' }).stdout.trim();

  const times = { replay: [], jq: [], replayCpu: [], jqCpu: [] };
  for (let r = 0; r < RUNS; r++) {
    if (hasJq) {
      const res = await sh(`${timed(`jq -c . ${q(file)}`)} > /dev/null`);
      if (res.code === 0) {
        times.jq.push(res.ms);
        times.jqCpu.push(parseTime(res.stderr).cpu);
      }
      log(`replay run ${r + 1}/${RUNS}: jq -c . ${(res.ms / 1000).toFixed(2)} s`);
    }
    if (replayArgs) {
      const res = await sh(`${timed(`${q(NODE)} bin/htlc-tail.js replay ${q(file)} ${replayArgs}`)} > /dev/null`);
      if (res.code === 0) {
        times.replay.push(res.ms);
        times.replayCpu.push(parseTime(res.stderr).cpu);
      } else out.notes.push(`replay run ${r + 1} failed: exit ${res.code}: ${firstLine(res.stderr)}`);
      log(`replay run ${r + 1}/${RUNS}: htlc-tail replay ${(res.ms / 1000).toFixed(2)} s`);
    }
  }
  const summary = (ms, cpu) => ({ ms: median(ms), cpuS: median(cpu), linesPerSec: REPLAY_LINES / (median(ms) / 1000) });
  if (times.replay.length) out.replay = { ...summary(times.replay, times.replayCpu), args: replayArgs };
  if (times.jq.length) out.jq = summary(times.jq, times.jqCpu);
  if (out.replay && out.jq) {
    out.vsJq = out.jq.ms / out.replay.ms;
    out.cpuVsJq = out.jq.cpuS / out.replay.cpuS;
  }
  results.replay = out;
}

async function startup() {
  const runOnce = (args) =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const child = spawn(NODE, args, { env: CHILD_ENV, stdio: 'ignore' });
      child.on('close', (code) => resolve({ ms: performance.now() - t0, code }));
    });
  const help = [];
  const bare = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const h = await runOnce(['bin/htlc-tail.js', '--help']);
    if (h.code === 0) help.push(h.ms);
    bare.push((await runOnce(['-e', '0'])).ms);
  }
  results.startup = {
    runs: STARTUP_RUNS,
    helpMs: median(help),
    nodeMs: median(bare),
    ratio: median(help) / median(bare),
  };
  log(`startup: --help ${median(help).toFixed(1)} ms, node -e 0 ${median(bare).toFixed(1)} ms`);
}

/** Peak RSS (kB) of one run of `args` (node arguments) with stdout → /dev/null: GNU time's %M, else VmHWM polled from /proc. */
async function peakRss(args) {
  if (HAS_TIME) {
    const res = await sh(`/usr/bin/time -f 'bench-peak-rss-kb %M' ${q(NODE)} ${args.map(q).join(' ')} > /dev/null`);
    const m = /bench-peak-rss-kb (\d+)/.exec(res.stderr);
    if (res.code !== 0 || !m) throw new Error(`${args[0]} failed: ${firstLine(res.stderr)}`);
    return { kb: Number(m[1]), ms: res.ms, how: 'GNU time %M' };
  }
  const t0 = performance.now();
  const child = spawn(NODE, args, { env: CHILD_ENV, stdio: ['ignore', fs.openSync('/dev/null', 'w'), 'ignore'] });
  let kb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) kb = Math.max(kb, Number(m[1]));
    } catch {
      // exited
    }
  }, 20);
  const code = await new Promise((r) => child.on('close', r));
  clearInterval(poll);
  if (code !== 0) throw new Error(`${args[0]} exited ${code}`);
  return { kb, ms: performance.now() - t0, how: 'VmHWM polled every 20 ms' };
}

async function rss(dir) {
  const nullArgs = (n) => ['bench/grpc-client.mjs', 'null', dir, NETWORK, String(n)];
  const kb = { tailSmall: [], tailBig: [], nullSmall: [], nullBig: [] };
  let how = '';
  for (let r = 0; r < RUNS; r++) {
    for (const [key, args] of [
      ['tailSmall', tailArgs(dir, 'jsonl', RSS_SMALL)],
      ['tailBig', tailArgs(dir, 'jsonl', RSS_BIG)],
      ['nullSmall', nullArgs(RSS_SMALL)],
      ['nullBig', nullArgs(RSS_BIG)],
    ]) {
      const x = await peakRss(args);
      kb[key].push(x.kb);
      how = x.how;
    }
    const mb = (key) => `${(kb[key].at(-1) / 1024).toFixed(1)} MB`;
    log(
      `rss run ${r + 1}/${RUNS}: htlc-tail ${mb('tailSmall')} / ${mb('tailBig')}, null sink ${mb('nullSmall')} / ${mb('nullBig')} (${RSS_SMALL} / ${RSS_BIG} events)`,
    );
  }
  const med = (key) => median(kb[key]) / 1024;
  results.rss = {
    smallN: RSS_SMALL,
    bigN: RSS_BIG,
    smallMb: med('tailSmall'),
    bigMb: med('tailBig'),
    nullSmallMb: med('nullSmall'),
    nullBigMb: med('nullBig'),
    growth: med('tailBig') / med('tailSmall'),
    how,
  };
}

/** Spawns a client, reads its stdout as it arrives, and returns send → arrival latencies (ms) of each timestamp it prints. */
function latencySamples(args, re) {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, args, { env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    const samples = [];
    let rest = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const nowNs = (performance.timeOrigin + performance.now()) * 1e6;
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        const m = re.exec(line);
        if (m && m[1] !== '0') samples.push((nowNs - Number(m[1])) / 1e6);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${firstLine(err)}`));
      else resolve(samples);
    });
  });
}

async function latency() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-bench-lat-'));
  let sim;
  try {
    sim = await startProcess(
      ['bench/latency-sim.mjs', dir, String(LAT_RATE), String(LAT_EVENTS)],
      /ready (\S+)/,
      'the latency sim',
    );
    const clients = [
      {
        id: 'log',
        label: 'baseline: grpc-js + proto-loader, console.log(response)',
        args: ['bench/grpc-client.mjs', 'log', dir, NETWORK, String(LAT_EVENTS)],
        re: /timestamp_ns: '(\d+)'/,
      },
      {
        id: 'tail',
        label: 'htlc-tail -f jsonl',
        args: tailArgs(dir, 'jsonl', LAT_EVENTS),
        re: /"timestamp_ns":"(\d+)"/,
      },
    ];
    const per = new Map(clients.map((c) => [c.id, { p50: [], p99: [], max: [], n: 0 }]));
    for (let r = 0; r < RUNS; r++) {
      for (const c of clients) {
        const samples = await latencySamples(c.args, c.re);
        const measured = samples.slice(LAT_WARMUP).sort((a, b) => a - b);
        if (measured.length === 0) throw new Error(`${c.label}: no events arrived`);
        const x = per.get(c.id);
        x.p50.push(percentile(measured, 50));
        x.p99.push(percentile(measured, 99));
        x.max.push(measured[measured.length - 1]);
        x.n = measured.length;
        log(
          `latency run ${r + 1}/${RUNS}: ${c.label}: p50 ${x.p50.at(-1).toFixed(2)} ms, p99 ${x.p99.at(-1).toFixed(2)} ms over ${measured.length} events`,
        );
      }
    }
    results.latency = {
      rate: LAT_RATE,
      events: LAT_EVENTS,
      warmup: LAT_WARMUP,
      rows: clients.map((c) => {
        const x = per.get(c.id);
        return { id: c.id, label: c.label, measured: x.n, p50: median(x.p50), p99: median(x.p99), max: median(x.max) };
      }),
    };
  } finally {
    await stopProcess(sim);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Report

const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const fmtX = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');
const fmtMs = (x, d = 1) => (Number.isFinite(x) ? `${x.toFixed(d)} ms` : 'n/a');
const mark = (ok) => (ok === undefined ? 'n/a' : ok ? 'yes' : '**no**');

function report() {
  const L = [];
  const m = results.machine;
  L.push('## htlc-tail benchmark');
  L.push('');
  L.push(
    `${m.date} · ${m.cpu} × ${m.cores} · ${m.memGb} GB · ${m.os} · node ${m.node} · load average ${m.loadStart} at start, ${m.loadEnd} at end`,
  );
  L.push('');
  L.push(
    `Medians of ${RUNS} run(s)${SMOKE ? ' (BENCH_SMOKE: a tiny run that only checks the script; the figures mean nothing)' : ''}.`,
  );
  L.push('');
  const t = results.throughput;
  if (t) {
    L.push(`### Throughput: ${fmtInt(t.n)} events from the simulated node in flood mode (its own process)`);
    L.push('');
    L.push(
      '| client | output | events/s | × null sink | × console.log | events per CPU-s | × null sink | × console.log | server CPU |',
    );
    L.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of t.rows) {
      const err = r.errors.length ? ` (${r.errors.length} failed run(s): ${r.errors[0]})` : '';
      const withLog = r.id.startsWith('log') || r.tail;
      L.push(
        `| ${r.label}${err} | ${r.sink} | ${fmtInt(r.eventsPerSec)} | ${fmtX(r.vsNull)} | ${withLog ? fmtX(r.vsLog) : ''} ` +
          `| ${fmtInt(r.cpuEventsPerSec)} | ${fmtX(r.cpuVsNull)} | ${withLog ? fmtX(r.cpuVsLog) : ''} ` +
          `| ${Number.isFinite(r.simBusy) ? `${Math.round(100 * r.simBusy)}%` : 'n/a'} |`,
      );
    }
    L.push('');
    L.push(
      'events/s = N / (wall time of the run with N events − median wall time of the same command with 1 event), so start-up, TLS and the subscription are not counted. ' +
        "events per CPU-s: the same with the client process's CPU time (user + system, GNU time), which other load on the machine disturbs less. " +
        'Each client counts N HTLC events (N + 1 messages: lnd sends the subscribed event first; htlc-tail filters it by default). ' +
        '"pipe" is `| wc -l` (a consumer that reads and discards, and checks the line count); × console.log compares with the baseline writing to the same kind of output. ' +
        "server CPU: the simulated node's CPU time over the run's wall time (100% = one core busy: the server would be the limit).",
    );
    L.push('');
  }
  const rp = results.replay;
  if (rp) {
    L.push(
      `### Replay: ${fmtInt(rp.lines)} raw lines (${(rp.bytes / 1e6).toFixed(0)} MB, \`${rp.file}\`) → jsonl, to /dev/null`,
    );
    L.push('');
    const secs = (x) => (Number.isFinite(x) ? `${x.toFixed(2)} s` : 'n/a');
    L.push('| command | time | lines/s | × jq -c . | CPU time | × jq -c . (CPU) |');
    L.push('| --- | ---: | ---: | ---: | ---: | ---: |');
    L.push(
      `| jq -c .${rp.jqVersion ? ` (${rp.jqVersion})` : ''} | ${secs(rp.jq?.ms / 1000)} | ${fmtInt(rp.jq?.linesPerSec)} | ${rp.jq ? '1.00×' : 'n/a'} | ${secs(rp.jq?.cpuS)} | ${rp.jq ? '1.00×' : 'n/a'} |`,
    );
    L.push(
      `| htlc-tail replay ${rp.replay?.args ?? '-f jsonl'} | ${secs(rp.replay?.ms / 1000)} | ${fmtInt(rp.replay?.linesPerSec)} | ${fmtX(rp.vsJq)} | ${secs(rp.replay?.cpuS)} | ${fmtX(rp.cpuVsJq)} |`,
    );
    for (const n of rp.notes) L.push(`\nNote: ${n}.`);
    L.push('');
  }
  const s = results.startup;
  if (s) {
    L.push(`### Start-up (median of ${s.runs})`);
    L.push('');
    L.push('| command | wall time | × node -e 0 |');
    L.push('| --- | ---: | ---: |');
    L.push(`| node -e 0 | ${fmtMs(s.nodeMs)} | 1.00× |`);
    L.push(`| htlc-tail --help | ${fmtMs(s.helpMs)} | ${fmtX(s.ratio)} |`);
    L.push('');
  }
  const r = results.rss;
  if (r) {
    L.push(`### Peak RSS while streaming, output → /dev/null (${r.how})`);
    L.push('');
    L.push(
      `| events | htlc-tail -f jsonl | × ${fmtInt(r.smallN)} events | null sink (proto-loader, count only) | htlc-tail × null sink |`,
    );
    L.push('| ---: | ---: | ---: | ---: | ---: |');
    L.push(
      `| ${fmtInt(r.smallN)} | ${r.smallMb.toFixed(1)} MB | 1.00× | ${r.nullSmallMb.toFixed(1)} MB | ${fmtX(r.smallMb / r.nullSmallMb)} |`,
    );
    L.push(
      `| ${fmtInt(r.bigN)} | ${r.bigMb.toFixed(1)} MB | ${fmtX(r.growth)} | ${r.nullBigMb.toFixed(1)} MB | ${fmtX(r.bigMb / r.nullBigMb)} |`,
    );
    L.push('');
  }
  const l = results.latency;
  if (l) {
    L.push(
      `### Latency at ${fmtInt(l.rate)} events/s: the simulated node's send → the line on the client's stdout (a pipe)`,
    );
    L.push('');
    L.push('| client | events | p50 | p99 | max | p99 × baseline |');
    L.push('| --- | ---: | ---: | ---: | ---: | ---: |');
    const base = l.rows.find((x) => x.id === 'log');
    for (const x of l.rows) {
      L.push(
        `| ${x.label} | ${fmtInt(x.measured)} | ${fmtMs(x.p50, 2)} | ${fmtMs(x.p99, 2)} | ${fmtMs(x.max, 2)} | ${fmtX(x.p99 / base.p99)} |`,
      );
    }
    L.push('');
    L.push(
      `timestamp_ns is stamped when the event is handed to the gRPC server (grpc-js, one write per message); the bench reads the client's output as it arrives and compares with its own wall clock (same machine). ` +
        `The first ${fmtInt(l.warmup)} events of each run are warm-up and not counted; figures are medians over runs.`,
    );
    L.push('');
  }
  if (results.metrics) L.push(...results.metrics.lines);
  // Targets
  const T = [];
  const row = (id) => t?.rows.find((x) => x.id === id);
  if (t) {
    const both = (name, id, key, min) => {
      const x = row(id);
      const wall = key === 'null' ? x.vsNull : x.vsLog;
      const cpu = key === 'null' ? x.cpuVsNull : x.cpuVsLog;
      T.push([name, `${fmtX(wall)} (CPU: ${fmtX(cpu)})`, Number.isFinite(wall) ? wall >= min : undefined]);
    };
    both('-f jsonl ≥ 1.0× null sink (/dev/null)', 'tail-jsonl', 'null', 1.0);
    both('-f jsonl ≥ 1.0× null sink (pipe)', 'tail-jsonl-pipe', 'null', 1.0);
    both('-f jsonl ≥ 3× console.log (/dev/null)', 'tail-jsonl', 'log', 3);
    both('-f jsonl ≥ 3× console.log (pipe)', 'tail-jsonl-pipe', 'log', 3);
    both('-f pretty ≥ 0.7× null sink (/dev/null)', 'tail-pretty', 'null', 0.7);
    both('-f pretty ≥ 0.7× null sink (pipe)', 'tail-pretty-pipe', 'null', 0.7);
  }
  if (rp)
    T.push([
      'replay ≥ 1.5× jq -c .',
      `${fmtX(rp.vsJq)} (CPU: ${fmtX(rp.cpuVsJq)})`,
      Number.isFinite(rp.vsJq) ? rp.vsJq >= 1.5 : undefined,
    ]);
  if (s) T.push(['--help ≤ 1.5× node -e 0', fmtX(s.ratio), s.ratio <= 1.5]);
  if (r) {
    T.push([`peak RSS < 120 MB at ${fmtInt(r.bigN)}`, `${r.bigMb.toFixed(1)} MB`, r.bigMb < 120]);
    T.push([`peak RSS at ${fmtInt(r.bigN)} ≤ 1.10× at ${fmtInt(r.smallN)}`, fmtX(r.growth), r.growth <= 1.1]);
  }
  if (l) {
    const x = l.rows.find((y) => y.id === 'tail');
    T.push([`latency p99 < 5 ms at ${fmtInt(l.rate)}/s`, fmtMs(x.p99, 2), x.p99 < 5]);
  }
  if (results.metrics) T.push(...results.metrics.targets);
  const nodes = results.nodes ? nodesReport(results.nodes) : undefined;
  if (nodes) {
    L.push(...nodes.lines);
    T.push(...nodes.targets);
  }
  if (results.record) {
    const h = historyWriteReport(results.record, fmtInt, fmtX);
    L.push(...h.lines);
    T.push(...h.targets);
  }
  if (results.history) {
    const { historyMarkdown, historyTargets } = HISTORY_RENDER;
    L.push(...historyMarkdown(results.history, fmtMs));
    T.push(...historyTargets(results.history, fmtX));
  }
  if (T.length) {
    L.push('### Targets');
    L.push('');
    L.push('| target | measured | met |');
    L.push('| --- | ---: | :---: |');
    for (const [name, v, ok] of T) L.push(`| ${name} | ${v} | ${mark(ok)} |`);
    L.push('');
  }
  for (const n of results.notes) L.push(`Note: ${n}`);
  return L.join('\n');
}

// ---------------------------------------------------------------------------

/** bench/history-read.js's renderers, loaded by main() when the history section runs. */
let HISTORY_RENDER;

async function main() {
  if (SECTIONS.has('history')) HISTORY_RENDER = await import('./history-read.js');
  for (const f of ['dist/cli/main.js', 'packages/lnd-sim/dist/main.js']) {
    if (!fs.existsSync(f)) {
      log(`${f} is missing: run \`npm run build\` first (npm run bench does)`);
      process.exit(2);
    }
  }
  results.config = {
    N,
    RUNS,
    RSS_SMALL,
    RSS_BIG,
    REPLAY_LINES,
    LAT_EVENTS,
    LAT_RATE,
    LAT_WARMUP,
    STARTUP_RUNS,
    SMOKE,
    sections: [...SECTIONS],
  };
  const cpus = os.cpus();
  results.machine = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cpu: (cpus[0]?.model ?? 'unknown CPU').trim(),
    cores: cpus.length,
    memGb: (os.totalmem() / 2 ** 30).toFixed(0),
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    loadStart: os.loadavg()[0].toFixed(2),
  };
  log(
    `N=${N} runs=${RUNS} rss=${RSS_SMALL}/${RSS_BIG} replay=${REPLAY_LINES} latency=${LAT_EVENTS}@${LAT_RATE}/s; sections ${[...SECTIONS].join(',')}`,
  );

  const needsFlood = ['throughput', 'replay', 'rss', 'metrics', 'record'].some((s) => SECTIONS.has(s));
  let sim;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-bench-'));
  try {
    if (needsFlood) {
      const flood = Math.max(N, RSS_BIG, RSS_SMALL, REPLAY_LINES) + 10;
      sim = await startProcess(
        ['packages/lnd-sim/bin/htlc-tail-sim.js', '--lnddir', dir, '--flood', String(flood)],
        /connect: htlc-tail/,
        'htlc-tail-sim',
      );
      const m = /listening on (\S+) \((\S+)\)/.exec(sim.stderr());
      log(`simulated node (pid ${sim.child.pid}) on ${m?.[1]} over ${m?.[2]}, flood of ${flood} events per stream`);
      results.sim = { address: m?.[1], transport: m?.[2], flood };
    }
    if (SECTIONS.has('throughput')) await throughput(dir, sim.child.pid);
    if (SECTIONS.has('replay')) await replay(dir);
    if (SECTIONS.has('rss')) await rss(dir);
    if (METRICS_CASES.some((c) => SECTIONS.has(c))) {
      const ctx = {
        sections: SECTIONS,
        dir,
        N,
        RUNS,
        SMOKE,
        NODE,
        env: CHILD_ENV,
        sh,
        timed,
        parseTime,
        cpuSeconds,
        tailCmd,
        median,
        log,
        startProcess,
        stopProcess,
        fmtInt,
        fmtX,
        fmtMs,
      };
      results.metrics = await metricsBench(ctx);
    }
    if (SECTIONS.has('record')) {
      const ctx = {
        N,
        RUNS,
        dir,
        sh,
        q,
        median,
        log,
        node: NODE,
        network: NETWORK,
        env: CHILD_ENV,
        hasTime: HAS_TIME,
        smoke: SMOKE,
        tailCmd,
        outDir: fs.mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-bench-record-')),
      };
      results.record = await historyWrite(ctx);
      fs.rmSync(ctx.outDir, { recursive: true, force: true });
    }
    await stopProcess(sim);
    sim = undefined;
    if (SECTIONS.has('startup')) await startup();
    if (SECTIONS.has('latency')) await latency();
    if (SECTIONS.has('nodes'))
      results.nodes = await runNodesBench({
        RUNS,
        SMOKE,
        NODE,
        CHILD_ENV,
        log,
        median,
        percentile,
        startProcess,
        stopProcess,
      });
    if (SECTIONS.has('history')) {
      const { historyRead } = await import('./history-read.js');
      const ctx = {
        smoke: SMOKE,
        runs: RUNS,
        node: NODE,
        log,
        sh,
        q,
        timed,
        parseTime,
        median,
        spawnSync,
        startProcess,
        stopProcess,
        childEnv: CHILD_ENV,
      };
      results.history = await historyRead(ctx);
    }
  } finally {
    await stopProcess(sim);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  results.machine.loadEnd = os.loadavg()[0].toFixed(2);
  if (
    Number(results.machine.loadStart) > results.machine.cores * 0.5 ||
    Number(results.machine.loadEnd) > results.machine.cores * 0.5
  ) {
    results.notes.push(
      'the machine was busy with other work during the run (load average above half the cores): absolute figures are low and noisy; the ratios, measured side by side, hold better.',
    );
  }
  const md = report();
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'latest.md'), md + '\n');
  fs.writeFileSync(path.join(OUT, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(md + '\n');
  log(`written to ${path.relative(ROOT, path.join(OUT, 'latest.md')) || path.join(OUT, 'latest.md')}`);
}

main().catch((err) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
