/**
 * `npm run bench` section `record` (BENCH_ONLY=record): `htlc-tail record`
 * on the simulated node's flood against `htlc-tail -f jsonl > /dev/null` on
 * the same flood, in the same run (issue 13's targets: ≥ 0.8× the jsonl
 * tail's events/s, peak RSS ≤ the jsonl tail's + 20 MB). The baseline is that
 * command as the issue writes it: the tail with its defaults, which resolves
 * channel aliases as record does (record learns them to store them, and has
 * no --no-aliases). A second row, the tail with --no-aliases (what the other
 * sections run: no alias in the lines), is shown beside it for comparison.
 *
 * record has no --count (it is a service), so its run is timed from the start
 * until the database holds N events (polled every 20 ms through a read-only
 * connection: WAL, so the poll never blocks the writer; by max(id), which a
 * new database's ids make the count: an index lookup, where count(*) scanned
 * the table's index at every poll and took CPU from the run it measured),
 * then it gets
 * SIGTERM; events/s = N / (that time − the same for 1 event), like the
 * throughput section. Peak RSS: GNU time's %M of each whole run (the process
 * and its children), the jsonl tail with --count N, record until N stored.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs record into `file` until it holds `n` events; resolves with the time that took and GNU time's peak RSS (kB). */
function recordUntil(ctx, dir, file, n) {
  return new Promise((resolve) => {
    const args = ['bin/htlc-tail.js', 'record', '--lnddir', dir, '--network', ctx.network, '--db', file, '--no-stats'];
    const timed = ctx.hasTime ? ['/usr/bin/time', ['-f', 'bench-time %U %S %M', ctx.node, ...args]] : [ctx.node, args];
    const t0 = performance.now();
    const child = spawn(timed[0], timed[1], { env: ctx.env, stdio: ['ignore', 'ignore', 'pipe'] });
    // GNU time passes no signal on: the stop goes to htlc-tail, time's child (which passes it to its relaunched child).
    const stop = (sig) => {
      let pid = child.pid;
      if (ctx.hasTime) {
        try {
          pid =
            Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]) ||
            child.pid;
        } catch {
          // time already gone
        }
      }
      try {
        process.kill(pid, sig);
      } catch {
        // gone
      }
    };
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    let reachedMs;
    let db;
    const poll = setInterval(() => {
      try {
        db ??= fs.existsSync(file) ? new Database(file, { readonly: true, fileMustExist: true }) : undefined;
        const c = db?.prepare('SELECT coalesce(max(id), 0) FROM events').pluck().get() ?? 0;
        if (c >= n && reachedMs === undefined) {
          reachedMs = performance.now() - t0;
          clearInterval(poll);
          stop('SIGTERM');
        }
      } catch {
        db?.close();
        db = undefined; // not created yet, or mid-migration: next poll
      }
    }, 20);
    const guard = setTimeout(() => stop('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(guard);
      db?.close();
      const m = /bench-time ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      resolve({
        ms: reachedMs,
        code,
        rssKb: m ? Number(m[3]) : NaN,
        cpu: m ? Number(m[1]) + Number(m[2]) : NaN,
        stderr,
      });
    });
  });
}

