/**
 * Opening the history database, on real files: creation (parent directories,
 * WAL, version, application id), and every file it must refuse, each with one
 * line naming the file and the next step, exit 3, and nothing written to the
 * file (its bytes unchanged, no -wal or -shm created). Migration of an older
 * database, atomic per step.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exitCodeFor } from '../../src/errors.js';
import { openStore } from '../../src/history/open.js';
import { APPLICATION_ID, migrate, MIGRATIONS, SCHEMA_VERSION, type Migration } from '../../src/history/schema.js';
import { at, chan, ev, info, tempDir, writeStore } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

const p = (name: string) => path.join(dir, name);

/** Expects `open` to fail with exit 3 and a one-line message, and the file untouched. */
async function expectRefused(file: string, mode: 'read' | 'write', message: RegExp): Promise<void> {
  const before = existsSync(file) && (await stat(file)).isFile() ? await readFile(file) : undefined;
  const err = await openStore(file, mode).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  expect(exitCodeFor(err)).toBe(3);
  const msg = (err as Error).message;
  expect(msg).toMatch(message);
  expect(msg).toContain(file);
  expect(msg).not.toContain('\n');
  if (before !== undefined) expect(await readFile(file)).toEqual(before);
  expect(existsSync(file + '-wal')).toBe(false);
  expect(existsSync(file + '-shm')).toBe(false);
}

