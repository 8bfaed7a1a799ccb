/**
 * `htlc-tail report` end to end: the built CLI on a store written by the sim's
 * week generator (`npm run week`: dist/history/week-main.js, through the real writer), every
 * `--by` and format, the figures recomputed independently here from the
 * generated events (plain JS over the event list, per SPEC "Report"), the
 * default database location, and every bad database as one line with exit 3
 * and nothing on stdout.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { Correlator } from '../../src/events/correlate.js';
import type { HtlcEvent } from '../../src/events/model.js';
import { generateWeek } from '@htlc-tail/lnd-sim';
import { modelItems } from '../../src/history/fill-week.js';
import { tempDir } from '../history/helpers.js';
import { parseJsonExact } from '../history/json-exact.js';
import { BIN, cleanEnv, runCli, type CliResult } from './run-cli.js';
import { runWeek, WEEK_BIN } from './week.js';

const END = '2026-12-05T18:30:00Z';
const SEED = 5;
const N = 20_000;

let dir: string;
let cleanup: () => Promise<void>;
let db: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('htlc-tail-report-'));
  await chmod(dir, 0o755);
  db = path.join(dir, 'week.sqlite');
  const r = await runWeek([
    '--db',
    db,
    '--events',
    String(N),
    '--seed',
    String(SEED),
    '--end',
    END,
    '--hostile-aliases',
  ]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(
    /^htlc-tail-week: wrote \d+ events and 2 gaps of node htlc-tail-sim \(\w+…\), 2026-11-28T18:30:00.000Z to 2026-12-05T18:30:00.000Z, into .*week\.sqlite in \d+ ms\n$/,
  );
}, 120_000);
afterAll(() => cleanup());

/** Runs a built binary, as the unprivileged `nobody` when the tests run as root (so file permissions apply). */
function runAsUser(bin: string, args: string[]): Promise<CliResult> {
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: cleanEnv({ HOME: '/nonexistent' }), ...asUser });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (x: Buffer) => (stdout += x.toString()));
    child.stderr.on('data', (x: Buffer) => (stderr += x.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const report = (args: string[], env?: Record<string, string>) =>
  runCli(['report', ...args], { timeoutMs: 60_000, ...(env ? { env } : {}) });

/** SPEC "Report" --by channel, computed here by plain JS over the events (no SQL, no code under test). */
function expectedByChannel(): Map<string, Record<string, string | null>> {
  const week = generateWeek({ seed: SEED, events: N, endMs: Date.parse(END), hostileAliases: true });
  const c = new Correlator();
  interface Fwd {
    inChan: string;
    outChan?: string;
    inAmt?: bigint;
    outAmt?: bigint;
    fwdNs?: bigint;
    settleNs?: bigint;
    down: boolean;
    here: boolean;
    detail?: number;
  }
  const fwds = new Map<string, Fwd>();
  for (const item of modelItems(week)) {
    if (item.event === 'gap') continue;
    const e: HtlcEvent = c.apply({ ...item });
    if (e.eventType !== 3 || !['forward', 'settle', 'forward_fail', 'link_fail'].includes(e.event)) continue;
    const k = `${e.incomingChannelId}:${e.incomingHtlcId}`;
    const f = fwds.get(k) ?? { inChan: e.incomingChannelId, down: false, here: false };
    fwds.set(k, f);
    const ts = BigInt(e.timestampNs);
    if (e.event === 'forward' || e.event === 'link_fail') {
      f.outChan ??= e.outgoingChannelId;
      if (e.info && f.inAmt === undefined) {
        f.inAmt = BigInt(e.info.incomingAmtMsat);
        f.outAmt = BigInt(e.info.outgoingAmtMsat);
      }
      if (f.fwdNs === undefined || ts < f.fwdNs) f.fwdNs = ts;
    }
    if (e.event === 'settle' && (f.settleNs === undefined || ts < f.settleNs)) f.settleNs = ts;
    if (e.event === 'forward_fail') f.down = true;
    if (e.event === 'link_fail') {
      f.here = true;
      f.detail ??= e.failureDetail;
    }
    f.outChan ??= e.outgoingChannelId;
  }
  const rows = new Map<string, { n: Record<string, bigint>; settle: bigint[] }>();
  const row = (ch: string) => {
    let r = rows.get(ch);
    if (!r) rows.set(ch, (r = { n: {}, settle: [] }));
    return r;
  };
  const add = (r: { n: Record<string, bigint> }, k: string, v: bigint | number) =>
    (r.n[k] = (r.n[k] ?? 0n) + BigInt(v));
  for (const f of fwds.values()) {
    const outcome = f.settleNs !== undefined ? 'settled' : f.down ? 'down' : f.here ? 'here' : 'flight';
    const fee =
      f.inAmt !== undefined && f.outAmt !== undefined && f.inAmt !== 0n && f.outAmt !== 0n
        ? f.inAmt - f.outAmt
        : undefined;
    const i = row(f.inChan);
    add(i, 'in_forwards', 1);
    if (outcome === 'settled') add(i, 'in_settled', 1);
    if (f.outChan === undefined || f.outChan === '0') continue;
    const o = row(f.outChan);
    add(o, 'out_forwards', 1);
    if (outcome === 'settled') {
      add(o, 'out_settled', 1);
      add(o, 'out_amt_msat', f.outAmt ?? 0n);
      if (fee !== undefined) add(o, 'fee_earned_msat', fee);
      if (f.fwdNs !== undefined) o.settle.push(f.settleNs! - f.fwdNs);
    }
    if (outcome === 'down') add(o, 'out_failed_downstream', 1);
    if (outcome === 'here') {
      add(o, 'out_failed_here', 1);
      if (fee !== undefined) add(o, 'fee_missed_msat', fee);
      if (f.detail === 6) {
        add(o, 'no_liquidity', 1);
        add(o, 'no_liquidity_msat', f.outAmt ?? 0n);
      }
    }
  }
  const ms = (ns: bigint) => {
    const s = (ns < 0n ? -ns : ns).toString().padStart(7, '0');
    const txt = (s.slice(0, -6).replace(/^0+(?=\d)/, '') + '.' + s.slice(-6)).replace(/\.?0+$/, '');
    return (ns < 0n ? '-' : '') + (txt === '' ? '0' : txt);
  };
  const out = new Map<string, Record<string, string | null>>();
  for (const [ch, r] of rows) {
    const keys = [
      'in_forwards',
      'out_forwards',
      'out_settled',
      'out_failed_here',
      'out_failed_downstream',
      'in_settled',
      'out_amt_msat',
      'fee_earned_msat',
      'fee_missed_msat',
      'no_liquidity',
      'no_liquidity_msat',
    ];
    const rec: Record<string, string | null> = Object.fromEntries(keys.map((k) => [k, (r.n[k] ?? 0n).toString()]));
    const sorted = [...r.settle].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const rank = (p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
    rec.settle_p50_ms = sorted.length ? ms(rank(50)) : null;
    rec.settle_p90_ms = sorted.length ? ms(rank(90)) : null;
    out.set(ch, rec);
  }
  return out;
}

describe('report on a recorded week', () => {
  test('--by channel -f jsonl: every figure as recomputed independently from the events', async () => {
    const r = await report(['--db', db, '-f', 'jsonl']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const rows = r.stdout.trimEnd().split('\n').map(parseJsonExact);
    const expected = expectedByChannel();
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      const { channel_id, scid, alias, ...figures } = row as Record<string, string | null>;
      void scid;
      void alias;
      expect({ channel_id, ...figures }).toEqual({ channel_id, ...expected.get(channel_id!) });
    }
    const outs = rows.map((x) => BigInt(x.out_forwards as string));
    expect(outs).toEqual([...outs].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
  }, 60_000);

  test('a store whose htlcs a recorder left behind (a burst, then killed): the report derives the rest first; read-only, into its own copy', async () => {
    const expected = expectedByChannel();
    const figures = (r: CliResult) =>
      new Map(
        r.stdout
          .trimEnd()
          .split('\n')
          .map(parseJsonExact)
          .map((row) => {
            const { channel_id, scid, alias, ...rest } = row as Record<string, string | null>;
            void scid;
            void alias;
            return [channel_id!, rest] as const;
          }),
      );
    const behind = async (name: string): Promise<string> => {
      const sub = path.join(dir, name);
      await mkdir(sub, { mode: 0o777 });
      await chmod(sub, 0o777);
      const file = path.join(sub, 'behind.sqlite');
      await copyFile(db, file);
      const d = new Database(file);
      d.exec("DELETE FROM htlcs; UPDATE meta SET value = '0' WHERE key = 'htlcs_derived_to'");
      d.close();
      return file;
    };
    const state = (file: string) => {
      const d = new Database(file, { readonly: true });
      try {
        return {
          htlcs: d.prepare('SELECT count(*) FROM htlcs').pluck().get() as number,
          derivedTo: d.prepare("SELECT value FROM meta WHERE key = 'htlcs_derived_to'").pluck().get(),
          maxId: String(d.prepare('SELECT max(id) FROM events').pluck().get()),
        };
      } finally {
        d.close();
      }
    };
    // Writable: derived into the file, then read.
    const rw = await behind('behind-rw');
    const a = await report(['--db', rw, '-f', 'jsonl']);
    expect({ code: a.code, stderr: a.stderr }).toEqual({ code: 0, stderr: '' });
    expect(figures(a)).toEqual(expected);
    const after = state(rw);
    expect(after.derivedTo).toBe(after.maxId);
    expect(after.htlcs).toBeGreaterThan(0);
    // Read-only for this user: the same figures from its own temporary copy, the file untouched.
    const ro = await behind('behind-ro');
    await chmod(ro, 0o444);
    const b = await runAsUser(BIN, ['report', '--db', ro, '-f', 'jsonl']);
    expect({ code: b.code, stderr: b.stderr }).toEqual({ code: 0, stderr: '' });
    expect(figures(b)).toEqual(expected);
    expect(state(ro)).toMatchObject({ htlcs: 0, derivedTo: '0' });
  }, 60_000);

  test('table: readable at 100 columns, unknown channel ids folded, a total row; csv parses; markdown ends with the total', async () => {
    const t = await report(['--db', db]);
    expect(t.code).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^channel\s+alias\s+in\s+out\s+settled\s+here\s+down\s+earned sat\s+missed sat\s+no-liq\s+p50$/,
    );
    expect(lines.at(-1)).toMatch(/^total\s+\d+\s+\d+/);
    expect(lines.some((l) => /^others\s+\d+ unknown chan/.test(l))).toBe(true);
    expect(lines.length).toBeLessThan(12);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(100);
    expect(t.stdout).toContain('bad\\x1b[31m'); // the alias with ESC, shown escaped
    expect(t.stdout).not.toContain('\u001b');

    const csv = await report(['--db', db, '--by', 'day', '-f', 'csv']);
    const recs = parseCsv<Record<string, string>>(csv.stdout, { columns: true });
    expect(recs.map((x) => x.start)).toEqual([
      '2026-11-28T00:00:00Z',
      '2026-11-29T00:00:00Z',
      '2026-11-30T00:00:00Z',
      '2026-12-01T00:00:00Z',
      '2026-12-02T00:00:00Z',
      '2026-12-03T00:00:00Z',
      '2026-12-04T00:00:00Z',
      '2026-12-05T00:00:00Z',
    ]);
    expect(recs.every((x) => Number(x.receives) > 0 && Number(x.sends) > 0)).toBe(true);

    const md = await report(['--db', db, '--by', 'reason', '-f', 'markdown']);
    const mdLines = md.stdout.trimEnd().split('\n');
    expect(mdLines[0]).toBe('| wire_failure | failure_detail | count | amt_msat | fee_missed_msat |');
    expect(mdLines[2]).toMatch(/^\| TEMPORARY_CHANNEL_FAILURE \| INSUFFICIENT_BALANCE \| \d+ \| \d+ \| \d+ \|$/);
    expect(mdLines.at(-1)).toMatch(/^\| \*\*total\*\* \| {2}\| \*\*\d+\*\* \|/);
  }, 60_000);

  test.each([['peer'], ['hour']])(
    '--by %s in every format',
    async (by) => {
      for (const f of ['table', 'jsonl', 'csv', 'markdown']) {
        const r = await report([
          '--db',
          db,
          '--by',
          by,
          '-f',
          f,
          '--since',
          '2026-12-04T00:00:00Z',
          '--until',
          '2026-12-05',
        ]);
        expect({ by, f, code: r.code, stderr: r.stderr }).toEqual({ by, f, code: 0, stderr: '' });
        expect(r.stdout.length).toBeGreaterThan(100);
      }
    },
    60_000,
  );

  test('the database from HTLC_TAIL_DB, else $XDG_DATA_HOME/htlc-tail/history.sqlite', async () => {
    const viaEnv = await report(['-f', 'jsonl', '--by', 'reason'], { HTLC_TAIL_DB: db, HOME: '/nonexistent' });
    expect(viaEnv.code).toBe(0);
    const xdg = path.join(dir, 'xdg');
    await mkdir(path.join(xdg, 'htlc-tail'), { recursive: true });
    await copyFile(db, path.join(xdg, 'htlc-tail', 'history.sqlite'));
    const viaXdg = await report(['-f', 'jsonl', '--by', 'reason'], { XDG_DATA_HOME: xdg, HOME: '/nonexistent' });
    expect(viaXdg.stdout).toBe(viaEnv.stdout);
    const none = await report([], { HOME: path.join(dir, 'nohome') });
    expect(none.code).toBe(3);
    expect(none.stderr).toBe(
      `htlc-tail: no history database at ${path.join(dir, 'nohome', '.local/share/htlc-tail/history.sqlite')}: record first with \`htlc-tail record\`, or name an existing one with --db FILE\n`,
    );
  }, 60_000);

  test('sqlite3 can query the store as the README shows', () => {
    if (spawnSync('sqlite3', ['-version'], { stdio: 'ignore' }).status !== 0) {
      console.warn('skipped: the sqlite3 command is not installed');
      return;
    }
    const q = (sql: string) => spawnSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8' });
    const kinds = q('SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind;');
    expect(kinds.status).toBe(0);
    expect(kinds.stdout).toMatch(/^final_htlc\|\d+\nforward\|\d+\nforward_fail\|\d+\nlink_fail\|\d+\nsettle\|\d+\n$/);
    expect(q('SELECT time FROM events ORDER BY id LIMIT 1;').stdout).toMatch(
      /^2026-11-2[89]T\d\d:\d\d:\d\d\.\d{9}Z\n$/,
    );
    expect(q('SELECT outcome FROM htlcs WHERE event_type = 3 GROUP BY outcome ORDER BY outcome;').stdout).toBe(
      'failed_downstream\nfailed_here\nsettled\n',
    );
    const named = q(
      "SELECT n.name, count(*) FROM htlcs h JOIN enum_names n ON n.enum = 'failure_detail' AND n.code = h.failure_detail WHERE h.event_type = 3 AND h.outcome = 'failed_here' GROUP BY 1 ORDER BY 1;",
    );
    expect(named.stdout).toMatch(
      /^CIRCULAR_ROUTE\|\d+\nHTLC_EXCEEDS_MAX\|\d+\nINSUFFICIENT_BALANCE\|\d+\nLINK_NOT_ELIGIBLE\|\d+\nNO_DETAIL\|\d+\n$/,
    );
  });
});

describe('bad input', () => {
  const oneLine = (r: CliResult, code: number, msg: RegExp) => {
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code, stdout: '' });
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  };

  test('not SQLite, another program, newer, corrupt: exit 3, one line, the file untouched', async () => {
    const notes = path.join(dir, 'notes.txt');
    await writeFile(notes, 'x'.repeat(500));
    oneLine(
      await report(['--db', notes]),
      3,
      /^htlc-tail: .*notes\.txt is not an SQLite database, so not an htlc-tail history; /,
    );

    const other = path.join(dir, 'other.sqlite');
    const o = new Database(other);
    o.exec('CREATE TABLE t (x)');
    o.close();
    oneLine(await report(['--db', other]), 3, /another program \(tables t\)/);

    const newer = path.join(dir, 'newer.sqlite');
    await copyFile(db, newer);
    const n = new Database(newer);
    n.pragma('user_version = 99');
    n.close();
    oneLine(
      await report(['--db', newer]),
      3,
      /was written by a newer htlc-tail \(history schema version 99; this htlc-tail reads up to \d+\); upgrade htlc-tail/,
    );

    const corrupt = path.join(dir, 'corrupt.sqlite');
    const c = new Database(db, { readonly: true });
    await c.backup(corrupt);
    c.close();
    const fix = new Database(corrupt);
    fix.pragma('journal_mode = DELETE');
    fix.close();
    const fs = await import('node:fs');
    // Every page after the schema page overwritten: whatever the report reads first is damaged.
    const size = fs.statSync(corrupt).size;
    const fd = fs.openSync(corrupt, 'r+');
    fs.writeSync(fd, Buffer.alloc(size - 4096, 0x5a), 0, size - 4096, 4096);
    fs.closeSync(fd);
    oneLine(
      await report(['--db', corrupt, '--by', 'day']),
      3,
      /^htlc-tail: the history database .*corrupt\.sqlite is corrupt \(.*\); restore it from a backup, or move it away/,
    );
  }, 60_000);

  test('usage errors: an unknown --node, a bad --since, --since after --until, an unknown --by', async () => {
    oneLine(
      await report(['--db', db, '--node', 'carol']),
      2,
      /^htlc-tail: --node "carol" matches no node in .*week\.sqlite; it holds htlc-tail-sim \(/,
    );
    oneLine(
      await report(['--db', db, '--since', 'yesterday']),
      2,
      /^htlc-tail: --since "yesterday" is not a time; give an RFC 3339 time/,
    );
    oneLine(await report(['--db', db, '--since', '1d', '--until', '2d']), 2, /--since "1d" is not before --until "2d"/);
    oneLine(await report(['--db', db, '--by', 'week']), 2, /--by/);
  }, 60_000);

  test('a store that needs writing (an older version) in a read-only place: exit 3, the remedy named', async () => {
    const ro = path.join(dir, 'ro');
    await mkdir(ro, { mode: 0o755 });
    const file = path.join(ro, 'old.sqlite');
    const o = new Database(file);
    const { migrate, MIGRATIONS } = await import('../../src/history/schema.js');
    migrate(o, 0, MIGRATIONS, 1);
    o.pragma('journal_mode = DELETE');
    o.close();
    await chmod(file, 0o444);
    await chmod(ro, 0o555);
    const r = await runAsUser(BIN, ['report', '--db', file]);
    oneLine(
      r,
      3,
      /has history schema version 1 and must be upgraded to \d+ before it can be read, but it cannot be written; make it writable once/,
    );
    await chmod(ro, 0o755);
    if (process.getuid?.() === 0) await chown(file, 0, 0);
  }, 60_000);

  test('writing to a read-only file or into a read-only directory: exit 3, one line, nothing written', async () => {
    const base = path.join(dir, 'rw');
    await mkdir(base, { mode: 0o755 });
    await chmod(base, 0o755);
    const roFile = path.join(base, 'readonly.sqlite');
    await copyFile(db, roFile);
    await chmod(roFile, 0o444);
    const roDir = path.join(dir, 'rodir');
    await mkdir(roDir, { mode: 0o755 });
    const inRoDir = path.join(roDir, 'h.sqlite');
    await copyFile(db, inRoDir);
    if (process.getuid?.() === 0) await chown(inRoDir, 65534, 65534);
    await chmod(roDir, 0o555);
    const week = (file: string) => runAsUser(WEEK_BIN, ['--db', file, '--events', '100']);
    const before = (await import('node:fs')).readFileSync(roFile);
    const a = await week(roFile);
    expect({ code: a.code, stderr: a.stderr }).toEqual({
      code: 3,
      stderr: `htlc-tail-week: cannot write the history database ${roFile}: the file is read-only; make it writable, or give another file with --db FILE\n`,
    });
    expect((await import('node:fs')).readFileSync(roFile).equals(before)).toBe(true);
    const b = await week(inRoDir);
    expect({ code: b.code, stderr: b.stderr }).toEqual({
      code: 3,
      stderr: `htlc-tail-week: cannot write the history database ${inRoDir}: its directory ${roDir} is read-only (SQLite writes its journal files there); make it writable, or give another file with --db FILE\n`,
    });
    const fs = await import('node:fs');
    expect(fs.existsSync(inRoDir + '-wal')).toBe(false);
    // Reading it there: a WAL database needs its -shm file beside it.
    const rep = await runAsUser(BIN, ['report', '--db', inRoDir]);
    expect({ code: rep.code, stdout: rep.stdout, stderr: rep.stderr }).toEqual({
      code: 3,
      stdout: '',
      stderr: `htlc-tail: cannot read the history database ${inRoDir}: its directory ${roDir} is not writable, and SQLite needs to create the database's -shm file there to read it; make the directory writable, or copy the file somewhere writable\n`,
    });
    await chmod(roDir, 0o755);
  }, 60_000);

  test('report --help explains the columns', async () => {
    const r = await runCli(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--by <key>');
    expect(r.stdout).toContain('no-liq       link failures for insufficient outgoing balance');
  });
});
