/**
 * Builds large history stores quickly, for the history benchmarks (`--since
 * 1h` time to first line on ten million events against an empty store, the
 * report on one million against jq and sqlite3), and probes them.
 *
 *   node bench/build-store.mjs [--events N] [--out FILE] [--seed N]
 *       One simulated week (100,000 events, through the real correlation and
 *       writer), then copies of it shifted back in time week by week, oldest
 *       first (so receive order follows time, as in a real store), with htlc
 *       ids offset per copy, until N events (default 10,000,000); `htlcs` is
 *       derived by the same statement the writer uses. About a minute for 10M.
 *   node bench/build-store.mjs --empty FILE
 *       A store with the node and its channels, and no events.
 *   node bench/build-store.mjs --probe FILE [--since 1h]
 *       Time from opening the store to the first item of readHistory(--since),
 *       and the items in range: the library half of `htlc-tail --since 1h`
 *       ("now" is the store's newest event, so a store built earlier compares).
 *   node bench/build-store.mjs --write-rate N [--out FILE]
 *       The writer alone: N simulated events (correlated beforehand) written to a new
 *       store in chunks of 1,000 as a stream would deliver them; events/s and CPU.
 *
 * Needs `npm run build` first (imports dist/).
 */
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => import(path.join(ROOT, 'dist', p));

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    out: { type: 'string', default: path.join(ROOT, 'bench/out/history-10m.sqlite') },
    seed: { type: 'string', default: '1' },
    empty: { type: 'string' },
    probe: { type: 'string' },
    since: { type: 'string', default: '1h' },
    'write-rate': { type: 'string' },
  },
});

const WEEK_EVENTS = 100_000;
const WEEK_NS = 7n * 86_400n * 1_000_000_000n;
const END_MS = Date.now();

async function weekStore(file) {
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  const { openStore } = await dist('history/open.js');
  const { fillStoreWithWeek } = await dist('history/fill-week.js');
  const store = await openStore(file, 'write');
  await fillStoreWithWeek(store, { events: WEEK_EVENTS, seed: Number(args.seed), endMs: END_MS });
  return store;
}

