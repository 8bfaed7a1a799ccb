/**
 * The writer and the readers on a real file: lossless round trip (raw and
 * jsonl of a stored event are byte for byte those of the event as received,
 * correlation and aliases included), receive order with gaps in place, the
 * unique key (an event seen twice is stored once), time ranges, the last N,
 * backpressure, retention, and the query plans (indexes, no sort of the
 * table before the first row).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { Correlator } from '../../src/events/correlate.js';
import type { HtlcEvent, OutputItem } from '../../src/events/model.js';
import { formatJsonl } from '../../src/format/jsonl.js';
import { formatRaw } from '../../src/format/raw.js';
import { openStore } from '../../src/history/open.js';
import { readHistory, readLastEvents } from '../../src/history/read.js';
import { CHECKPOINT_EVERY_MS, StoreWriter, WAL_CAP_PAGES } from '../../src/history/writer.js';
import { at, ev, IN, info, OUT, queryPlans, T, tempDir, variety, writeStore } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());
const p = (name: string) => path.join(dir, name);

function correlated(items: readonly OutputItem[]): OutputItem[] {
  const c = new Correlator();
  return items.map((i) => (i.event === 'gap' ? i : c.apply({ ...i })));
}

const ALIASES = new Map([
  [IN, 'ACINQ'],
  [OUT, '⚡ Zürich | "x"'],
]);
function withAliases(item: OutputItem): OutputItem {
  if (item.event === 'gap') return item;
  const e: HtlcEvent = { ...item };
  if (ALIASES.has(e.incomingChannelId)) e.incomingAlias = ALIASES.get(e.incomingChannelId);
  if (ALIASES.has(e.outgoingChannelId)) e.outgoingAlias = ALIASES.get(e.outgoingChannelId);
  return e;
}

describe('round trip', () => {
  test('raw and jsonl of every stored item equal those of the item as received, gaps in their place', async () => {
    const items = variety();
    const { store, nodeId } = await writeStore(p('rt.sqlite'), items, {
      channels: [...ALIASES].map(([channelId, alias]) => ({ channelId, alias, peerPubkey: '02' + '33'.repeat(32) })),
    });
    try {
      const live = correlated(items).map(withAliases);
      const back = [...readHistory(store.db, { nodes: [nodeId] })].map((x) => x.item);
      expect(back.map((i) => formatRaw(i))).toEqual(live.map((i) => formatRaw(i)));
      expect(back.map((i) => formatJsonl(i))).toEqual(live.map((i) => formatJsonl(i)));
      expect(formatJsonl(back[14]!)).toContain('"replayed":true');
      expect(formatJsonl(back[1]!)).toContain('"duration_ms":9.412353');
    } finally {
      store.close();
    }
  });

  test('an event written twice (a repeated message, a second recorder) is stored once', async () => {
    const items = variety().filter((i) => i.event !== 'gap');
    const file = p('dup.sqlite');
    const store = await openStore(file, 'write');
    const w1 = new StoreWriter(store);
    const w2 = new StoreWriter(store);
    const a = w1.node({ identity: '02aa' });
    const b = w2.node({ identity: '02aa' });
    expect(b.nodeId).toBe(a.nodeId);
    const ca = new Correlator();
    const cb = new Correlator();
    for (const i of items) {
      a.write(ca.apply({ ...i }));
      a.write({ ...i }); // the same message again
      b.write(cb.apply({ ...i }));
    }
    await w1.close();
    await w2.close();
    expect(store.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(items.length);
    const forwards = store.db.prepare('SELECT count(*) FROM htlcs WHERE event_type = 3').pluck().get();
    expect(forwards).toBe(5); // IN#5, WIDE#WIDE, OUT#9, OUT#10, OUT#11
    store.close();
  });
});

const mk = (i: number, tsMs: number) =>
  ev.forward(at(T, tsMs), { inChan: IN, inId: String(i), outChan: OUT, outId: String(i) }, info('2000', '1000'));

describe('reading', () => {
  test('receive order, not timestamp order; --since/--until by lnd timestamp; gaps in range', async () => {
    // Received in this order, timestamps not monotonic (lnd's goroutines).
    const items: OutputItem[] = [
      mk(1, 0),
      mk(2, 2000),
      mk(3, 1000),
      { event: 'gap', fromMs: Date.parse(T) + 2500, toMs: Date.parse(T) + 2900, reason: 'lost' },
      mk(4, 3000),
      mk(5, 4000),
    ];
    const { store, nodeId } = await writeStore(p('order.sqlite'), items);
    try {
      const ids = (xs: Iterable<{ item: OutputItem }>) =>
        [...xs].map(({ item }) => (item.event === 'gap' ? 'gap' : item.incomingHtlcId));
      expect(ids(readHistory(store.db, { nodes: [nodeId] }))).toEqual(['1', '2', '3', 'gap', '4', '5']);
      const ns = (ms: number) => BigInt(Date.parse(T) + ms) * 1_000_000n;
      expect(ids(readHistory(store.db, { nodes: [nodeId], sinceNs: ns(1000) }))).toEqual(['2', '3', 'gap', '4', '5']);
      expect(ids(readHistory(store.db, { nodes: [nodeId], sinceNs: ns(1500), untilNs: ns(3500) }))).toEqual([
        '2',
        'gap',
        '4',
      ]);
      expect(ids(readHistory(store.db, { nodes: [nodeId], sinceNs: ns(2600), untilNs: ns(2800) }))).toEqual(['gap']);
      expect(ids(readHistory(store.db, { nodes: [nodeId], sinceNs: ns(9000) }))).toEqual([]);
      expect(ids(readLastEvents(store.db, [nodeId], 2))).toEqual(['4', '5']);
      expect(ids(readLastEvents(store.db, [nodeId], 3))).toEqual(['3', 'gap', '4', '5']);
      expect(ids(readLastEvents(store.db, [nodeId], 100))).toEqual(['1', '2', '3', 'gap', '4', '5']);
      expect(ids(readHistory(store.db, { nodes: [nodeId + 1] }))).toEqual([]);
    } finally {
      store.close();
    }
  });

  test('the queries use indexes: no scan of the events table, no sort before the first row', async () => {
    const { store, nodeId } = await writeStore(p('plan.sqlite'), [mk(1, 0), mk(2, 1000)]);
    const db = store.db;
    const { buildReport } = await import('../../src/report/aggregate.js');
    const { listNodes } = await import('../../src/history/nodes.js');
    try {
      const ns = BigInt(Date.parse(T)) * 1_000_000n;
      const plans = queryPlans(db, () => {
        void [...readHistory(db, { nodes: [nodeId], sinceNs: ns, untilNs: ns + 10n ** 12n })];
        void [...readLastEvents(db, [nodeId], 10)];
        for (const by of ['channel', 'peer', 'reason', 'day'] as const)
          buildReport(db, { by, nodes: listNodes(db), sinceNs: ns });
      });
      expect(plans.length).toBeGreaterThanOrEqual(8);
      for (const { sql, plan } of plans) {
        if (/ORDER BY id DESC LIMIT/.test(sql)) {
          // --tail N: the id order backwards, stopped by LIMIT.
          expect(plan).toMatch(/SCAN events/);
          expect(plan).not.toMatch(/TEMP B-TREE/);
          continue;
        }
        expect({ sql, plan }).toEqual({ sql, plan: expect.not.stringMatching(/SCAN (events|htlcs)\b/) });
        if (/FROM events/.test(sql)) expect(plan).not.toMatch(/TEMP B-TREE/);
      }
      const walk = plans.find((x) => /NOT INDEXED WHERE id >= \?/.test(x.sql))!;
      expect(walk.plan).toMatch(/SEARCH events USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
      const range = plans.find((x) => /min\(id\), max\(id\)/.test(x.sql))!;
      expect(range.plan).toMatch(
        /SEARCH events USING COVERING INDEX events_node_time \(node=\? AND timestamp_ns>\? AND timestamp_ns<\?\)/,
      );
      expect(
        plans
          .filter((x) => /FROM htlcs/.test(x.sql))
          .every((x) => /USING (PRIMARY KEY|INDEX htlcs_node_time)/.test(x.plan)),
      ).toBe(true);
    } finally {
      store.close();
    }
  });
});

describe('writer', () => {
  test('commits within the interval without flush; backpressure above the mark; ready() after the commit', async () => {
    const store = await openStore(p('bp.sqlite'), 'write');
    const writer = new StoreWriter(store, { commitIntervalMs: 50, highWaterMark: 10, maxBatch: 1000 });
    const sink = writer.node({ identity: '02bb' });
    const results: boolean[] = [];
    for (let i = 0; i < 12; i++) results.push(sink.write(mk(i, i)));
    expect(results.slice(0, 9).every(Boolean)).toBe(true);
    expect(results.slice(9)).toEqual([false, false, false]);
    expect(writer.pending).toBe(12);
    const count = () => store.db.prepare('SELECT count(*) FROM events').pluck().get();
    expect(count()).toBe(0);
    await writer.ready();
    expect(writer.pending).toBe(0);
    expect(count()).toBe(12);
    sink.write(mk(100, 100));
    await new Promise((r) => setTimeout(r, 300));
    expect(count()).toBe(13);
    await writer.close();
    store.close();
  });

  test('checkpoints: a burst leaves the WAL to grow, a quiet batch copies it into the file (at most every checkpointEveryMs), past walCapPages SQLite does it within the burst', async () => {
    let clock = 1_000_000;
    const file = p('ckpt.sqlite');
    const store = await openStore(file, 'write');
    const calls: string[] = [];
    const pragma = store.db.pragma.bind(store.db);
    store.db.pragma = (src: string, o?: { simple?: boolean }) => {
      if (src.startsWith('wal_checkpoint')) calls.push(src);
      return pragma(src, o);
    };
    const writer = new StoreWriter(store, { now: () => clock, maxBatch: 100_000 });
    expect(pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_CAP_PAGES);
    const sink = writer.node({ identity: '02dd' });
    const size = (f: string) => fs.statSync(f).size;
    const before = size(file);
    for (let i = 0; i < 5000; i++) sink.write(mk(i, i));
    writer.flush(); // one batch of 5,000 events: a burst
    expect(calls).toEqual([]);
    expect(size(file)).toBe(before); // all of it is in the WAL
    const burstWal = size(file + '-wal');
    expect(burstWal).toBeGreaterThan(400_000);
    clock += 1000;
    sink.write(mk(5000, 5000));
    writer.flush(); // quiet, 1 s after the writer started: not due
    expect(calls).toEqual([]);
    clock += CHECKPOINT_EVERY_MS;
    sink.write(mk(5001, 5001));
    writer.flush(); // quiet and due
    expect(calls).toEqual(['wal_checkpoint(PASSIVE)']);
    expect(size(file)).toBeGreaterThan(before + 400_000); // copied into the file
    clock += 1000;
    sink.write(mk(5002, 5002));
    writer.flush(); // 1 s later: not due again
    expect(calls).toHaveLength(1);
    await writer.close();
    store.close();

    // A flood that does not end: SQLite checkpoints at the cap, inside the burst's commits.
    const capped = p('cap.sqlite');
    const store2 = await openStore(capped, 'write');
    const writer2 = new StoreWriter(store2, { now: () => clock, maxBatch: 100_000, walCapPages: 50 });
    const sink2 = writer2.node({ identity: '02dd' });
    const before2 = size(capped);
    for (let b = 0; b < 4; b++) {
      for (let i = 0; i < 1250; i++) sink2.write(mk(b * 1250 + i, b * 1250 + i));
      writer2.flush(); // bursts of 1,250
    }
    expect(size(capped)).toBeGreaterThan(before2 + 300_000);
    expect(size(capped + '-wal')).toBeLessThan(burstWal / 2);
    await writer2.close();
    store2.close();
  });

  test('a fatal error (the database became read-only under it) rejects ready() and close(), once, as a one-line exit-3 error', async () => {
    const store = await openStore(p('fatal.sqlite'), 'write');
    const errors: unknown[] = [];
    const writer = new StoreWriter(store, { commitIntervalMs: 10, onError: (e) => errors.push(e) });
    const sink = writer.node({ identity: '02cc' });
    store.db.pragma('query_only = ON');
    sink.write(mk(1, 0));
    await new Promise((r) => setTimeout(r, 150));
    await expect(writer.ready()).rejects.toBe(errors[0]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toMatch(
      /^cannot write the history database .*fatal\.sqlite: .*; make it writable, or give another file with --db FILE$/,
    );
    expect(sink.write(mk(2, 0))).toBe(false);
    await expect(writer.close()).rejects.toBe(errors[0]);
    store.close();
  });

  test('--retain: events, HTLCs and gaps older than the cutoff are deleted in small batches', async () => {
    const now = Date.parse('2026-12-10T00:00:00Z');
    const old = (i: number, day: number) =>
      ev.forward(
        at('2026-12-01T00:00:00Z', day * 86_400_000 + i),
        { inChan: IN, inId: String(day * 1000 + i), outChan: OUT, outId: String(i) },
        info('2', '1'),
      );
    const items: OutputItem[] = [];
    for (let day = 0; day < 8; day++) for (let i = 0; i < 50; i++) items.push(old(i, day));
    items.push({
      event: 'gap',
      fromMs: Date.parse('2026-12-01T05:00:00Z'),
      toMs: Date.parse('2026-12-01T06:00:00Z'),
      reason: 'old',
    });
    const { store } = await writeStore(p('retain.sqlite'), items);
    const writer = new StoreWriter(store, { retainDays: 3, pruneBatch: 7, now: () => now });
    // 2026-12-07 00:00 is the cutoff: days 6 and 7 (12-07, 12-08) stay.
    for (let i = 0; i < 100 && store.db.prepare('SELECT count(*) FROM events').pluck().get() !== 100; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(store.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(100);
    expect(store.db.prepare('SELECT count(*) FROM htlcs').pluck().get()).toBe(100);
    expect(store.db.prepare('SELECT count(*) FROM gaps').pluck().get()).toBe(0);
    expect(store.db.prepare('SELECT min(time) FROM events').pluck().get()).toBe('2026-12-07T00:00:00.000000000Z');
    await writer.close();
    store.close();
  });
});
