/**
 * In-process micro benchmark of the history writer (no network): N flood
 * events (decoded, correlated) encoded as the recorder does, applied by the
 * writer's statements in transactions of 4096, on a fresh store. Variants
 * drop parts of the schema to show what each costs. A development aid.
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
const variants = (process.env.VARIANTS ?? 'full,nokey,noderive,nohtlcsout,bare').split(',');
for (const v of variants) {
  const file = path.join(dir, `${v}.db`);
  fs.rmSync(file, { force: true });
  const store = await openStore(file, 'write');
  store.db.pragma(`cache_size = -${process.env.CACHE ?? 4096}`);
  const db = store.db;
  if (v === 'nokey' || v === 'bare') db.exec('DROP INDEX events_key');
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
  if (obj)
    for (let i = 0; i < N; i += BATCH)
      st.apply(
        evs.slice(i, i + BATCH).map((ev) => ({ t: 'event', node, ev })),
        new Map(),
      );
  const ms = cpuMs() - t;
  const rows = db.prepare('SELECT count(*) FROM events').pluck().get();
  console.error(
    `${v.padEnd(12)} ${ms.toFixed(0).padStart(6)} ms  ${((ms * 1000) / N).toFixed(2)} µs/event  rows ${rows}  ${(fs.statSync(file).size / 1e6).toFixed(0)} MB`,
  );
  store.close();
}