async function build(file, total) {
  const t0 = performance.now();
  const base = `${file}.week`;
  (await weekStore(base)).close();
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  const { openStore } = await dist('history/open.js');
  const { Deriver } = await dist('history/derive.js');
  const store = await openStore(file, 'write');
  const db = store.db;
  db.pragma('synchronous = OFF');
  db.prepare('ATTACH DATABASE ? AS base').run(base);
  db.exec('INSERT INTO nodes SELECT * FROM base.nodes; INSERT INTO channels SELECT * FROM base.channels;');
  const weekCount = db.prepare('SELECT count(*) FROM base.events').pluck().get();
  const copies = Math.max(1, Math.ceil(total / weekCount));
  const cols =
    'node, timestamp_ns, kind, event_type, incoming_channel_id, incoming_htlc_id, outgoing_channel_id, outgoing_htlc_id, incoming_amt_msat, outgoing_amt_msat, incoming_timelock, outgoing_timelock, wire_failure, failure_detail, failure_string, preimage, settled, offchain, first_event_type, duration_ns, replayed';
  const shifted = cols
    .replace('timestamp_ns', 'timestamp_ns - :shift')
    .replace('incoming_htlc_id', 'CASE incoming_htlc_id WHEN 0 THEN 0 ELSE incoming_htlc_id + :off END')
    .replace(' outgoing_htlc_id', ' CASE outgoing_htlc_id WHEN 0 THEN 0 ELSE outgoing_htlc_id + :off END');
  const copy = db.prepare(`INSERT INTO events (${cols}) SELECT ${shifted} FROM base.events ORDER BY id`);
  const copyGaps = db.prepare(
    'INSERT INTO gaps (node, from_ms, to_ms, reason, after_event_id) SELECT node, from_ms - :shiftMs, to_ms - :shiftMs, reason, after_event_id + :idOff FROM base.gaps ORDER BY id',
  );
  const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck();
  const deriver = new Deriver(db);
  for (let k = copies - 1; k >= 0; k--) {
    const shift = BigInt(k) * WEEK_NS;
    db.transaction(() => {
      const after = maxId.get();
      copy.run({ shift, off: BigInt(k) * 1_000_000_000n });
      copyGaps.run({ shiftMs: Number(shift / 1_000_000n), idOff: after });
      deriver.step(Number.MAX_SAFE_INTEGER);
    })();
    if (k % 10 === 0)
      process.stderr.write(
        `  ${copies - k}/${copies} weeks, ${maxId.get()} events, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
      );
  }
  db.exec('DETACH DATABASE base');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const n = db.prepare('SELECT count(*) FROM events').pluck().get();
  store.close();
  for (const s of ['', '-wal', '-shm']) rmSync(base + s, { force: true });
  process.stderr.write(
    `built ${file}: ${n} events, ${(statSync(file).size / 1e9).toFixed(2)} GB, in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}

async function empty(file) {
  const week = `${file}.week`;
  (await weekStore(week)).close();
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  const { openStore } = await dist('history/open.js');
  const store = await openStore(file, 'write');
  store.db.prepare('ATTACH DATABASE ? AS base').run(week);
  store.db.exec(
    'INSERT INTO nodes SELECT * FROM base.nodes; INSERT INTO channels SELECT * FROM base.channels; DETACH DATABASE base',
  );
  store.close();
  for (const s of ['', '-wal', '-shm']) rmSync(week + s, { force: true });
  process.stderr.write(`built ${file}: a node, no events\n`);
}

async function probe(file) {
  const t0 = performance.now();
  const { openStore } = await dist('history/open.js');
  const { readHistory } = await dist('history/read.js');
  const { listNodes } = await dist('history/nodes.js');
  const { parseTimeArg } = await dist('config/time-arg.js');
  const store = await openStore(file, 'read');
  const nodes = listNodes(store.db).map((n) => n.id);
  // "Now" is the store's newest event (a store built earlier stays comparable); an empty store: now.
  const newest = store.db.prepare('SELECT max(timestamp_ns) FROM events WHERE node = ?').safeIntegers().pluck();
  const latestNs = nodes
    .map((n) => newest.get(n))
    .filter((v) => v != null)
    .reduce((a, b) => (a > b ? a : b), 0n);
  const sinceNs = parseTimeArg(args.since, '--since', latestNs > 0n ? Number(latestNs / 1_000_000n) : END_MS);
  let first;
  let n = 0;
  for (const _ of readHistory(store.db, { nodes, sinceNs })) {
    first ??= performance.now() - t0;
    n++;
  }
  const all = performance.now() - t0;
  store.close();
  console.log(
    JSON.stringify({
      file: path.basename(file),
      since: args.since,
      firstItemMs: first === undefined ? null : +first.toFixed(2),
      items: n,
      allMs: +all.toFixed(2),
    }),
  );
}

async function writeRate(n, file) {
  const { openStore } = await dist('history/open.js');
  const { StoreWriter } = await dist('history/writer.js');
  const { Correlator } = await dist('events/correlate.js');
  const { TrafficGenerator, buildNode } = await import('@htlc-tail/lnd-sim');
  const { toModel } = await dist('history/fill-week.js');
  const node = buildNode(1, 'mainnet');
  const traffic = new TrafficGenerator({ seed: 1, node, startNs: BigInt(END_MS) * 1_000_000n, rate: 1000 });
  const c = new Correlator();
  const events = Array.from({ length: n }, () => c.apply(toModel(traffic.next().event)));
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  const store = await openStore(file, 'write');
  const writer = new StoreWriter(store);
  const sink = writer.node({ identity: node.pubkey });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i += 1000) {
    for (let j = i; j < Math.min(n, i + 1000); j++) if (!sink.write(events[j])) await writer.ready();
    await new Promise((r) => setImmediate(r));
  }
  await writer.close();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  store.close();
  console.log(
    JSON.stringify({
      events: n,
      eventsPerSec: Math.round(n / (ms / 1000)),
      wallMs: Math.round(ms),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    }),
  );
}

if (args['write-rate'])
  await writeRate(
    Number(args['write-rate']),
    args.out.endsWith('history-10m.sqlite') ? path.join(ROOT, 'bench/out/write-rate.sqlite') : args.out,
  );
else if (args.probe) await probe(args.probe);
else if (args.empty) await empty(args.empty);
else await build(args.out, Number(args.events));
