/**
 * `htlc-tail replay --db` end to end: the built CLI reads a store written by
 * the sim's week generator (`npm run week`, through the real correlation and
 * writer). The same week written as a raw capture (the simulator's events,
 * uncorrelated, as `-f raw` writes them) and replayed by the CLI is what the
 * live tail prints for those events (same pipeline, correlation from the
 * start); the store's replay must equal it line for line, plus the aliases it
 * stored, and its `-f raw` must give the capture back byte for byte.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { generateWeek, type Week } from '@htlc-tail/lnd-sim';
import { getFormatter } from '../../src/format/index.js';
import { modelItems } from '../../src/history/fill-week.js';
import { tempDir } from '../history/helpers.js';
import { parseJsonExact } from '../history/json-exact.js';
import { runCli, type CliResult } from './run-cli.js';
import { runWeek } from './week.js';

const END = '2026-12-05T00:00:00Z';
const SEED = 3;
const N = 20_000;

let dir: string;
let cleanup: () => Promise<void>;
let db: string;
let capture: string;
let week: Week;
let rawLines: string[];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('htlc-tail-replay-db-'));
  db = path.join(dir, 'week.sqlite');
  const r = await runWeek(['--db', db, '--events', String(N), '--seed', String(SEED), '--end', END]);
  expect(r.code).toBe(0);
  week = generateWeek({ seed: SEED, events: N, endMs: Date.parse(END) });
  const raw = getFormatter('raw');
  rawLines = [...modelItems(week)].map((it) => raw.format(it, {} as never));
  capture = path.join(dir, 'week.raw');
  await writeFile(capture, rawLines.join('\n') + '\n');
}, 120_000);
afterAll(() => cleanup());

const cli = (args: string[]) => runCli(args, { timeoutMs: 60_000 });
const lines = (r: CliResult) => r.stdout.split('\n').filter((l) => l !== '');
const withoutAliases = (l: string) => l.replace(/,"(incoming|outgoing)_alias":"(?:[^"\\]|\\.)*"/g, '');

describe('replay --db', () => {
  test('-f jsonl equals the live pipeline over the same events (a raw capture replayed), with the stored aliases', async () => {
    const [fromStore, fromCapture] = await Promise.all([
      cli(['replay', '--db', db, '-f', 'jsonl']),
      cli(['replay', capture, '-f', 'jsonl']),
    ]);
    expect([fromStore.code, fromStore.stderr]).toEqual([0, '']);
    expect(fromCapture.code).toBe(0);
    const s = lines(fromStore);
    const c = lines(fromCapture);
    expect(s.length).toBe(rawLines.length);
    expect(s.map(withoutAliases)).toEqual(c);
    // Settles carry duration_ms (correlation as recorded), and gap lines are in their place.
    expect(s.filter((l) => l.includes('"duration_ms"')).length).toBeGreaterThan(1000);
    expect(s.filter((l) => l.startsWith('{"event":"gap"')).length).toBe(2);
    // Every channel the node has is named by its peer's alias, as the recorder stored it.
    const alias = new Map(
      week.node.channels.map((ch) => [ch.chanId.toString(), ch.peer.listAlias || ch.peer.graphAlias]),
    );
    let named = 0;
    for (const l of s) {
      const o = parseJsonExact(l);
      for (const side of ['incoming', 'outgoing'] as const) {
        const id = o[`${side}_channel_id`] as string | undefined;
        if (id !== undefined && alias.get(id)) {
          expect(o[`${side}_alias`]).toBe(alias.get(id));
          named++;
        }
      }
    }
    expect(named).toBeGreaterThan(s.length);
  }, 120_000);

  test('-f raw gives the capture back byte for byte (the store is lossless)', async () => {
    const r = await cli(['replay', '--db', db, '-f', 'raw']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(rawLines.join('\n') + '\n');
  }, 60_000);

  test('--since/--until select by lnd timestamp; filters and csv as on a capture', async () => {
    const from = '2026-12-01T00:00:00Z';
    const to = '2026-12-02T12:00:00Z';
    const fromNs = BigInt(Date.parse(from)) * 1_000_000n;
    const toNs = BigInt(Date.parse(to)) * 1_000_000n;
    const inRange = rawLines.filter((l) => {
      const m = /"timestamp_ns":"(\d+)"/.exec(l);
      return m !== null && BigInt(m[1]!) >= fromNs && BigInt(m[1]!) < toNs;
    });
    const r = await cli(['replay', '--db', db, '--since', from, '--until', to, '-f', 'raw']);
    expect(r.code).toBe(0);
    const events = lines(r).filter((l) => !l.startsWith('{"event":"gap"'));
    expect(events).toEqual(inRange);

    const [a, b] = await Promise.all([
      cli(['replay', '--db', db, '--since', from, '--failures', '--type', 'forward', '-f', 'csv']),
      cli(['replay', capture, '--failures', '--type', 'forward', '-f', 'csv']),
    ]);
    expect(a.code).toBe(0);
    // csv-parse's generic needs column options; these are rows of strings without them.
    /* eslint-disable @typescript-eslint/no-unnecessary-type-assertion */
    const rowsA = parseCsv(a.stdout) as string[][];
    const rowsB = parseCsv(b.stdout) as string[][];
    /* eslint-enable @typescript-eslint/no-unnecessary-type-assertion */
    expect(rowsA[0]).toEqual(rowsB[0]);
    const time = rowsB[0]!.indexOf('time');
    const aliasCols = ['incoming_alias', 'outgoing_alias'].map((k) => rowsB[0]!.indexOf(k));
    const blank = (row: string[]) => row.map((c, i) => (aliasCols.includes(i) ? '' : c));
    const expected = rowsB.slice(1).filter((row) => row[0] === 'gap' || row[time]! >= from.replace('Z', ''));
    const got = rowsA.slice(1).map(blank);
    expect(got.filter((row) => row[0] !== 'gap')).toEqual(expected.filter((row) => row[0] !== 'gap'));
    expect(got.length).toBeGreaterThan(100);
  }, 60_000);

  test('--node selects by name, alias or pubkey prefix; an unknown one is a usage error listing the nodes', async () => {
    const pub = week.node.pubkey;
    const [byAlias, byPrefix, unknown] = await Promise.all([
      cli(['replay', '--db', db, '--node', week.node.alias, '--count', '3', '-f', 'jsonl']),
      cli(['replay', '--db', db, '--node', pub.slice(0, 12), '--count', '3', '-f', 'jsonl']),
      cli(['replay', '--db', db, '--node', 'nosuchnode']),
    ]);
    expect(lines(byAlias)).toHaveLength(3);
    expect(byPrefix.stdout).toBe(byAlias.stdout);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(
      new RegExp(
        `^htlc-tail: --node "nosuchnode" matches no node in .*week\\.sqlite; it holds htlc-tail-sim \\(${pub.slice(0, 16)}…\\)\\n$`,
      ),
    );
  }, 60_000);

  test('usage: --db with a FILE, --since without --db; a missing store is exit 3 naming record; nothing written', async () => {
    const missing = path.join(dir, 'none.sqlite');
    const [both, noDb, absent] = await Promise.all([
      cli(['replay', capture, '--db', db]),
      cli(['replay', capture, '--since', '1h']),
      cli(['replay', '--db', missing]),
    ]);
    expect([both.code, both.stdout]).toEqual([2, '']);
    expect(both.stderr).toMatch(
      /^htlc-tail: replay reads either a capture \(".*week\.raw"\) or the history database \(--db\), not both; drop one\n$/,
    );
    expect([noDb.code, noDb.stdout]).toEqual([2, '']);
    expect(noDb.stderr).toMatch(/^htlc-tail: --since selects recorded history: add --db/);
    expect([absent.code, absent.stdout]).toEqual([3, '']);
    expect(absent.stderr).toMatch(
      /^htlc-tail: no history database at .*none\.sqlite: record first with `htlc-tail record`/,
    );
    // A read never writes: the store's content is unchanged by all the above (and no file appeared for the missing one).
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT count(*) FROM events').pluck().get()).toBe(rawLines.length - 2);
    d.close();
    const { existsSync } = await import('node:fs');
    expect(existsSync(missing)).toBe(false);
  }, 60_000);

  test('bad databases: not SQLite, another program, newer, corrupt: exit 3, one line, the file untouched (replay --db and the tail --since)', async () => {
    const { copyFile, readFile } = await import('node:fs/promises');
    const fs = await import('node:fs');
    const notDb = path.join(dir, 'notes.txt');
    await writeFile(notDb, 'x'.repeat(500));
    const other = path.join(dir, 'other.sqlite');
    const o = new Database(other);
    o.exec('CREATE TABLE invoices (x)');
    o.close();
    const newer = path.join(dir, 'newer.sqlite');
    await copyFile(db, newer);
    const n = new Database(newer);
    n.pragma('user_version = 99');
    n.pragma('journal_mode = DELETE');
    n.close();
    const corrupt = path.join(dir, 'corrupt.sqlite');
    const c = new Database(db, { readonly: true });
    c.prepare('VACUUM INTO ?').run(corrupt);
    c.close();
    const size = fs.statSync(corrupt).size;
    const fd = fs.openSync(corrupt, 'r+');
    fs.writeSync(fd, Buffer.alloc(size - 8192, 0x5a), 0, size - 8192, 8192);
    fs.closeSync(fd);
    const cases: Array<[string, RegExp]> = [
      [notDb, /notes\.txt is not an SQLite database, so not an htlc-tail history; /],
      [
        other,
        /other\.sqlite is an SQLite database of another program \(tables invoices\), not an htlc-tail history; htlc-tail leaves it untouched/,
      ],
      [
        newer,
        /newer\.sqlite was written by a newer htlc-tail \(history schema version 99; this htlc-tail reads up to \d+\)/,
      ],
      [corrupt, /the history database .*corrupt\.sqlite is corrupt \(.*\); restore it from a backup, or move it away/],
    ];
    for (const [file, msg] of cases) {
      const before = await readFile(file);
      const viaReplay = await cli(['replay', '--db', file, '-f', 'jsonl']);
      expect({ file, code: viaReplay.code, stdout: viaReplay.stdout }).toEqual({ file, code: 3, stdout: '' });
      expect(viaReplay.stderr).toMatch(new RegExp('^htlc-tail: .*' + msg.source));
      expect(viaReplay.stderr.trimEnd().split('\n')).toHaveLength(1);
      // The tail checks the store before it connects (no node is needed to see the refusal).
      if (file !== corrupt) {
        const viaTail = await cli([
          '--db',
          file,
          '--since',
          '1h',
          '--rpcserver',
          '127.0.0.1:9',
          '--macaroonpath',
          notDb,
          '--tlscertpath',
          notDb,
        ]);
        expect({ file, code: viaTail.code, stdout: viaTail.stdout }).toEqual({ file, code: 3, stdout: '' });
        expect(viaTail.stderr).toMatch(new RegExp('^htlc-tail: .*' + msg.source));
      }
      // Buffer.equals: a deep toEqual of megabytes takes Jest tens of seconds.
      expect((await readFile(file)).equals(before)).toBe(true);
      expect(fs.existsSync(file + '-wal')).toBe(false);
    }
  }, 90_000);

  test('--db without a file reads HTLC_TAIL_DB; --count and a closed pipe end it early with exit 0', async () => {
    const r = await runCli(['replay', '--db', '--count', '5', '-f', 'jsonl'], {
      env: { HTLC_TAIL_DB: db },
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(0);
    expect(lines(r)).toHaveLength(5);
  }, 60_000);
});
