/**
 * Schema version 3: the `events_raw` view gives each stored event as the
 * line `-f raw` prints for it (byte for byte here: the failure texts hold no
 * U+2028/U+2029/U+0085), for every kind and the awkward values (wide uint64
 * ids and amounts, unset HtlcInfo, unknown enum numbers, empty and random
 * preimages, control characters); a version-2 database is migrated to it on
 * open; the report's out side reads the covering index.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { encodeRawEvent } from '../../src/codec/raw/encode.js';
import type { HtlcEvent } from '../../src/events/model.js';
import { openStore } from '../../src/history/open.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../src/history/schema.js';
import { at, chan, ev, info, tempDir, writeStore } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());
const p = (name: string) => path.join(dir, name);

const IN = chan(830412, 1903, 1);
const OUT = chan(830502, 12, 0);
const WIDE = '18446744073709551615';
const T = '2026-11-30T10:00:00Z';

function variety(): HtlcEvent[] {
  const f = { inChan: IN, inId: '5', outChan: OUT, outId: '7' };
  const out: HtlcEvent[] = [
    ev.forward(at(T), f, info('1001000', '1000000')),
    ev.settle(at(T, 9), f),
    ev.final(at(T, 12), IN, '5', true),
    ev.forward(at(T, 20), { inChan: WIDE, inId: WIDE, outChan: OUT, outId: '8' }, info('18446744073709551615', '9223372036854775808')),
    ev.forwardFail(at(T, 25), { inChan: WIDE, inId: WIDE, outChan: OUT, outId: '8' }),
    ev.linkFail(at(T, 5000), { inChan: OUT, inId: '9', outChan: IN }, info('2000500', '2000000'), 15, 6, 'insufficient bandwidth\n"quoted", \\ comma\u001b[31m ü ⚡'),
    ev.linkFail(at(T, 5001), { inChan: OUT, inId: '10', outChan: IN }, null, 4242, 99, ''),
    ev.forward(at(T, 5002), { inChan: OUT, inId: '11', outChan: IN, outId: '3' }, null),
    ev.settle(at(T, 5003), { inChan: IN, inId: '12', type: 2 }, new Uint8Array(0)),
    ev.forward(at(T, 5004), { outChan: OUT, outId: '44', type: 1 }, info('0', '5000000', 0, 900_000)),
    ev.final(at(T, 5200), OUT, '9', false),
    { ...ev.forward(at(T, 5300), { inChan: IN, inId: '13', outChan: OUT, outId: '9' }, info('3', '2')), event: 'unknown', info: undefined, eventType: 7 },
  ];
  // Random preimages: every base64 sextet and both padding positions of a 32-byte value get exercised over many.
  for (let i = 0; i < 64; i++) out.push(ev.settle(at(T, 6000 + i), { inChan: IN, inId: String(100 + i), outChan: OUT, outId: String(200 + i) }, randomBytes(32)));
  out.push(ev.settle(at(T, 7000), { inChan: IN, inId: '300', outChan: OUT, outId: '301' }, new Uint8Array(32).fill(255)));
  return out;
}

describe('events_raw', () => {
  test('each row is the -f raw line of the stored event', async () => {
    const events = variety();
    const { store } = await writeStore(p('view.sqlite'), events);
    try {
      const rows = store.db.prepare('SELECT raw FROM events_raw ORDER BY id').pluck().all() as string[];
      expect(rows).toEqual(events.map((e) => encodeRawEvent(e)));
    } finally {
      store.close();
    }
  });

  test('a version-2 database is migrated to version 3 on open (index and view added, data untouched)', async () => {
    const file = p('v2.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    migrate(db, 0, MIGRATIONS, 2);
    db.prepare("INSERT INTO nodes (identity, first_seen_ms, last_seen_ms) VALUES ('02aa', 0, 0)").run();
    db.prepare(
      "INSERT INTO events (node, timestamp_ns, kind, event_type, incoming_channel_id, incoming_htlc_id, outgoing_channel_id, outgoing_htlc_id, incoming_amt_msat, outgoing_amt_msat, incoming_timelock, outgoing_timelock) VALUES (1, 1700000000000000000, 'forward', 3, 11, 1, 22, 2, 1001000, 1000000, 800100, 800060)",
    ).run();
    db.close();
    const store = await openStore(file, 'read');
    try {
      expect(SCHEMA_VERSION).toBe(3);
      expect(store.db.pragma('user_version', { simple: true })).toBe(3);
      expect(store.db.prepare("SELECT name FROM sqlite_schema WHERE name IN ('htlcs_out', 'events_raw') ORDER BY name").pluck().all()).toEqual(['events_raw', 'htlcs_out']);
      expect(store.db.prepare('SELECT raw FROM events_raw').pluck().get()).toBe(
        '{"incoming_channel_id":"11","outgoing_channel_id":"22","incoming_htlc_id":"1","outgoing_htlc_id":"2","timestamp_ns":"1700000000000000000","event_type":"FORWARD","forward_event":{"info":{"incoming_timelock":800100,"outgoing_timelock":800060,"incoming_amt_msat":"1001000","outgoing_amt_msat":"1000000"}}}',
      );
    } finally {
      store.close();
    }
  });
});
