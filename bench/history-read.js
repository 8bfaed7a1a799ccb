/**
 * The history read side in `npm run bench` (section `history`, BENCH_ONLY=history):
 *
 *   report   `htlc-tail report --by channel` over a store of BENCH_REPORT_EVENTS (1,000,000)
 *            events, against jq over the same events as jsonl (a streaming reduce per
 *            outgoing channel: counts by kind, settled amounts and fees, refused fees,
 *            insufficient-balance failures) and against sqlite3 running the equivalent
 *            GROUP BYs on the same database (the documented htlcs table: per outgoing
 *            channel by outcome, per incoming channel). Targets: ≥ 5× jq, ≤ 2× sqlite3.
 *   since    time to the first line of `--since 1h` on a store of BENCH_SINCE_EVENTS
 *            (10,000,000) events against the same on a store with the node and no
 *            events (there: time to the end, nothing to print), for `replay --db` and
 *            for the live tail against the simulated node (seed 1, the stores' node; it
 *            sends one event after subscribing, the empty store's first line). "1h" is
 *            the hour before the store's newest event, given as an RFC 3339 time, so a
 *            cached store stays comparable. Target: ≤ 1.5×.
 *
 * Stores are built once (bench/build-store.mjs) and cached in BENCH_HISTORY_CACHE
 * (default: $TMPDIR/htlc-tail-bench-history), keyed by their event count; the 10M
 * store takes a few minutes and about 2.3 GB the first time.
 *
 * run.js calls `historyRead(ctx)` with its helpers and prints `markdown(result)`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const JQ_REPORT = `reduce (inputs | select(.event_type == "FORWARD" and .outgoing_channel_id != "0")) as $e ({};
  .[$e.outgoing_channel_id] |= ((. // {out: 0, settled: 0, here: 0, down: 0, amt: 0, earned: 0, missed: 0, noliq: 0, noliq_amt: 0})
    | if $e.event == "forward" then .out += 1
      elif $e.event == "settle" then .settled += 1 | .amt += ($e.outgoing_amt_msat // 0) | .earned += ($e.fee_msat // 0)
      elif $e.event == "forward_fail" then .down += 1
      elif $e.event == "link_fail" then .out += 1 | .here += 1 | .missed += ($e.fee_msat // 0)
        | if $e.failure_detail == "INSUFFICIENT_BALANCE" then .noliq += 1 | .noliq_amt += ($e.outgoing_amt_msat // 0) else . end
      else . end))
  | to_entries[] | [.key, .value.out, .value.settled, .value.here, .value.down, .value.amt, .value.earned, .value.missed, .value.noliq, .value.noliq_amt] | @csv`;

const SQLITE_REPORT = `
SELECT outgoing_channel_id, count(*), sum(outcome = 'settled'), sum(outcome = 'failed_here'), sum(outcome = 'failed_downstream'),
  sum(CASE WHEN outcome = 'settled' THEN outgoing_amt_msat END), sum(CASE WHEN outcome = 'settled' THEN fee_msat END),
  sum(CASE WHEN outcome = 'failed_here' THEN fee_msat END), sum(outcome = 'failed_here' AND failure_detail = 6),
  sum(CASE WHEN outcome = 'failed_here' AND failure_detail = 6 THEN outgoing_amt_msat END)
FROM htlcs WHERE event_type = 3 AND outgoing_channel_id != 0 GROUP BY outgoing_channel_id;
SELECT incoming_channel_id, count(*), sum(outcome = 'settled') FROM htlcs WHERE event_type = 3 GROUP BY incoming_channel_id;
`;

/** A cached store of `events` events (build-store.mjs), rebuilt when missing or of another size. */
async function cachedStore(ctx, dir, name, events) {
  const file = path.join(dir, `${name}.sqlite`);
  const mark = `${file}.events`;
  if (fs.existsSync(file) && fs.existsSync(mark) && fs.readFileSync(mark, 'utf8') === String(events)) return file;
  ctx.log(`building ${file} (${events === 0 ? 'no events' : `${events} events`}; cached for later runs)`);
  const args = events === 0 ? ['--empty', file] : ['--events', String(events), '--out', file];
  const res = await ctx.sh(`${ctx.q(ctx.node)} bench/build-store.mjs ${args.map(ctx.q).join(' ')}`, {
    timeoutMs: 3_600_000,
  });
  if (res.code !== 0) throw new Error(`build-store failed: ${res.stderr.trim().split('\n').at(-1)}`);
  // Opened once for reading here, so a migration (an older cached store) is not timed later. And no
  // recorder "wrote just now" (the tail would wait a second for its next commit): last seen an hour ago.
  await ctx.sh(`${ctx.q(ctx.node)} bin/htlc-tail.js replay --db ${ctx.q(file)} --count 1 -f jsonl > /dev/null`);
  sqliteValue(ctx, file, `UPDATE nodes SET last_seen_ms = min(last_seen_ms, ${Date.now() - 3_600_000});`);
  fs.writeFileSync(mark, String(events));
  return file;
}

