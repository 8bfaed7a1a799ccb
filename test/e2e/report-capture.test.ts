/**
 * `htlc-tail report FILE|-` end to end: the built CLI reports on a capture
 * (raw lines, or jsonl as the tail prints it) as it reports on the store.
 * The hand-computed fixture (test/report/fixture.ts: every figure worked out
 * by hand in its header and in report.test.ts) is written both as a raw
 * capture and as a store (through the real writer); the CLI's figures must be
 * the hand-computed ones, and a jsonl capture replayed from the store must
 * give the store's report.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getFormatter } from '../../src/format/index.js';
import { tempDir, writeStore } from '../history/helpers.js';
import { A, B, C, CHANNELS, FIXTURE, fwd, ROW_A, ROW_B, ROW_C, ROW_X, X } from '../report/fixture.js';
import { runCli, type CliResult } from './run-cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let db: string;
let raw: string;
let rawText: string;
let jsonlCapture: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('htlc-tail-report-capture-'));
  db = path.join(dir, 'h.sqlite');
  (await writeStore(db, FIXTURE, { channels: CHANNELS })).store.close();
  const f = getFormatter('raw');
  rawText = FIXTURE.map((it) => f.format(it, {} as never)).join('\n') + '\n';
  raw = path.join(dir, 'fixture.raw');
  await writeFile(raw, rawText);
  const r = await runCli(['replay', '--db', db, '-f', 'jsonl'], { timeoutMs: 30_000 });
  expect(r.code).toBe(0);
  jsonlCapture = path.join(dir, 'fixture.jsonl');
  await writeFile(jsonlCapture, r.stdout);
}, 60_000);
afterAll(() => cleanup());

const rows = (r: CliResult) => {
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
};
const report = (args: string[], input?: string) =>
  runCli(['report', ...args], { timeoutMs: 30_000, ...(input !== undefined ? { input } : {}) });

describe('report FILE: a capture', () => {
  test('a raw capture: the hand-computed figures (no aliases: a raw capture has none)', async () => {
    const [byChannel, byReason, byDay] = await Promise.all([
      report([raw, '-f', 'jsonl']),
      report([raw, '-f', 'jsonl', '--by', 'reason']),
      report([raw, '-f', 'jsonl', '--by', 'day']),
    ]);
    expect(rows(byChannel)).toEqual([
      { channel_id: B, scid: '800001x2x1', alias: null, ...ROW_B },
      { channel_id: A, scid: '800000x1x0', alias: null, ...ROW_A },
      { channel_id: C, scid: '800002x3x0', alias: null, ...ROW_C },
      { channel_id: X, scid: '900000x9x9', alias: null, ...ROW_X },
    ]);
    expect(rows(byReason)).toEqual([
      {
        wire_failure: 'TEMPORARY_CHANNEL_FAILURE',
        failure_detail: 'INSUFFICIENT_BALANCE',
        count: 2,
        amt_msat: 5_500_000,
        fee_missed_msat: 3250,
      },
      {
        wire_failure: 'FEE_INSUFFICIENT',
        failure_detail: 'NO_DETAIL',
        count: 1,
        amt_msat: 4_000_000,
        fee_missed_msat: 40,
      },
      {
        wire_failure: 'UNKNOWN_NEXT_PEER',
        failure_detail: 'NO_DETAIL',
        count: 1,
        amt_msat: 1_500_000,
        fee_missed_msat: 15,
      },
    ]);
    expect(rows(byDay)).toEqual([
      {
        start: '2026-11-30T00:00:00Z',
        ...fwd([4, 4, 2, 1, 1, 2, 3_000_000, 3000, 3000, 1, 3_000_000, 500, 1500]),
        receives: 1,
        sends: 1,
      },
      {
        start: '2026-12-01T00:00:00Z',
        ...fwd([5, 5, 1, 3, 0, 1, 9_000_000, 900, 305, 1, 2_500_000, 300, 300]),
        receives: 0,
        sends: 0,
      },
    ]);
  }, 60_000);

  test('the same capture on standard input (-); --since/--until select forwards by first seen', async () => {
    const [stdin, day2] = await Promise.all([
      report(['-', '-f', 'jsonl', '--by', 'reason'], rawText),
      report([
        raw,
        '-f',
        'jsonl',
        '--by',
        'reason',
        '--since',
        '2026-12-01T00:00:00Z',
        '--until',
        '2026-12-01T12:30:00Z',
      ]),
    ]);
    expect(rows(stdin)).toHaveLength(3);
    // Day 2 before 12:30: F6 (FEE_INSUFFICIENT) and F7 (UNKNOWN_NEXT_PEER) failed here; F9 is at 13:00.
    expect(rows(day2)).toEqual([
      {
        wire_failure: 'FEE_INSUFFICIENT',
        failure_detail: 'NO_DETAIL',
        count: 1,
        amt_msat: 4_000_000,
        fee_missed_msat: 40,
      },
      {
        wire_failure: 'UNKNOWN_NEXT_PEER',
        failure_detail: 'NO_DETAIL',
        count: 1,
        amt_msat: 1_500_000,
        fee_missed_msat: 15,
      },
    ]);
  }, 60_000);

  test.each(['channel', 'reason', 'day', 'hour'])(
    'a jsonl capture of the store reports as the store does: --by %s, every format',
    async (by) => {
      for (const format of ['jsonl', 'csv', 'markdown', 'table']) {
        const [fromStore, fromCapture] = await Promise.all([
          report(['--db', db, '--by', by, '-f', format]),
          report([jsonlCapture, '--by', by, '-f', format]),
        ]);
        expect(fromStore.code).toBe(0);
        expect(fromCapture.stdout).toBe(fromStore.stdout);
      }
    },
    60_000,
  );

  test('the table: hand-computed totals, exact sat, readable at 100 columns', async () => {
    const r = await report(['--db', db]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^channel\s+alias\s+in\s+out\s+settled\s+here\s+down\s+earned sat\s+missed sat\s+no-liq\s+p50$/,
    );
    expect(lines.at(-1)).toMatch(/^total\s+9\s+9\s+3\s+4\s+1\s+3\.9\s+3\.305\s+2\s+500 ms$/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  }, 60_000);

  test('bad input: one line on stderr, nothing on stdout', async () => {
    const garbage = path.join(dir, 'garbage.txt');
    await writeFile(garbage, 'hello\nworld\n');
    const [both, node, bad, missing] = await Promise.all([
      report([raw, '--db', db]),
      report([raw, '--node', 'x']),
      report([garbage]),
      report([path.join(dir, 'none.raw')]),
    ]);
    expect([both.code, both.stdout]).toEqual([2, '']);
    expect(both.stderr).toMatch(
      /^htlc-tail: report reads either a capture \(".*fixture\.raw"\) or the history database \(--db\), not both; drop one\n$/,
    );
    expect([node.code, node.stdout]).toEqual([2, '']);
    expect(node.stderr).toBe(
      'htlc-tail: --node selects a node of the history database; a capture holds one node: leave --node out\n',
    );
    expect([bad.code, bad.stdout]).toEqual([3, '']);
    expect(bad.stderr).toMatch(
      /^htlc-tail: report: no line of .*garbage\.txt is an event \(all 2 lines are bad\);.*\n$/,
    );
    expect([missing.code, missing.stdout]).toEqual([3, '']);
    expect(missing.stderr).toMatch(/^htlc-tail: report: cannot read .*none\.raw \(no such file\);.*\n$/);
  }, 60_000);
});
