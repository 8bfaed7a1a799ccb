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
import { at, ev, IN, OUT, T, tempDir, variety, writeStore } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());
const p = (name: string) => path.join(dir, name);

/** Every kind and the awkward values (helpers.ts), and random preimages: every base64 sextet and padding position. */
function events(): HtlcEvent[] {
  const out = variety().filter((it): it is HtlcEvent => it.event !== 'gap');
  for (let i = 0; i < 64; i++)
    out.push(
      ev.settle(
        at(T, 6000 + i),
        { inChan: IN, inId: String(100 + i), outChan: OUT, outId: String(200 + i) },
        randomBytes(32),
      ),
    );
  out.push(
    ev.settle(at(T, 7000), { inChan: IN, inId: '300', outChan: OUT, outId: '301' }, new Uint8Array(32).fill(255)),
  );
  return out;
}

describe('events_raw', () => {
  test('each row is the -f raw line of the stored event', async () => {
    const list = events();
    const { store } = await writeStore(p('view.sqlite'), list);
    try {
      const rows = store.db.prepare('SELECT raw FROM events_raw ORDER BY id').pluck().all() as string[];
      expect(rows).toEqual(list.map((e) => encodeRawEvent(e)));
    } finally {
      store.close();
    }
  });

  test('a version-2 database is migrated on open (3: index and view added; 4: its events marked derived; data untouched)', async () => {
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
      expect(SCHEMA_VERSION).toBe(4);
      expect(store.db.pragma('user_version', { simple: true })).toBe(4);
      expect(store.db.prepare("SELECT value FROM meta WHERE key = 'htlcs_derived_to'").pluck().get()).toBe('1');
      expect(
        store.db
          .prepare("SELECT name FROM sqlite_schema WHERE name IN ('htlcs_out', 'events_raw') ORDER BY name")
          .pluck()
          .all(),
      ).toEqual(['events_raw', 'htlcs_out']);
      expect(store.db.prepare('SELECT raw FROM events_raw').pluck().get()).toBe(
        '{"incoming_channel_id":"11","outgoing_channel_id":"22","incoming_htlc_id":"1","outgoing_htlc_id":"2","timestamp_ns":"1700000000000000000","event_type":"FORWARD","forward_event":{"info":{"incoming_timelock":800100,"outgoing_timelock":800060,"incoming_amt_msat":"1001000","outgoing_amt_msat":"1000000"}}}',
      );
    } finally {
      store.close();
    }
  });
});