/** Milliseconds from spawn to the first byte on stdout (or to the exit, when nothing is printed). */
function firstLine(node, args, env) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let first;
    let stderr = '';
    child.stdout.once('data', () => {
      first = performance.now() - t0;
      child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      resolve({ ms: first ?? performance.now() - t0, printed: first !== undefined, code, stderr }),
    );
  });
}

function newestIso(ctx, file) {
  const res = sqliteValue(ctx, file, 'SELECT max(timestamp_ns) FROM events;');
  const ns = BigInt(res.trim() || '0');
  return ns > 0n
    ? new Date(Number(ns / 1_000_000n) - 3_600_000).toISOString()
    : new Date(Date.now() - 3_600_000).toISOString();
}

function sqliteValue(ctx, file, sql) {
  return ctx.spawnSync('sqlite3', [file, sql], { encoding: 'utf8' }).stdout ?? '';
}

async function startSim(ctx, lnddir) {
  const scenario = path.join(lnddir, '..', 'scenario.json');
  fs.writeFileSync(
    scenario,
    JSON.stringify({
      steps: [
        { sleep: 200 },
        {
          send: {
            incoming_channel_id: '1',
            incoming_htlc_id: '1',
            outgoing_channel_id: '2',
            outgoing_htlc_id: '1',
            event_type: 'FORWARD',
            forward_event: { info: null },
          },
        },
      ],
    }),
  );
  return ctx.startProcess(
    ['packages/lnd-sim/bin/htlc-tail-sim.js', '--lnddir', lnddir, '--seed', '1', '--scenario', scenario],
    /connect: htlc-tail/,
    'htlc-tail-sim',
  );
}

export async function historyRead(ctx) {
  const { smoke, runs, node, log, sh, q, timed, parseTime, median } = ctx;
  const num = (name, def) => (process.env[name] ? Number(process.env[name]) : def);
  const reportEvents = num('BENCH_REPORT_EVENTS', smoke ? 20_000 : 1_000_000);
  const sinceEvents = num('BENCH_SINCE_EVENTS', smoke ? 50_000 : 10_000_000);
  const dir = path.resolve(process.env.BENCH_HISTORY_CACHE ?? path.join(os.tmpdir(), 'htlc-tail-bench-history'));
  fs.mkdirSync(dir, { recursive: true });
  const out = { reportEvents, sinceEvents, notes: [] };
  const has = (cmd) => ctx.spawnSync('bash', ['-c', `command -v ${cmd}`]).status === 0;

  // --- report
  const store = await cachedStore(ctx, dir, `report-${reportEvents}`, reportEvents);
  const jsonl = `${store}.jsonl`;
  if (!fs.existsSync(jsonl)) await sh(`${q(node)} bin/htlc-tail.js replay --db ${q(store)} -f jsonl > ${q(jsonl)}`);
  const sqlFile = path.join(dir, 'report.sql');
  fs.writeFileSync(sqlFile, SQLITE_REPORT);
  const jqFile = path.join(dir, 'report.jq');
  fs.writeFileSync(jqFile, JQ_REPORT);
  const cmds = {
    htlc: `${q(node)} bin/htlc-tail.js report --db ${q(store)} --by channel -f jsonl`,
    ...(has('jq') ? { jq: `jq -n -r -f ${q(jqFile)} ${q(jsonl)}` } : {}),
    ...(has('sqlite3') ? { sqlite3: `sqlite3 ${q(store)} < ${q(sqlFile)}` } : {}),
  };
  if (!cmds.jq) out.notes.push('jq is not installed: no jq baseline for the report');
  if (!cmds.sqlite3) out.notes.push('sqlite3 is not installed: no sqlite3 baseline for the report');
  const t = Object.fromEntries(Object.keys(cmds).map((k) => [k, { ms: [], cpu: [] }]));
  for (let r = 0; r < runs; r++) {
    for (const [k, cmd] of Object.entries(cmds)) {
      const res = await sh(`${timed(cmd)} > /dev/null`);
      if (res.code !== 0) {
        out.notes.push(`${k} run ${r + 1} failed: exit ${res.code}: ${res.stderr.trim().split('\n')[0]}`);
        continue;
      }
      t[k].ms.push(res.ms);
      t[k].cpu.push(parseTime(res.stderr).cpu);
      log(`history report run ${r + 1}/${runs}: ${k} ${(res.ms / 1000).toFixed(2)} s`);
    }
  }
  out.report = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { ms: median(v.ms), cpuS: median(v.cpu) }]));

  // --- since: time to first line
  const big = await cachedStore(ctx, dir, `since-${sinceEvents}`, sinceEvents);
  const empty = await cachedStore(ctx, dir, 'empty', 0);
  const since = newestIso(ctx, big);
  const env = ctx.childEnv;
  const ttfl = { replayBig: [], replayEmpty: [], tailBig: [], tailEmpty: [] };
  for (let r = 0; r < runs; r++) {
    for (const [k, file] of [
      ['replayBig', big],
      ['replayEmpty', empty],
    ]) {
      const res = await firstLine(
        node,
        ['bin/htlc-tail.js', 'replay', '--db', file, '--since', since, '-f', 'jsonl'],
        env,
      );
      if (res.code !== 0 && res.code !== null && !res.printed)
        out.notes.push(`${k}: exit ${res.code}: ${res.stderr.trim().split('\n')[0]}`);
      else ttfl[k].push(res.ms);
    }
  }
  const simDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-bench-since-'));
  let sim;
  try {
    sim = await startSim(ctx, path.join(simDir, 'lnd'));
    for (let r = 0; r < runs; r++) {
      for (const [k, file] of [
        ['tailBig', big],
        ['tailEmpty', empty],
      ]) {
        const args = [
          'bin/htlc-tail.js',
          '--lnddir',
          path.join(simDir, 'lnd'),
          '--network',
          'regtest',
          '--db',
          file,
          '--since',
          since,
          '-f',
          'jsonl',
          '--no-aliases',
          '--no-stats',
        ];
        const res = await firstLine(node, args, env);
        if (!res.printed) out.notes.push(`${k}: no line (exit ${res.code}: ${res.stderr.trim().split('\n')[0]})`);
        else ttfl[k].push(res.ms);
      }
    }
  } finally {
    await ctx.stopProcess(sim);
    fs.rmSync(simDir, { recursive: true, force: true });
  }
  out.since = { at: since, ...Object.fromEntries(Object.entries(ttfl).map(([k, v]) => [k, median(v)])) };
  return out;
}

