/**
 * The several-nodes case of `npm run bench` (BENCH_ONLY=nodes): htlc-tail
 * tailing K simulated nodes in one process (`--profiles-file F -p all -f
 * jsonl`), the nodes in one other process (bench/nodes-sim.mjs) sending a
 * combined RATE events/s round-robin, each stamped with its send time. For
 * K = 1 (the baseline), 5 and 20: send → line on stdout latency p50/p99/max
 * (after a warm-up), and the CLI's peak RSS (GNU time). Figures:
 *
 *   p99 at 20 nodes (target < 10 ms), and its ratio to 1 node at the same
 *   combined rate (what spreading the same traffic over 20 connections costs);
 *   RSS per node: (RSS at K − RSS at 1) / (K − 1), for K = 5 and 20 (well
 *   under a MB, so within the noise of peak RSS at 5), and peak RSS at 20
 *   nodes as a ratio to 1 node (target ≤ 1.5×).
 *
 * Environment: BENCH_NODES=1,5,20  BENCH_NODES_RATE=2000  BENCH_NODES_EVENTS=10000
 * BENCH_NODES_WARMUP=1000 (BENCH_SMOKE: 1 and 3 nodes, 600 events).
 *
 * run.js calls runNodesBench(helpers) and puts nodesReport(result) in its report.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const HAS_TIME = fs.existsSync('/usr/bin/time');

/** Spawns the CLI (under GNU time when there), returns send → stdout latencies (ms) and its peak RSS (kB). */
function tailSamples(h, args) {
  return new Promise((resolve, reject) => {
    const cmd = HAS_TIME ? '/usr/bin/time' : h.NODE;
    const argv = HAS_TIME ? ['-f', 'bench-time %U %S %M', h.NODE, ...args] : args;
    const child = spawn(cmd, argv, { env: h.CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    const samples = [];
    const perNode = new Map();
    let rest = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const nowNs = (performance.timeOrigin + performance.now()) * 1e6;
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        const m = /"timestamp_ns":"(\d+)"/.exec(line);
        if (m && m[1] !== '0') samples.push((nowNs - Number(m[1])) / 1e6);
        const n = /"node":"([^"]+)"/.exec(line);
        if (n) perNode.set(n[1], (perNode.get(n[1]) ?? 0) + 1);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.on('close', (code) => {
      const t = /bench-time ([\d.]+) ([\d.]+) (\d+)/.exec(err);
      if (code !== 0) reject(new Error(`htlc-tail ${args.join(' ')} exited ${code}: ${err.trim().split('\n')[0]}`));
      else
        resolve({
          samples,
          rssKb: t ? Number(t[3]) : NaN,
          cpuS: t ? Number(t[1]) + Number(t[2]) : NaN,
          nodesSeen: perNode.size,
        });
    });
  });
}

const list = (v, def) =>
  v
    ? v
        .split(',')
        .map(Number)
        .filter((n) => Number.isInteger(n) && n > 0)
    : def;

export async function runNodesBench(h) {
  const counts = list(process.env.BENCH_NODES, h.SMOKE ? [1, 3] : [1, 5, 20]);
  const rate = Number(process.env.BENCH_NODES_RATE ?? 2000);
  const events = Number(process.env.BENCH_NODES_EVENTS ?? (h.SMOKE ? 600 : 10_000));
  const warmup = Math.min(Number(process.env.BENCH_NODES_WARMUP ?? (h.SMOKE ? 100 : 1000)), Math.floor(events / 2));
  const rows = [];
  for (const k of counts) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-bench-nodes-'));
    const file = path.join(dir, 'profiles.json');
    let sim;
    const x = { p50: [], p99: [], max: [], rssKb: [], cpuS: [], measured: 0 };
    try {
      sim = await h.startProcess(
        ['bench/nodes-sim.mjs', file, String(k), String(rate), String(events)],
        /ready/,
        `the ${k}-node sim`,
      );
      for (let r = 0; r < h.RUNS; r++) {
        const args = [
          'bin/htlc-tail.js',
          '--profiles-file',
          file,
          '-p',
          'all',
          '-f',
          'jsonl',
          '--no-stats',
          '--no-aliases',
          '--color',
          'never',
          '--count',
          String(events),
        ];
        const res = await tailSamples(h, args);
        if (res.nodesSeen !== (k > 1 ? k : 0)) throw new Error(`${k} nodes: events of ${res.nodesSeen} nodes arrived`);
        const measured = res.samples.slice(warmup).sort((a, b) => a - b);
        if (measured.length === 0) throw new Error(`${k} nodes: no events arrived`);
        x.p50.push(h.percentile(measured, 50));
        x.p99.push(h.percentile(measured, 99));
        x.max.push(measured[measured.length - 1]);
        x.rssKb.push(res.rssKb);
        x.cpuS.push(res.cpuS);
        x.measured = measured.length;
        h.log(
          `nodes run ${r + 1}/${h.RUNS}: ${k} node(s) at ${rate}/s combined: p50 ${x.p50.at(-1).toFixed(2)} ms, p99 ${x.p99.at(-1).toFixed(2)} ms, peak RSS ${(res.rssKb / 1024).toFixed(1)} MB, CPU ${res.cpuS.toFixed(2)} s`,
        );
      }
    } finally {
      await h.stopProcess(sim);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    rows.push({
      nodes: k,
      measured: x.measured,
      p50: h.median(x.p50),
      p99: h.median(x.p99),
      max: h.median(x.max),
      rssMb: h.median(x.rssKb) / 1024,
      cpuS: h.median(x.cpuS),
    });
  }
  const one = rows.find((r) => r.nodes === 1);
  for (const r of rows) {
    r.p99VsOne = one ? r.p99 / one.p99 : NaN;
    r.mbPerNode = one && r.nodes > 1 ? (r.rssMb - one.rssMb) / (r.nodes - 1) : NaN;
  }
  return { rate, events, warmup, rows };
}

export function nodesReport(res) {
  const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  const L = [];
  L.push(
    `### Several nodes: ${res.rate.toLocaleString('en-US')} events/s combined, ${res.events.toLocaleString('en-US')} events per run (first ${res.warmup} not measured)`,
  );
  L.push('');
  L.push('| nodes | p50 | p99 | max | p99 vs 1 node | CPU (whole run) | peak RSS | RSS per added node |');
  L.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of res.rows) {
    L.push(
      `| ${r.nodes} | ${f(r.p50)} ms | ${f(r.p99)} ms | ${f(r.max)} ms | ${f(r.p99VsOne)}× | ${f(r.cpuS)} s | ${f(r.rssMb, 1)} MB | ${r.nodes > 1 ? `${f(r.mbPerNode)} MB` : '(baseline)'} |`,
    );
  }
  L.push('');
  const top = res.rows.reduce((a, b) => (b.nodes > a.nodes ? b : a), res.rows[0]);
  const one = res.rows.find((r) => r.nodes === 1);
  const targets = [[`${top.nodes} nodes: p99 < 10 ms`, `${f(top.p99)} ms`, top.p99 < 10]];
  if (one && top !== one) {
    const ratio = top.rssMb / one.rssMb;
    targets.push([
      `peak RSS at ${top.nodes} nodes ≤ 1.5× at 1 node (${f(top.mbPerNode)} MB per added node)`,
      `${f(ratio)}×`,
      Number.isFinite(ratio) ? ratio <= 1.5 : undefined,
    ]);
  }
  return { lines: L, targets };
}
