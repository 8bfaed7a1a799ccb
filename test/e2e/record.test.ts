/**
 * `htlc-tail record`, `--record` and `demo --record` end to end: the built CLI
 * against the simulated node in flood mode (every subscription gets the same
 * N events in the same order), into a real SQLite file.
 *
 * The oracle is the jsonl tail of the same flood: the events a recorder
 * received, in order. A recorder killed with SIGKILL at a random moment
 * leaves a database that passes `PRAGMA integrity_check` and holds exactly
 * the first K of those events (a prefix: nothing after a hole), each once;
 * a restart stores the rest (the flood begins again: what is stored already
 * is not stored twice) and a gap for the time no recorder ran. Two recorders
 * on one database store each event once.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { jsonLines } from './run-cli.js';
import { cli, expectNoNodeWarnings, oneErrorLine, startSimFixture, type SimFixture } from './sim-fixture.js';

const N = 6000;
let sim: SimFixture;
/** The flood's events as the jsonl tail prints them: "timestamp|in chan|in htlc|out chan|out htlc|kind". */
let flood: string[];

const keyOf = (e: Record<string, string>) =>
  `${e['timestamp_ns']}|${e['incoming_channel_id']}|${e['incoming_htlc_id']}|${e['outgoing_channel_id']}|${e['outgoing_htlc_id']}|${e['event']}`;
const KEY_SQL = `CAST(timestamp_ns AS TEXT) || '|' || CAST(incoming_channel_id AS TEXT) || '|' || CAST(incoming_htlc_id AS TEXT) || '|' ||
  CAST(outgoing_channel_id AS TEXT) || '|' || CAST(outgoing_htlc_id AS TEXT) || '|' || kind`;

/** One process per run (no relaunched child), so SIGKILL hits the recorder itself. */
const ENV = { HOME: '/nonexistent-home', HTLC_TAIL_NO_HEAP_TUNING: '1' };

beforeAll(async () => {
  sim = await startSimFixture({ flood: N });
  const r = await cli([...sim.args, '-f', 'jsonl', '--no-stats', '--count', String(N)], { env: ENV });
  expect(r.code).toBe(0);
  flood = jsonLines(r.stdout).map(keyOf);
  expect(flood).toHaveLength(N);
  expect(new Set(flood).size).toBe(N);
}, 120_000);
afterAll(() => sim?.cleanup());