export async function historyWrite(ctx) {
  const { N, RUNS, dir, sh, median, log } = ctx;
  const tmp = fs.mkdtempSync(path.join(ctx.outDir, 'record-'));
  /** The issue's command: `htlc-tail -f jsonl` with its defaults (aliases on); --no-stats, --color never and --count as every run here. */
  const tail = (n) => ctx.tailCmd(dir, 'jsonl', n, { aliases: true });
  const bare = (n) => ctx.tailCmd(dir, 'jsonl', n);
  const acc = {
    tail: [],
    tailOne: [],
    tailRss: [],
    tailCpu: [],
    tailCpuOne: [],
    bare: [],
    bareOne: [],
    bareRss: [],
    bareCpu: [],
    bareCpuOne: [],
    rec: [],
    recOne: [],
    recRss: [],
    recCpu: [],
    recCpuOne: [],
    errors: [],
  };
  try {
    for (let r = 0; r < RUNS; r++) {
      for (const n of ctx.smoke ? [N] : [1, N]) {
        for (const [id, cmd] of [
          ['tail', tail],
          ['bare', bare],
        ]) {
          const res = await sh(`${ctx.hasTime ? "/usr/bin/time -f 'bench-time %U %S %M' " : ''}${cmd(n)} > /dev/null`);
          if (res.code !== 0) acc.errors.push(`${id} exit ${res.code}`);
          else {
            acc[n === 1 ? `${id}One` : id].push(res.ms);
            const m = /bench-time ([\d.]+) ([\d.]+) (\d+)/.exec(res.stderr);
            if (m) acc[n === 1 ? `${id}CpuOne` : `${id}Cpu`].push(Number(m[1]) + Number(m[2]));
            if (n === N && m) acc[`${id}Rss`].push(Number(m[3]));
          }
        }
        const file = path.join(tmp, `r${r}-${n}.sqlite`);
        const rec = await recordUntil(ctx, dir, file, n);
        if (rec.ms === undefined || rec.code !== 0)
          acc.errors.push(
            `record exit ${rec.code}: ${rec.stderr.split('\n').find((l) => /htlc-tail:.*(error|cannot|failed)/i.test(l)) ?? ''}`,
          );
        else {
          (n === 1 ? acc.recOne : acc.rec).push(rec.ms);
          if (Number.isFinite(rec.cpu)) (n === 1 ? acc.recCpuOne : acc.recCpu).push(rec.cpu);
          if (n === N) acc.recRss.push(rec.rssKb);
          if (n === N) {
            const db = new Database(file, { readonly: true });
            const ok = db.pragma('integrity_check', { simple: true });
            db.close();
            if (ok !== 'ok') acc.errors.push(`integrity_check: ${ok}`);
          }
        }
        for (const f of fs.readdirSync(tmp)) fs.rmSync(path.join(tmp, f), { force: true });
        await sleep(50);
      }
      const s = (x) => (x === undefined ? 'failed' : `${(x / 1000).toFixed(2)} s`);
      log(
        `record run ${r + 1}/${RUNS}: jsonl tail ${s(acc.tail.at(-1))} (1 event: ${s(acc.tailOne.at(-1))}), --no-aliases ${s(acc.bare.at(-1))} (1 event: ${s(acc.bareOne.at(-1))}), record ${s(acc.rec.at(-1))} (1 event: ${s(acc.recOne.at(-1))}) for ${N} events`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const rate = (xs, one) => {
    const base = ctx.smoke ? 0 : median(one);
    return median(xs.map((ms) => (ms - base > 0 ? (N / (ms - base)) * 1000 : NaN)));
  };
  const tailRate = rate(acc.tail, acc.tailOne);
  const bareRate = rate(acc.bare, acc.bareOne);
  const recRate = rate(acc.rec, acc.recOne);
  // Events per CPU-second of the whole process (start-up subtracted; record's includes deriving htlcs at exit).
  const cpuRate = (xs, one) => {
    const base = ctx.smoke ? 0 : median(one);
    return median(xs.map((s) => (s - base > 0 ? N / (s - base) : NaN)));
  };
  const tailCpuRate = cpuRate(acc.tailCpu, acc.tailCpuOne);
  const bareCpuRate = cpuRate(acc.bareCpu, acc.bareCpuOne);
  const recCpuRate = cpuRate(acc.recCpu, acc.recCpuOne);
  return {
    n: N,
    tailEventsPerSec: tailRate,
    recordEventsPerSec: recRate,
    ratio: recRate / tailRate,
    bareEventsPerSec: bareRate,
    bareRatio: recRate / bareRate,
    bareCpuEventsPerSec: bareCpuRate,
    bareCpuRatio: recCpuRate / bareCpuRate,
    bareRssMb: median(acc.bareRss) / 1024,
    tailCpuEventsPerSec: tailCpuRate,
    recordCpuEventsPerSec: recCpuRate,
    cpuRatio: recCpuRate / tailCpuRate,
    tailRssMb: median(acc.tailRss) / 1024,
    recordRssMb: median(acc.recRss) / 1024,
    errors: acc.errors,
  };
}

/** The section's markdown lines and its targets ([name, measured, met]). */
export function historyWriteReport(h, fmtInt, fmtX) {
  const mb = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} MB` : 'n/a (no GNU time)');
  const L = [];
  L.push(`### Recording: ${fmtInt(h.n)} events of the flood into a new history database`);
  L.push('');
  L.push('| client | events/s | × jsonl tail | events per CPU-s | CPU: × jsonl tail | peak RSS |');
  L.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  L.push(
    `| htlc-tail -f jsonl > /dev/null (baseline) | ${fmtInt(h.tailEventsPerSec)} | 1.00× | ${fmtInt(h.tailCpuEventsPerSec)} | 1.00× | ${mb(h.tailRssMb)} |`,
  );
  L.push(
    `| htlc-tail -f jsonl --no-aliases > /dev/null | ${fmtInt(h.bareEventsPerSec)} | ${fmtX(h.bareEventsPerSec / h.tailEventsPerSec)} | ${fmtInt(h.bareCpuEventsPerSec)} | ${fmtX(h.bareCpuEventsPerSec / h.tailCpuEventsPerSec)} | ${mb(h.bareRssMb)} |`,
  );
  L.push(
    `| htlc-tail record --db FILE${h.errors.length ? ` (${h.errors.length} failed run(s): ${h.errors[0]})` : ''} | ${fmtInt(h.recordEventsPerSec)} | ${fmtX(h.ratio)} | ${fmtInt(h.recordCpuEventsPerSec)} | ${fmtX(h.cpuRatio)} | ${mb(h.recordRssMb)} |`,
  );
  L.push('');
  L.push(
    'The baseline is the command as issue 13 gives it: the tail with its defaults, which resolves channel aliases as record does (record learns them to store them). record: time from start until the database holds N events (committed, polled every 20 ms), minus the same for 1 event. CPU: events per CPU-second of the whole process, start-up subtracted (record: deriving `htlcs` and the last checkpoint at exit included).',
  );
  L.push('');
  const extra = h.recordRssMb - h.tailRssMb;
  L.push(
    `Against the tail with --no-aliases (no alias resolved or printed): record ${fmtX(h.bareRatio)} of its events/s (CPU ${fmtX(h.bareCpuRatio)}), peak RSS ${(h.recordRssMb - h.bareRssMb).toFixed(1)} MB above it.`,
  );
  L.push('');
  const targets = [
    ['record ≥ 0.8× jsonl tail (events/s)', fmtX(h.ratio), Number.isFinite(h.ratio) ? h.ratio >= 0.8 : undefined],
    [
      'record peak RSS ≤ jsonl tail + 20 MB',
      `${extra >= 0 ? '+' : ''}${extra.toFixed(1)} MB`,
      Number.isFinite(extra) ? extra <= 20 : undefined,
    ],
  ];
  return { lines: L, targets };
}
