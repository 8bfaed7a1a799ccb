/**
 * In-process micro benchmark of the history writer (no network): N flood
 * events (decoded, correlated) applied by the writer's statements
 * (apply.ts) in transactions of BATCH (4096), on a fresh store, CPU and wall
 * time per event. VARIANTS (full,notime,noderive,nohtlcsout,bare) drop parts
 * of the schema to show what each costs; PIPELINE=1 adds decode → correlate
 * → StoreWriter against decode → correlate → jsonl → file (what `record`
 * adds over the jsonl tail, without the network). DIST=../dist-a measures
 * another build (A/B). CACHE (kB), CKPT (wal_autocheckpoint), MAXBATCH.
 * A development aid, not part of `npm run bench`.
 *
 * usage: npm run build && node bench/micro-store.mjs [N] [dir]
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildNode, FloodMix } from '@htlc-tail/lnd-sim';

/** The build to measure (DIST=../dist-a for an A/B against another build). */
const DIST = process.env.DIST ?? '../dist';
const { decodeHtlcEventWire } = await import(`${DIST}/codec/wire/decode-htlc-event.js`);
const { Correlator } = await import(`${DIST}/events/correlate.js`);
const { prepareBatch } = await import(`${DIST}/history/apply.js`);
const { openStore } = await import(`${DIST}/history/open.js`);
const { registerNode } = await import(`${DIST}/history/nodes.js`);

const N = Number(process.argv[2] ?? 200_000);
const dir = process.argv[3] ?? fs.mkdtempSync('/tmp/micro-store-');
const mix = new FloodMix(buildNode(1), 1);
const corr = new Correlator();
const evs = [];
for (let i = 0; i < N; i++) {
  const e = decodeHtlcEventWire(mix.item(i).bytes);
  corr.apply(e);
  evs.push(e);
}
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const BATCH = Number(process.env.BATCH ?? 4096);
const variants = (process.env.VARIANTS ?? 'full,notime,noderive,nohtlcsout,bare').split(',').filter(Boolean);
for (const v of variants) {
  const file = path.join(dir, `${v}.db`);
  fs.rmSync(file, { force: true });
  const store = await openStore(file, 'write');
  store.db.pragma(`cache_size = -${process.env.CACHE ?? 2048}`);
  if (process.env.CKPT) store.db.pragma(`wal_autocheckpoint = ${process.env.CKPT}`);
  const db = store.db;
  if (v === 'notime' || v === 'bare') db.exec('DROP INDEX events_node_time');
  if (v === 'nohtlcsout' || v === 'bare') db.exec('DROP INDEX htlcs_out');
  if (v === 'noderive' || v === 'bare')
    db.exec(
      'DROP TABLE htlcs; CREATE TABLE htlcs (node, event_type, channel_id, htlc_id, incoming_channel_id, outgoing_channel_id, outgoing_htlc_id, incoming_amt_msat, outgoing_amt_msat, first_ns, forward_ns, settle_ns, forward_fail_ns, link_fail_ns, wire_failure, failure_detail)',
    );
  const node = registerNode(db, { identity: 'bench' }, Date.now());
  const obj = true;
  const st = prepareBatch(db);
  if (v === 'noderive' || v === 'bare') db.exec('DELETE FROM htlcs');
  const t = cpuMs();
  const w0 = performance.now();
  if (obj)
    for (let i = 0; i < N; i += BATCH)
      st.apply(
        evs.slice(i, i + BATCH).map((ev) => ({ t: 'event', node, ev })),
        new Map(),
      );
  const ms = cpuMs() - t;
  const wall = performance.now() - w0;
  const rows = db.prepare('SELECT count(*) FROM events').pluck().get();
  console.error(
    `${v.padEnd(12)} ${ms.toFixed(0).padStart(6)} ms  ${((ms * 1000) / N).toFixed(2)} µs/event (wall ${((wall * 1000) / N).toFixed(2)})  rows ${rows}  ${(fs.statSync(file).size / 1e6).toFixed(0)} MB`,
  );
  store.close();
}

// The recorder's whole path in process: decode → correlate → StoreWriter (its batching and
// commits), pumped like a stream (a chunk, then the event loop), against decode → correlate →
// jsonl → a file: what `record` adds over the jsonl tail, without the network.
if (process.env.PIPELINE === '1') {
  const { StoreWriter } = await import(`${DIST}/history/writer.js`);
  const { getFormatter, PLAIN_COLORIZER } = await import(`${DIST}/format/index.js`);
  const bytes = [];
  for (let i = 0; i < N; i++) bytes.push(mix.item(i).bytes);
  const pump = (sink) =>
    new Promise((resolve) => {
      const c = new Correlator();
      let i = 0;
      const step = () => {
        for (let k = 0; k < 256 && i < N; k++, i++) sink(c.apply(decodeHtlcEventWire(bytes[i])));
        if (i < N) setImmediate(step);
        else resolve();
      };
      step();
    });
  const { PerformanceObserver } = await import('node:perf_hooks');
  let gcMs = 0;
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) gcMs += e.duration;
  }).observe({ entryTypes: ['gc'] });
  const gcNow = () => new Promise((r) => setTimeout(() => r(gcMs), 0));
  for (let round = 0; round < 2; round++) {
    const file = path.join(dir, `pipe-${round}.db`);
    fs.rmSync(file, { force: true });
    const store = await openStore(file, 'write');
    store.db.pragma('cache_size = -2048');
    const w = new StoreWriter(store, { maxBatch: Number(process.env.MAXBATCH ?? 4096), highWaterMark: 16384 });
    const sink = w.node({ identity: 'bench' });
    let g = await gcNow();
    let t = cpuMs();
    await pump((e) => sink.write(e));
    w.flush();
    const recMs = cpuMs() - t;
    const recGc = (await gcNow()) - g;
    store.close();
    const fmt = getFormatter('jsonl').format;
    const fd = fs.openSync(path.join(dir, 'out.jsonl'), 'w');
    let buf = '';
    g = await gcNow();
    t = cpuMs();
    await pump((e) => {
      buf += fmt(e, { colorizer: PLAIN_COLORIZER, utc: true }) + '\n';
      if (buf.length > 65536) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    });
    fs.writeSync(fd, buf);
    const tailMs = cpuMs() - t;
    const tailGc = (await gcNow()) - g;
    fs.closeSync(fd);
    const us = (ms) => ((ms * 1000) / N).toFixed(2);
    console.error(
      `pipeline: record ${us(recMs)} µs/event (GC ${us(recGc)}), jsonl ${us(tailMs)} µs/event (GC ${us(tailGc)})`,
    );
  }
}