function stored(file: string): {
  keys: string[];
  integrity: unknown;
  gaps: Array<{ from_ms: number; to_ms: number; reason: string }>;
  nodes: number;
} {
  const db = new Database(file, { readonly: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      keys: db.prepare(`SELECT ${KEY_SQL} FROM events ORDER BY id`).pluck().all() as string[],
      gaps: db.prepare('SELECT from_ms, to_ms, reason FROM gaps ORDER BY id').all() as Array<{
        from_ms: number;
        to_ms: number;
        reason: string;
      }>,
      nodes: db.prepare('SELECT count(*) FROM nodes').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

/** Where `keys` stops being a prefix of `order` (-1: it is one), compactly, for an assertion whose failure is readable. */
function prefixCheck(keys: readonly string[], order: readonly string[]) {
  let firstDifference = keys.length > order.length ? order.length : -1;
  for (let i = 0; i < Math.min(keys.length, order.length); i++) {
    if (keys[i] !== order[i]) {
      firstDifference = i;
      break;
    }
  }
  return {
    stored: keys.length,
    firstDifference,
    ...(firstDifference >= 0 ? { got: keys[firstDifference], want: order[firstDifference] } : {}),
  };
}

function count(file: string): number {
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created or not migrated yet
  }
}

/** Runs `record` until `until(count, child)` says stop: polls the database every 50 ms once the recorder is subscribed. */
function record(
  file: string,
  extra: readonly string[],
  until: (n: number, child: ChildProcess) => boolean,
  node: SimFixture = sim,
) {
  let poll: NodeJS.Timeout | undefined;
  return cli(['record', ...node.args, '--db', file, ...extra], {
    env: ENV,
    timeoutMs: 120_000,
    onSpawn: (child) => {
      let subscribed = false;
      child.stderr!.on('data', (c: Buffer) => (subscribed ||= c.toString().includes('subscribed to HTLC events')));
      poll = setInterval(() => {
        if (subscribed && until(count(file), child)) clearInterval(poll);
      }, 50);
      child.on('close', () => clearInterval(poll));
    },
  });
}

/** record until all `n` are stored, then SIGTERM. */
const recordAll = (file: string, extra: readonly string[] = [], node: SimFixture = sim, n = N) =>
  record(
    file,
    extra,
    (c, child) => {
      if (c < n) return false;
      child.kill('SIGTERM');
      return true;
    },
    node,
  );

describe('htlc-tail record', () => {
  test('stores every event of the flood once, in the order received, with its node; nothing on stdout; a state line per change', async () => {
    const file = path.join(sim.tmp, 'all.sqlite');
    const r = await recordAll(file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`recording to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(r.stderr).toMatch(/subscribed to HTLC events/);
    expectNoNodeWarnings(r.stderr);
    const s = stored(file);
    expect(s.integrity).toBe('ok');
    expect(s.keys).toEqual(flood);
    expect(s.nodes).toBe(1);
    const db = new Database(file, { readonly: true });
    const node = db.prepare('SELECT identity, pubkey, alias FROM nodes').get() as {
      identity: string;
      pubkey: string;
      alias: string;
    };
    const channels = db
      .prepare('SELECT count(*) AS n, count(peer_pubkey) AS pk, count(alias) AS al FROM channels')
      .get() as { n: number; pk: number; al: number };
    db.close();
    expect(node.identity).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(node.pubkey).toBe(node.identity);
    // Aliases and peer pubkeys as learned (ListChannels): every channel of the node.
    expect(channels.n).toBe(sim.node.node.channels.length);
    expect(channels.pk).toBe(channels.n);
    expect(channels.al).toBeGreaterThan(0);
  }, 180_000);

  test('killed with SIGKILL at random moments: intact, a prefix, nothing twice; the restart stores the rest and a gap', async () => {
    // A longer flood, so the kills land while events stream in.
    const BIG = 60_000;
    const big = await startSimFixture({ flood: BIG });
    try {
      const o = await cli([...big.args, '-f', 'jsonl', '--no-stats', '--no-aliases', '--count', String(BIG)], {
        env: ENV,
        timeoutMs: 120_000,
      });
      expect(o.code).toBe(0);
      const order = jsonLines(o.stdout).map(keyOf);
      const file = path.join(big.tmp, 'killed.sqlite');
      let before = 0;
      let rounds = 0;
      for (let round = 0; round < 3; round++) {
        // Kill once more than the last run's events are stored, after a random extra delay.
        const delay = Math.floor(Math.random() * 300);
        let armed = false;
        const r = await record(
          file,
          ['--no-stats'],
          (n, child) => {
            if (armed || n <= before) return false;
            armed = true;
            setTimeout(() => child.kill('SIGKILL'), delay);
            return true;
          },
          big,
        );
        expect({ round, signal: r.signal, code: r.code, stderr: r.signal === 'SIGKILL' ? '' : r.stderr }).toEqual({
          round,
          signal: 'SIGKILL',
          code: null,
          stderr: '',
        });
        rounds++;
        const s = stored(file);
        expect(s.integrity).toBe('ok');
        expect(s.keys.length).toBeGreaterThan(before);
        // A prefix, nothing twice (compared compactly: a failure names the first place it differs).
        expect({ round, ...prefixCheck(s.keys, order) }).toEqual({ round, stored: s.keys.length, firstDifference: -1 });
        // Every run after the first begins with a gap: the time the killed recorder did not run.
        expect({ round, gaps: s.gaps }).toEqual({
          round,
          gaps: Array.from({ length: round }, () =>
            expect.objectContaining({ reason: expect.stringMatching(/^not recorded/) }),
          ),
        });
        before = s.keys.length;
        if (before === BIG) break;
        await new Promise((res) => setTimeout(res, 5_500)); // longer than a live recorder's heartbeat window
      }
      const r = await recordAll(file, [], big, BIG);
      expect(r.code).toBe(0);
      const s = stored(file);
      expect(s.integrity).toBe('ok');
      expect(prefixCheck(s.keys, order)).toEqual({ stored: BIG, firstDifference: -1 });
      expect(s.gaps).toHaveLength(rounds);
      for (const g of s.gaps) {
        expect(g.reason).toMatch(/not recorded/);
        expect(g.to_ms).toBeGreaterThan(g.from_ms + 5_000);
      }
    } finally {
      await big.cleanup();
    }
  }, 300_000);

  test('a stream lost and re-established: its gap stored in its place, events on both sides', async () => {
    const live = await startSimFixture({ rate: 300, seed: 5 });
    try {
      const file = path.join(live.tmp, 'gap.sqlite');
      let phase = 0;
      let mark = 0;
      const r = await cli(['record', ...live.args, '--db', file], {
        env: { ...ENV, HTLC_TAIL_TEST_KEEPALIVE_MS: '500' },
        timeoutMs: 120_000,
        onSpawn: (child) => {
          let err = '';
          child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
          const poll = setInterval(() => {
            const n = count(file);
            if (phase === 0 && err.includes('subscribed') && n >= 20) {
              phase = 1;
              mark = n;
              void live.node.restart({ downMs: 1000 });
            } else if (phase === 1 && /reconnected to lnd/.test(err) && n >= mark + 20) {
              phase = 2;
              clearInterval(poll);
              child.kill('SIGTERM');
            }
          }, 100);
          child.on('close', () => clearInterval(poll));
        },
      });
      expect({ code: r.code, phase }).toEqual({ code: 0, phase: 2 });
      const db = new Database(file, { readonly: true });
      const gaps = db.prepare('SELECT from_ms, to_ms, reason, after_event_id FROM gaps').all() as Array<{
        from_ms: number;
        to_ms: number;
        reason: string;
        after_event_id: number;
      }>;
      const [lo, hi] = db.prepare('SELECT min(id), max(id) FROM events').raw().get() as [number, number];
      db.close();
      expect(gaps).toHaveLength(1);
      const g = gaps[0]!;
      expect(g.to_ms).toBeGreaterThan(g.from_ms);
      expect(g.reason).not.toBe('');
      expect(g.after_event_id).toBeGreaterThanOrEqual(lo);
      expect(g.after_event_id).toBeLessThan(hi);
    } finally {
      await live.cleanup();
    }
  }, 180_000);

  test('after the flood (a burst), htlcs catches up while the recorder keeps running', async () => {
    const file = path.join(sim.tmp, 'derive.sqlite');
    let storedAt: number | undefined;
    let caughtUpAfterMs: number | undefined;
    const derived = () => {
      const db = new Database(file, { readonly: true });
      try {
        const to = db.prepare("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'htlcs_derived_to'").pluck().get();
        return to === (db.prepare('SELECT max(id) FROM events').pluck().get() as number);
      } finally {
        db.close();
      }
    };
    const r = await record(file, [], (c, child) => {
      if (c < N) return false;
      storedAt ??= Date.now();
      if (derived()) caughtUpAfterMs = Date.now() - storedAt;
      else if (Date.now() - storedAt < 20_000) return false;
      child.kill('SIGTERM');
      return true;
    });
    expect(r.code).toBe(0);
    // Within seconds of the burst, before any exit.
    expect(caughtUpAfterMs).toBeDefined();
    const db = new Database(file, { readonly: true });
    // One htlcs row per forwarded HTLC (incoming channel and htlc id) the events show.
    const forwards = db
      .prepare(
        `SELECT count(DISTINCT incoming_channel_id || ':' || incoming_htlc_id) FROM events
         WHERE event_type = 3 AND incoming_channel_id != 0 AND kind IN ('forward', 'settle', 'forward_fail', 'link_fail')`,
      )
      .pluck()
      .get();
    const rows = db.prepare('SELECT count(*) FROM htlcs WHERE event_type = 3').pluck().get();
    db.close();
    expect(rows).toBe(forwards);
  }, 180_000);

  test('another program holding the write lock: one line, events wait, then everything stored and one line', async () => {
    const file = path.join(sim.tmp, 'locked.sqlite');
    let holder: Database.Database | undefined;
    const r = await record(file, [], (c, child) => {
      if (holder === undefined) {
        // The recorder has opened the database (we are subscribed): take the write lock for 3 s
        // (the recorder waits a second for it, then says so and retries).
        holder = new Database(file);
        holder.prepare('BEGIN IMMEDIATE').run();
        setTimeout(() => holder!.prepare('COMMIT').run(), 3000);
        return false;
      }
      if (c < N) return false;
      child.kill('SIGTERM');
      return true;
    });
    holder?.close();
    expect(r.code).toBe(0);
    const locked = r.stderr.indexOf(`history database ${file} is locked by another program; retrying`);
    const again = r.stderr.indexOf(`history database ${file} is writable again`);
    expect(locked).toBeGreaterThan(-1);
    expect(again).toBeGreaterThan(locked);
    const s = stored(file);
    expect(s.integrity).toBe('ok');
    expect(s.keys).toEqual(flood);
  }, 180_000);

  test('two recorders on one database at the same time: each event stored once, no gap', async () => {
    const file = path.join(sim.tmp, 'two.sqlite');
    const [a, b] = await Promise.all([recordAll(file), recordAll(file)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const s = stored(file);
    expect(s.integrity).toBe('ok');
    expect(s.keys).toHaveLength(N);
    expect(new Set(s.keys)).toEqual(new Set(flood));
    expect(s.nodes).toBe(1);
  }, 180_000);

  test('--retain DAYS deletes what is older, keeps what is new', async () => {
    const file = path.join(sim.tmp, 'retain.sqlite');
    await recordAll(file);
    // Make a third of the events ten days old.
    const db = new Database(file);
    const old = (BigInt(Date.now() - 10 * 86_400_000) * 1_000_000n).toString();
    const moved = db.prepare(`UPDATE events SET timestamp_ns = ${old} + id WHERE id % 3 = 0`).run().changes;
    db.close();
    expect(moved).toBeGreaterThan(0);
    // The flood is sent again: the events moved away are stored again with their own times.
    const cutoffNs = (BigInt(Date.now() - 7 * 86_400_000) * 1_000_000n).toString();
    const recent = () => {
      const d = new Database(file, { readonly: true });
      try {
        return d.prepare(`SELECT count(*) FROM events WHERE timestamp_ns >= ${cutoffNs}`).pluck().get() as number;
      } finally {
        d.close();
      }
    };
    const r = await record(file, ['--retain', '7'], (_n, child) => {
      if (recent() < N) return false;
      child.kill('SIGTERM');
      return true;
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/keeping 7 days/);
    const after = new Database(file, { readonly: true });
    const left = after.prepare(`SELECT count(*) FROM events WHERE timestamp_ns < ${cutoffNs}`).pluck().get();
    after.close();
    expect(left).toBe(0);
    expect(stored(file).keys.length).toBe(N);
  }, 180_000);

  test.each([
    ['not a database', (f: string) => writeFileSync(f, 'precious notes\n'.repeat(20)), /is not an SQLite database/],
    ['a directory', (f: string) => mkdirSync(f), /is a directory/],
  ])('a bad --db (%s): exit 3, one line, nothing written, nothing connected', async (_n, make, re) => {
    const file = path.join(sim.tmp, `bad-${Math.random().toString(36).slice(2)}`);
    make(file);
    const before = statSync(file).isFile() ? readFileSync(file) : undefined;
    const r = await cli(['record', ...sim.args, '--db', file], { env: ENV });
    expect(r.code).toBe(3);
    expect(oneErrorLine(r)).toMatch(re);
    expect(r.stdout).toBe('');
    if (before) expect(readFileSync(file)).toEqual(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  test('a --db in a directory that cannot be written: exit 3, one line', async () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a path under a regular file cannot be created by anyone.
      const r = await cli(['record', ...sim.args, '--db', path.join(sim.paths.lnddir, 'lnd.conf', 'h.sqlite')], {
        env: ENV,
      });
      expect(r.code).toBe(3);
      expect(oneErrorLine(r)).toMatch(/cannot create the directory/);
      return;
    }
    const dir = path.join(sim.tmp, 'ro');
    await mkdir(dir);
    await chmod(dir, 0o500);
    const r = await cli(['record', ...sim.args, '--db', path.join(dir, 'h.sqlite')], { env: ENV });
    expect(r.code).toBe(3);
    expect(oneErrorLine(r)).toMatch(/read-only|cannot/);
  });

  test('--retain needs a positive number of days (exit 2)', async () => {
    const r = await cli(['record', ...sim.args, '--db', path.join(sim.tmp, 'x.sqlite'), '--retain', 'forever'], {
      env: ENV,
    });
    expect(r.code).toBe(2);
    expect(oneErrorLine(r)).toMatch(/--retain "forever"/);
  });
});

describe('--record on the live tail', () => {
  test('prints as without it and stores the same events', async () => {
    const file = path.join(sim.tmp, 'tail-record.sqlite');
    const r = await cli([...sim.args, '-f', 'jsonl', '--no-stats', '--count', String(N), '--record', '--db', file], {
      env: ENV,
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map(keyOf)).toEqual(flood);
    // Everything received was written before exit.
    expect(stored(file).keys).toEqual(flood);
  }, 180_000);

  test('--db without --record, --since or --tail is a usage error; so is --retain without --record', async () => {
    const r = await cli([...sim.args, '--db', path.join(sim.tmp, 'y.sqlite')], { env: ENV });
    expect(r.code).toBe(2);
    expect(oneErrorLine(r)).toMatch(/--db names the history database of --record, --since and --tail: add one of them/);
    const k = await cli([...sim.args, '--retain', '7'], { env: ENV });
    expect(k.code).toBe(2);
    expect(oneErrorLine(k)).toMatch(/--retain is for recording: add --record/);
  });

  test('--record with --since on a new database: created by the recorder, nothing recorded yet, then live and recorded', async () => {
    const file = path.join(sim.tmp, `since-${Math.random().toString(36).slice(2)}.sqlite`);
    const r = await cli([...sim.args, '--record', '--db', file, '--since', '1h', '-f', 'jsonl', '--count', '5'], {
      env: ENV,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/htlc-tail: /);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(stored(file).keys.length).toBeGreaterThanOrEqual(5);
  });
});

describe('demo --record', () => {
  test('into a new temporary database, its path on stderr; into a named one', async () => {
    const named = path.join(sim.tmp, 'demo.sqlite');
    for (const args of [['--record'], ['--record', named]]) {
      const r = await cli(
        ['demo', '--rate', '200', '--seed', '7', '-f', 'jsonl', '--no-stats', '--count', '40', ...args],
        { env: ENV, timeoutMs: 120_000 },
      );
      expect(r.code).toBe(0);
      const m = /demo: recording to (\S+) /.exec(r.stderr);
      expect(m).not.toBeNull();
      const file = m![1]!;
      if (args.length === 2) expect(file).toBe(named);
      const printed = jsonLines(r.stdout)
        .filter((e) => e.event !== 'gap')
        .map(keyOf);
      expect(printed).toHaveLength(40);
      const keys = new Set(stored(file).keys);
      for (const k of printed) expect(keys.has(k)).toBe(true);
    }
  }, 180_000);
});
