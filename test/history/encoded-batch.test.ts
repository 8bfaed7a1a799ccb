/**
 * The writer thread's batches (encode.ts → apply.ts `prepareEncoded`), in a
 * real in-memory SQLite store with the real schema:
 * - every kind of event, with the values that stress the encoding (a failure
 *   text holding the field separator or the escape mark, empty texts and
 *   preimages, uint64 maxima, amounts ≥ 2^63, negative and out-of-range
 *   durations), reads back exactly as the same events written through the
 *   one-row-at-a-time path (rows.ts `eventRow`) read back;
 * - an event in two batches, or twice in one batch, is stored once, and the
 *   htlcs derivation counts it once;
 * - a gap is placed after the events before it in its batch; channel
 *   learnings keep a known alias when a later one is empty.
 */
import { describe, expect, test } from '@jest/globals';
import { Correlator } from '../../src/events/correlate.js';
import type { HtlcEvent } from '../../src/events/model.js';
import { prepareBatch, prepareEncoded, type Segment } from '../../src/history/apply.js';
import {
  decodeFields,
  encodeEvent,
  EVENT_FIELDS,
  FIELD_SEP,
  hasWideAmount,
  type Field,
} from '../../src/history/encode.js';
import { registerNode } from '../../src/history/nodes.js';
import { openMemoryStore, type Store } from '../../src/history/open.js';
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
    ev.linkFail(
      t(4),
      { inChan: A, inId: '2', outChan: B, outId: '0' },
      info('5000', '4000'),
      15,
      5,
      `sep${FIELD_SEP}inside`,
    ),
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

function segment(node: number, evs: readonly HtlcEvent[]): Segment {
  const fields: Field[] = [];
  for (const e of evs) encodeEvent(e, fields);
  return { t: 'ev', node, n: evs.length, text: fields.join(FIELD_SEP), wide: evs.some(hasWideAmount) };
}

describe('encoded batches', () => {
  test('every kind and edge value reads back as through the row-by-row path', async () => {
    const evs = events();
    const a = await store();
    const b = await store();
    prepareEncoded(a.s.db).apply([segment(a.node, evs)], new Map());
    prepareBatch(b.s.db).apply(
      evs.map((e) => ({ t: 'event', node: b.node, ev: e })),
      new Map(),
    );
    const got = readBack(a.s);
    expect(got).toHaveLength(evs.length);
    expect(got).toEqual(readBack(b.s));
    expect(got[3]!.failureString).toBe(`sep${FIELD_SEP}inside`);
    expect(got[4]!.failureString).toBe('\u001a{"starts":"with the mark"}');
    expect(got[6]!.failureString).toBe('Gebühr ⚡\nzweite Zeile\t\u0000');
    expect(got[7]!.incomingChannelId).toBe(U64_MAX);
    expect(a.s.db.prepare("SELECT value FROM meta WHERE key = 'wide_amounts'").pluck().get()).toBe('1');
  });

  test('decodeFields refuses a batch whose field count does not match', () => {
    expect(() => decodeFields(['a', 'b'].join(FIELD_SEP), 1)).toThrow(/2 fields for 1 events/);
    const fields: Field[] = [];
    encodeEvent(events()[0]!, fields);
    expect(fields).toHaveLength(EVENT_FIELDS);
  });

  test('an event in two batches, or twice in one, is stored once and derived once', async () => {
    const evs = events();
    const { s, node } = await store();
    const apply = prepareEncoded(s.db);
    apply.apply([segment(node, evs.slice(0, 5)), segment(node, evs.slice(0, 2))], new Map());
    apply.apply([segment(node, evs)], new Map());
    apply.apply([segment(node, evs)], new Map([[node, 1234]]));
    expect(s.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(evs.length);
    const htlc = s.db.prepare(`SELECT outcome FROM htlcs WHERE channel_id = ? AND htlc_id = 1`).pluck().all(A);
    expect(htlc).toEqual(['settled']);
    expect(s.db.prepare('SELECT last_seen_ms FROM nodes WHERE id = ?').pluck().get(node)).toBeGreaterThanOrEqual(1234);
  });

  test('a gap is placed after the events before it; a known alias is kept when a later learning has none', async () => {
    const evs = events();
    const { s, node } = await store();
    prepareEncoded(s.db).apply(
      [
        segment(node, evs.slice(0, 3)),
        { t: 'gap', node, gap: { event: 'gap', fromMs: 1000, toMs: 2000, reason: 'connection lost' } },
        { t: 'ch', node, atMs: 5, rows: [{ channelId: A, peerPubkey: '03' + 'ee'.repeat(32), alias: 'alice' }] },
        segment(node, evs.slice(3, 6)),
        { t: 'ch', node, atMs: 6, rows: [{ channelId: A, alias: '' }] },
      ],
      new Map(),
    );
    const gap = s.db.prepare('SELECT from_ms, to_ms, reason, after_event_id FROM gaps').get();
    expect(gap).toEqual({ from_ms: 1000, to_ms: 2000, reason: 'connection lost', after_event_id: 3 });
    const ch = s.db.prepare('SELECT peer_pubkey, alias, updated_ms FROM channels WHERE channel_id = ?').get(A);
    expect(ch).toEqual({ peer_pubkey: '03' + 'ee'.repeat(32), alias: 'alice', updated_ms: 6 });
  });
});
