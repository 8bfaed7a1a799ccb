/**
 * The writer's batches (apply.ts `prepareBatch`) and the deferred derivation
 * of `htlcs` (derive.ts, htlcs-current.ts), in a real SQLite store with the
 * real schema:
 * - every kind of event, with the values that stress the row (a failure text
 *   with control characters, empty texts and preimages, uint64 maxima,
 *   amounts ≥ 2^63, negative durations), reads back with those values;
 * - an event in two batches, or twice in one batch, is stored once, and the
 *   htlcs derivation counts it once;
 * - a small batch derives in its transaction; a large one leaves it, and the
 *   steps after it give the same htlcs rows as deriving batch by batch;
 * - a reader that may not write derives the rest into its own temporary
 *   copy, the file untouched;
 * - a gap is placed after the events before it in its batch; channel
 *   learnings keep a known alias when a later one is empty.
 */
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Correlator } from '../../src/events/correlate.js';
import type { HtlcEvent } from '../../src/events/model.js';
import { DERIVE_BELOW, laterThan, prepareBatch, STORED_SQL, type PendingWrite } from '../../src/history/apply.js';
import { Deriver } from '../../src/history/derive.js';
import { currentHtlcs, temporaryHtlcs } from '../../src/history/htlcs-current.js';
import { registerNode } from '../../src/history/nodes.js';
import { openMemoryStore, openStore, type Store } from '../../src/history/open.js';
import { EVENT_SELECT, eventFromRow, type EventRowValues } from '../../src/history/rows.js';
import { at, chan, ev, info } from './helpers.js';

const A = chan(800_000, 1, 0);
const B = chan(800_001, 2, 1);
const U64_MAX = '18446744073709551615';

function events(): HtlcEvent[] {
  const t = (ms: number) => at('2026-12-01T10:00:00Z', ms);
  const list: HtlcEvent[] = [
    ev.forward(t(1), { inChan: A, inId: '1', outChan: B, outId: '1' }, info('1001000', '1000000')),
    ev.settle(t(2), { inChan: A, inId: '1', outChan: B, outId: '1' }),
    ev.final(t(3), A, '1', true),
    ev.linkFail(t(4), { inChan: A, inId: '2', outChan: B, outId: '0' }, info('5000', '4000'), 15, 5, 'sep\u001finside'),
    ev.linkFail(
      t(5),
      { inChan: A, inId: '3', outChan: B, outId: '0' },
      null,
      1234,
      99,
      '\u001a{"starts":"with the mark"}',
    ),
    ev.linkFail(t(6), { inChan: A, inId: '4', outChan: B, outId: '0' }, info('7', '6'), 15, 5, ''),
    ev.linkFail(
      t(7),
      { inChan: A, inId: '5', outChan: B, outId: '0' },
      info('7', '6'),
      15,
      5,
      'Gebühr ⚡\nzweite Zeile\t\u0000',
    ),
    ev.forward(
      t(8),
      { inChan: U64_MAX, inId: U64_MAX, outChan: U64_MAX, outId: U64_MAX },
      info(U64_MAX, '9223372036854775808'),
    ),
    ev.settle(t(9), { inChan: U64_MAX, inId: U64_MAX, outChan: U64_MAX, outId: U64_MAX }, new Uint8Array(0)),
    ev.forward(t(10), { inChan: A, inId: '6', outChan: B, outId: '6' }, info('2', '1')),
    // Earlier than its forward: a negative duration.
    ev.forwardFail(t(-5000), { inChan: A, inId: '6', outChan: B, outId: '6' }),
    { ...ev.forward('0', { inChan: '0', outChan: '0' }, null), event: 'unknown', eventType: 7 },
    ev.final(t(11), B, '9', false),
  ];
  const c = new Correlator();
  return list.map((e) => c.apply({ ...e }));
}

async function store(): Promise<{ s: Store; node: number }> {
  const s = await openMemoryStore();
  return { s, node: registerNode(s.db, { identity: '02' + 'cd'.repeat(32) }, Date.now()) };
}

function readBack(s: Store): HtlcEvent[] {
  return (s.db.prepare(`SELECT ${EVENT_SELECT} FROM events ORDER BY id`).raw().all() as EventRowValues[]).map(
    eventFromRow,
  );
}

const items = (node: number, evs: readonly HtlcEvent[]): PendingWrite[] =>
  evs.map((e) => ({ t: 'event', node, ev: e }));

/** Many forwards with their settles or failures, over a few channels (more than DERIVE_BELOW events). */
function traffic(n: number): HtlcEvent[] {
  const c = new Correlator();
  const out: HtlcEvent[] = [];
  const t = (ms: number) => at('2026-12-01T11:00:00Z', ms);
  for (let i = 0; out.length < n; i++) {
    const k = {
      inChan: chan(800_100 + (i % 7), 1, 0),
      inId: String(i),
      outChan: chan(800_200 + (i % 5), 2, 1),
      outId: String(i),
    };
    out.push(c.apply(ev.forward(t(2 * i), k, info(String(1000 + i), '1000'))));
    if (i % 3 === 0)
      out.push(c.apply(ev.linkFail(t(2 * i + 1), { ...k, outId: '0' }, info('2000', '1000'), 15, 5, '')));
    else if (i % 3 === 1) out.push(c.apply(ev.settle(t(2 * i + 1), k)));
    else out.push(c.apply(ev.forwardFail(t(2 * i + 1), k)));
  }
  return out;
}