describe('a new database', () => {
  test('is created with its parent directories, in WAL mode, marked as htlc-tail history of this version', async () => {
    const file = p('a/b/c/history.sqlite');
    const store = await openStore(file, 'write');
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['channels', 'enum_names', 'events', 'gaps', 'htlcs', 'meta', 'nodes']);
    expect(db.prepare("SELECT name FROM enum_names WHERE enum = 'failure_detail' AND code = 6").pluck().get()).toBe(
      'INSUFFICIENT_BALANCE',
    );
    db.close();
  });

  test('an empty file, or an empty SQLite database, becomes one', async () => {
    await writeFile(p('empty'), '');
    (await openStore(p('empty'), 'write')).close();
    new Database(p('blank.sqlite')).close();
    (await openStore(p('blank.sqlite'), 'write')).close();
    expect(new Database(p('blank.sqlite')).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  test('reading a database that does not exist says how to make one', async () => {
    await expectRefused(
      p('nothing-here.sqlite'),
      'read',
      /no history database at .*record first with `htlc-tail record`/,
    );
    expect(existsSync(p('nothing-here.sqlite'))).toBe(false);
  });
});

describe('refused files (exit 3, nothing written)', () => {
  test('not SQLite', async () => {
    await writeFile(p('notes.txt'), 'these are my notes, not a database\n'.repeat(10));
    await expectRefused(p('notes.txt'), 'write', /is not an SQLite database, so not an htlc-tail history/);
    await expectRefused(p('notes.txt'), 'read', /is not an SQLite database/);
  });

  test("another program's SQLite database", async () => {
    const other = new Database(p('other.sqlite'));
    other.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, memo TEXT); INSERT INTO invoices (memo) VALUES ('x')");
    other.close();
    await expectRefused(
      p('other.sqlite'),
      'write',
      /is an SQLite database of another program \(tables invoices\), not an htlc-tail history; htlc-tail leaves it untouched: give another file with --db FILE/,
    );
    const tagged = new Database(p('tagged.sqlite'));
    tagged.pragma('application_id = 1234');
    tagged.exec('CREATE TABLE t (x)');
    tagged.close();
    await expectRefused(p('tagged.sqlite'), 'read', /another program \(application_id 0x000004d2\)/);
  });

  test('newer than this build', async () => {
    (await openStore(p('newer.sqlite'), 'write')).close();
    const db = new Database(p('newer.sqlite'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    await expectRefused(
      p('newer.sqlite'),
      'write',
      new RegExp(
        `written by a newer htlc-tail \\(history schema version ${SCHEMA_VERSION + 1}; this htlc-tail reads up to ${SCHEMA_VERSION}\\); upgrade htlc-tail`,
      ),
    );
    await expectRefused(p('newer.sqlite'), 'read', /newer htlc-tail/);
  });

  test('corrupt: a damaged header, a truncated file', async () => {
    const { store } = await writeStore(p('good.sqlite'), [
      ev.forward(
        at('2026-11-30T10:00:00Z'),
        { inChan: chan(1, 1, 1), inId: '1', outChan: chan(2, 2, 2) },
        info('2', '1'),
      ),
    ]);
    store.db.pragma('journal_mode = DELETE');
    store.close();
    const good = await readFile(p('good.sqlite'));
    const damaged = Buffer.from(good);
    damaged.fill(0xee, 100, 4096); // the schema page after the header
    await writeFile(p('damaged.sqlite'), damaged);
    await expectRefused(
      p('damaged.sqlite'),
      'read',
      /the history database .* is corrupt \(.*\); restore it from a backup, or move it away/,
    );
    await expectRefused(p('damaged.sqlite'), 'write', /is corrupt/);
    await writeFile(p('short.sqlite'), good.subarray(0, 60));
    await expectRefused(p('short.sqlite'), 'write', /is not an SQLite database/);
  });

  test('a directory', async () => {
    await mkdir(p('adir.sqlite'));
    await expectRefused(p('adir.sqlite'), 'write', /is a directory; give a file path with --db FILE/);
  });
});

describe('migration', () => {
  test('a version-1 database (events, no htlcs table) is migrated on open: htlcs derived from the stored events', async () => {
    const file = p('v1.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    migrate(db, 0, MIGRATIONS, 1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    // What a version-1 recorder stored: a node and a forward that settled.
    db.prepare("INSERT INTO nodes (identity, first_seen_ms, last_seen_ms) VALUES ('02aa', 0, 0)").run();
    const ins = db.prepare(
      'INSERT INTO events (node, timestamp_ns, kind, event_type, incoming_channel_id, incoming_htlc_id, outgoing_channel_id, outgoing_htlc_id, incoming_amt_msat, outgoing_amt_msat) VALUES (1, ?, ?, 3, 11, 1, 22, 2, 1001000, 1000000)',
    );
    ins.run(1_700_000_000_000_000_000n, 'forward');
    ins.run(1_700_000_000_400_000_000n, 'settle');
    db.close();

    const store = await openStore(file, 'read');
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const rows = store.db
        .prepare('SELECT channel_id, htlc_id, outcome, fee_msat, settle_duration_ns FROM htlcs')
        .all();
      expect(rows).toEqual([
        { channel_id: 11, htlc_id: 1, outcome: 'settled', fee_msat: 1000, settle_duration_ns: 400_000_000 },
      ]);
    } finally {
      store.close();
    }
  });

  test('a migration that fails leaves the database at its old version, untouched', async () => {
    const file = p('failing.sqlite');
    const db = new Database(file);
    migrate(db, 0, MIGRATIONS, 1);
    db.close();
    const failing: Migration[] = [
      ...MIGRATIONS.slice(0, 1),
      {
        to: 2,
        up(d) {
          d.exec('CREATE TABLE half_done (x)');
          throw new Error('disk on fire');
        },
      },
    ];
    await expect(openStore(file, 'write', { migrations: failing, targetVersion: 2 })).rejects.toThrow('disk on fire');
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(1);
    expect(after.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").pluck().get()).toBe(0);
    after.close();
  });
});

test('reopening for writing keeps what is there and appends', async () => {
  const file = p('append.sqlite');
  const e1 = ev.forward(
    at('2026-11-30T10:00:00Z'),
    { inChan: chan(1, 1, 1), inId: '1', outChan: chan(2, 2, 2), outId: '1' },
    info('2', '1'),
  );
  const e2 = ev.forward(
    at('2026-11-30T10:00:01Z'),
    { inChan: chan(1, 1, 1), inId: '2', outChan: chan(2, 2, 2), outId: '2' },
    info('2', '1'),
  );
  (await writeStore(file, [e1])).store.close();
  const size1 = (await stat(file)).size;
  const { store } = await writeStore(file, [e1, e2]);
  try {
    expect(store.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(2);
    expect(store.db.prepare('SELECT count(*) FROM nodes').pluck().get()).toBe(1);
    expect(size1).toBeGreaterThan(0);
  } finally {
    store.close();
  }
});
