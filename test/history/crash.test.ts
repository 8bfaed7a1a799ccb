/**
 * The writer under real failure, with real processes on a real file:
 * - a recorder killed with SIGKILL at random moments: the database passes
 *   `PRAGMA integrity_check`, holds a prefix of what was written (nothing after
 *   a hole), at least everything reported committed, and nothing twice; the
 *   next run appends; `htlcs` holds at most those events (a burst's
 *   derivation may be left for later), and the report's catch-up derives
 *   every one of them once;
 * - two recorders writing the same events to one database at the same time:
 *   each event stored once, nobody fails on the lock.
 * The child (fixtures/flood-writer.mjs) uses the built writer in dist/.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { currentHtlcs } from '../../src/history/htlcs-current.js';
import { openStore } from '../../src/history/open.js';
import { tempDir } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/flood-writer.mjs', import.meta.url));

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

interface Run {
  committed: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the child; with killAfterMs, sends SIGKILL that long after its first commit. */
function runWriter(file: string, start: number, count: number, identity: string, killAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, file, String(start), String(count), identity], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let committed = 0;
    let stderr = '';
    let buf = '';
    let armed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      buf += c;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        const m = /^committed (\d+)$/.exec(l);
        if (m) committed = Number(m[1]);
      }
      if (killAfterMs !== undefined && committed > 0 && !armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ committed, code, signal, stderr });
    });
  });
}

describe('killed with SIGKILL', () => {
  test('at random moments: intact, a prefix, everything reported committed, nothing twice; the next run appends', async () => {
    const file = path.join(dir, 'killed.sqlite');
    const runs = 4;
    for (let r = 0; r < runs; r++) {
      const delay = 50 + Math.floor(Math.random() * 700);
      const run = await runWriter(file, r * 10_000_000, 0, '02aa', delay);
      expect({ signal: run.signal, stderr: run.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const [n, lo, hi, distinct] = db
          .prepare(
            'SELECT count(*), min(incoming_htlc_id), max(incoming_htlc_id), count(DISTINCT incoming_htlc_id) FROM events WHERE incoming_htlc_id >= ? AND incoming_htlc_id < ?',
          )
          .raw()
          .get(r * 10_000_000, (r + 1) * 10_000_000) as [number, number, number, number];
        expect(n).toBeGreaterThanOrEqual(run.committed);
        expect(n).toBeGreaterThan(0);
        expect(distinct).toBe(n);
        expect([lo, hi]).toEqual([r * 10_000_000, r * 10_000_000 + n - 1]);
        expect(
          db
            .prepare('SELECT count(*) FROM htlcs WHERE htlc_id >= ? AND htlc_id < ?')
            .pluck()
            .get(r * 10_000_000, (r + 1) * 10_000_000),
        ).toBeLessThanOrEqual(n);
      } finally {
        db.close();
      }
    }
    const store = await openStore(file, 'read');
    try {
      await currentHtlcs(store);
      const events = store.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
      expect(store.db.prepare('SELECT count(*), count(DISTINCT htlc_id) FROM htlcs').raw().get()).toEqual([
        events,
        events,
      ]);
    } finally {
      store.close();
    }
  }, 120_000);
});

describe('two writers on one database', () => {
  test('the same events from two recorders at once: each stored once, no lock failure', async () => {
    const file = path.join(dir, 'two.sqlite');
    const N = 30_000;
    const [a, b] = await Promise.all([runWriter(file, 0, N, '02bb'), runWriter(file, 0, N, '02bb')]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*), count(DISTINCT incoming_htlc_id) FROM events').raw().get()).toEqual([N, N]);
      expect(db.prepare('SELECT count(*) FROM nodes').pluck().get()).toBe(1);
      expect(db.prepare('SELECT count(*) FROM htlcs').pluck().get()).toBe(N);
    } finally {
      db.close();
    }
  }, 120_000);
});