const htlcRows = (db: Store['db']) =>
  db.prepare('SELECT * FROM htlcs ORDER BY node, event_type, channel_id, htlc_id').all();

describe('writer batches', () => {
  test('every kind and edge value reads back', async () => {
    const evs = events();
    const a = await store();
    prepareBatch(a.s.db).apply(items(a.node, evs), new Map());
    const got = readBack(a.s);
    expect(got).toHaveLength(evs.length);
    expect(got.map((e) => [e.event, e.timestampNs, e.incomingChannelId, e.incomingHtlcId])).toEqual(
      evs.map((e) => [e.event, e.timestampNs, e.incomingChannelId, e.incomingHtlcId]),
    );
    expect(got[3]!.failureString).toBe('sep\u001finside');
    expect(got[4]!.failureString).toBe('\u001a{"starts":"with the mark"}');
    expect(got[6]!.failureString).toBe('Gebühr ⚡\nzweite Zeile\t\u0000');
    expect(got[7]!.incomingChannelId).toBe(U64_MAX);
    expect(got[7]!.info?.incomingAmtMsat).toBe(U64_MAX);
    expect(a.s.db.prepare("SELECT value FROM meta WHERE key = 'wide_amounts'").pluck().get()).toBe('1');
  });

  test('an event in two batches, or twice in one, is stored once and derived once', async () => {
    const evs = events();
    const { s, node } = await store();
    const apply = prepareBatch(s.db);
    apply.apply([...items(node, evs.slice(0, 5)), ...items(node, evs.slice(0, 2))], new Map());
    apply.apply(items(node, evs), new Map());
    expect(apply.apply(items(node, evs), new Map([[node, 1234]]))).toBe(0);
    expect(s.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(evs.length);
    const htlc = s.db.prepare(`SELECT outcome FROM htlcs WHERE channel_id = ? AND htlc_id = 1`).pluck().all(A);
    expect(htlc).toEqual(['settled']);
    expect(s.db.prepare('SELECT last_seen_ms FROM nodes WHERE id = ?').pluck().get(node)).toBeGreaterThanOrEqual(1234);
  });

  test('a large batch leaves the derivation; its steps give what batch-by-batch derivation gives', async () => {
    const evs = traffic(3 * DERIVE_BELOW);
    const small = await store();
    const st = prepareBatch(small.s.db);
    for (let i = 0; i < evs.length; i += 100)
      expect(st.apply(items(small.node, evs.slice(i, i + 100)), new Map())).toBe(0);
    const big = await store();
    const bt = prepareBatch(big.s.db);
    expect(bt.apply(items(big.node, evs), new Map())).toBe(evs.length);
    expect(big.s.db.prepare('SELECT count(*) FROM htlcs').pluck().get()).toBe(0);
    expect(bt.derive(1000)).toBe(evs.length - 1000);
    // A small batch goes on with the derivation in its own transaction.
    expect(bt.apply([], new Map())).toBe(Math.max(0, evs.length - 1000 - 8192));
    while (bt.derive(500) > 0);
    expect(new Deriver(big.s.db).lag()).toBe(0);
    expect(htlcRows(big.s.db)).toEqual(htlcRows(small.s.db));
    expect(htlcRows(small.s.db).length).toBeGreaterThan(DERIVE_BELOW);
  });

  test("the report's catch-up: into the file when it may write, else into a temporary copy", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htlc-derive-'));
    const file = path.join(dir, 'h.sqlite');
    const evs = traffic(2 * DERIVE_BELOW);
    const w = await openStore(file, 'write');
    const node = registerNode(w.db, { identity: '02' + 'cd'.repeat(32) }, Date.now());
    prepareBatch(w.db).apply(items(node, evs.slice(0, 100)), new Map()); // derived at once
    prepareBatch(w.db).apply(items(node, evs.slice(100)), new Map()); // left for later
    const before = htlcRows(w.db);
    w.close();
    // A reader that may not write: its own copy, nothing written to the file.
    const ro = new Database(file, { readonly: true });
    temporaryHtlcs(ro, new Deriver(ro).derived());
    const derived = htlcRows(ro);
    expect(derived.length).toBeGreaterThan(before.length);
    expect(ro.prepare('SELECT count(*) FROM main.htlcs').pluck().get()).toBe(before.length);
    ro.close();
    // One that may: into the file.
    const r = await openStore(file, 'read');
    await currentHtlcs(r);
    expect(htlcRows(r.db)).toEqual(derived);
    expect(new Deriver(r.db).lag()).toBe(0);
    r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a gap is placed after the events before it; a known alias is kept when a later learning has none', async () => {
    const evs = events();
    const { s, node } = await store();
    prepareBatch(s.db).apply(
      [
        ...items(node, evs.slice(0, 3)),
        { t: 'gap', node, gap: { event: 'gap', fromMs: 1000, toMs: 2000, reason: 'connection lost' } },
        { t: 'channels', node, atMs: 5, rows: [{ channelId: A, peerPubkey: '03' + 'ee'.repeat(32), alias: 'alice' }] },
        ...items(node, evs.slice(3, 6)),
        { t: 'channels', node, atMs: 6, rows: [{ channelId: A, alias: '' }] },
      ],
      new Map(),
    );
    const gap = s.db.prepare('SELECT from_ms, to_ms, reason, after_event_id FROM gaps').get();
    expect(gap).toEqual({ from_ms: 1000, to_ms: 2000, reason: 'connection lost', after_event_id: 3 });
    const ch = s.db.prepare('SELECT peer_pubkey, alias, updated_ms FROM channels WHERE channel_id = ?').get(A);
    expect(ch).toEqual({ peer_pubkey: '03' + 'ee'.repeat(32), alias: 'alice', updated_ms: 6 });
  });

  test.each([
    ['later', 1700000000000000001n, 1700000000000000000n, true],
    ['equal', 1700000000000000000n, 1700000000000000000n, false],
    ['earlier', 1699999999999999999n, 1700000000000000000n, false],
    ['nothing stored', 0n, null, true],
    ['after a wide (negative) maximum', 5n, -1n, true],
    ['a wide timestamp before a normal maximum', -5n, 5n, false],
  ] as const)('laterThan: %s', (_name, ts, max, want) => {
    expect(laterThan(ts, max)).toBe(want);
  });

  test('each event once: out of order, same timestamp, wide timestamps, two nodes, across and within batches', async () => {
    const { s, node } = await store();
    const other = registerNode(s.db, { identity: '03' + 'ab'.repeat(32) }, Date.now());
    const t = (ms: number) => at('2026-12-01T12:00:00Z', ms);
    const k = (id: string) => ({ inChan: A, inId: id, outChan: B, outId: id });
    const f1 = ev.forward(t(10), k('1'), info('2', '1'));
    const f2 = ev.forward(t(20), k('2'), info('2', '1'));
    const s1 = ev.settle(t(20), k('1')); // same time as f2, another event
    const late = ev.forward(t(5), k('3'), info('2', '1')); // earlier than what is stored, new
    const wideTs = ev.forward('18446744073709551615', k('4'), info('2', '1'));
    const apply = prepareBatch(s.db);
    apply.apply([...items(node, [f1, f2, f2, s1]), ...items(other, [f1])], new Map());
    apply.apply([...items(node, [late, f1, s1, wideTs, wideTs]), ...items(other, [f1, f2])], new Map());
    apply.apply(items(node, [wideTs, late, f2]), new Map());
    const rows = s.db
      .prepare('SELECT node, CAST(timestamp_ns AS TEXT) AS ts, kind, incoming_htlc_id AS htlc FROM events ORDER BY id')
      .all();
    expect(rows).toEqual([
      { node, ts: t(10), kind: 'forward', htlc: 1 },
      { node, ts: t(20), kind: 'forward', htlc: 2 },
      { node, ts: t(20), kind: 'settle', htlc: 1 },
      { node: other, ts: t(10), kind: 'forward', htlc: 1 },
      { node, ts: t(5), kind: 'forward', htlc: 3 },
      { node, ts: '-1', kind: 'forward', htlc: 4 },
      { node: other, ts: t(20), kind: 'forward', htlc: 2 },
    ]);
  });

  test('looking an event up is one index range of (node, time, both htlc ids), also when many events share a timestamp', async () => {
    const { s, node } = await store();
    const plan = s.db
      .prepare(`EXPLAIN QUERY PLAN ${STORED_SQL}`)
      .all(node, '0', '1', '2', '3', '4', 'forward')
      .map((r) => (r as { detail: string }).detail);
    expect(plan).toEqual([
      'SEARCH events USING INDEX events_node_time (node=? AND timestamp_ns=? AND incoming_htlc_id=? AND outgoing_htlc_id=?)',
    ]);
    // A server that stamps every event 0: each is looked up, each stored once.
    const k = (id: string) => ({ inChan: A, inId: id, outChan: B, outId: id });
    const evs = Array.from({ length: 300 }, (_, i) => ev.forward('0', k(String(i)), info('2', '1')));
    const apply = prepareBatch(s.db);
    apply.apply(items(node, evs), new Map());
    apply.apply(items(node, evs), new Map());
    expect(s.db.prepare('SELECT count(*), count(DISTINCT incoming_htlc_id) FROM events').raw().get()).toEqual([
      300, 300,
    ]);
  });
});