const x = (a, b) => a / b;

/** The targets, as [name, measured text, met] rows. */
export function historyTargets(h, fmtX) {
  const T = [];
  const r = h.report;
  if (r.jq)
    T.push([
      `report --by channel (${h.reportEvents} events) ≥ 5× jq`,
      `${fmtX(x(r.jq.ms, r.htlc.ms))} (CPU: ${fmtX(x(r.jq.cpuS, r.htlc.cpuS))})`,
      x(r.jq.ms, r.htlc.ms) >= 5,
    ]);
  if (r.sqlite3)
    T.push([
      `report --by channel within 2× of sqlite3 GROUP BY`,
      `${fmtX(x(r.htlc.ms, r.sqlite3.ms))} of it (CPU: ${fmtX(x(r.htlc.cpuS, r.sqlite3.cpuS))})`,
      x(r.htlc.ms, r.sqlite3.ms) <= 2,
    ]);
  const s = h.since;
  T.push([
    `replay --db --since 1h, first line: ${h.sinceEvents} events ≤ 1.5× empty`,
    fmtX(x(s.replayBig, s.replayEmpty)),
    x(s.replayBig, s.replayEmpty) <= 1.5,
  ]);
  T.push([
    `tail --since 1h, first line: ${h.sinceEvents} events ≤ 1.5× empty`,
    fmtX(x(s.tailBig, s.tailEmpty)),
    x(s.tailBig, s.tailEmpty) <= 1.5,
  ]);
  return T;
}

export function historyMarkdown(h, fmtMs) {
  const L = [];
  const r = h.report;
  const s = (v) => (v ? `${fmtMs(v.ms, 0)} (CPU ${Number.isFinite(v.cpuS) ? v.cpuS.toFixed(2) : 'n/a'} s)` : 'n/a');
  L.push(`### History: report over ${h.reportEvents} stored events; --since on ${h.sinceEvents}`);
  L.push('');
  L.push('| case | time |');
  L.push('| --- | ---: |');
  L.push(`| \`htlc-tail report --by channel -f jsonl\` | ${s(r.htlc)} |`);
  L.push(`| jq streaming reduce over the same events as jsonl | ${s(r.jq)} |`);
  L.push(`| sqlite3: the equivalent GROUP BYs on the same database | ${s(r.sqlite3)} |`);
  L.push(
    `| \`replay --db --since\` (the last hour), first line: ${h.sinceEvents} events / empty store | ${fmtMs(h.since.replayBig, 0)} / ${fmtMs(h.since.replayEmpty, 0)} |`,
  );
  L.push(
    `| \`htlc-tail --since\` against the simulated node, first line: ${h.sinceEvents} events / empty store | ${fmtMs(h.since.tailBig, 0)} / ${fmtMs(h.since.tailEmpty, 0)} |`,
  );
  L.push('');
  for (const n of h.notes) L.push(`Note: ${n}`);
  return L;
}
