/**
 * The live tail's `--since TIME` / `--tail N` end to end: the built CLI
 * against the simulated node (real gRPC, TLS, macaroons) and a real store
 * written through the real writer (as a recorder does, keyed by the node's
 * GetInfo pubkey). The sim's stream starts with events the store already
 * holds (the seam's overlap) and goes on with new ones, some arriving while
 * the store is being read and some after: every event must be printed exactly
 * once, in order, recorded first.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HtlcEventObject, ScenarioStep } from '@htlc-tail/lnd-sim';
import { ev, info, writeStore } from '../history/helpers.js';
import type { HtlcEvent } from '../../src/events/model.js';
import { runCli, type CliResult } from './run-cli.js';
import { startSimFixture, type SimFixture } from './sim-fixture.js';

let fx: SimFixture;
let db: string;
/** Recorded events, then live-only ones. */
const RECORDED = 30_000;
const OVERLAP = 300;
const LIVE = 600;
const T0 = (BigInt(Date.now()) - 30n * 60_000n) * 1_000_000n;

const tsOf = (i: number) => (T0 + BigInt(i) * 50_000_000n).toString();
const htlcId = (i: number) => String(1_000_000 + i);

function model(i: number, inCh: string, outCh: string): HtlcEvent {
  return ev.forward(
    tsOf(i),
    { inChan: inCh, inId: htlcId(i), outChan: outCh, outId: htlcId(i) },
    info('1001000', '1000000'),
  );
}

function wire(i: number, inCh: string, outCh: string): HtlcEventObject {
  return {
    incoming_channel_id: inCh,
    incoming_htlc_id: htlcId(i),
    outgoing_channel_id: outCh,
    outgoing_htlc_id: htlcId(i),
    timestamp_ns: tsOf(i),
    event_type: 'FORWARD',
    forward_event: {
      info: {
        incoming_timelock: 900_100,
        outgoing_timelock: 900_060,
        incoming_amt_msat: '1001000',
        outgoing_amt_msat: '1000000',
      },
    },
  };
}

/** The sim's stream: the last OVERLAP recorded events again, then LIVE new ones in bursts over ~2 s (during and after the read). */
function liveSteps(inCh: string, outCh: string): ScenarioStep[] {
  const steps: ScenarioStep[] = [];
  for (let i = RECORDED - OVERLAP; i < RECORDED; i++) steps.push({ send: wire(i, inCh, outCh) });
  for (let i = RECORDED; i < RECORDED + LIVE; i++) {
    if (i % 50 === 0) steps.push({ sleep: 150 });
    steps.push({ send: wire(i, inCh, outCh) });
  }
  return steps;
}

const htlcIdsOf = (r: CliResult) =>
  r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Number(/"incoming_htlc_id":"(\d+)"/.exec(l)![1]) - 1_000_000);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

beforeAll(async () => {
  fx = await startSimFixture({ seed: 7 });
  const inCh = fx.chan(0);
  const outCh = fx.chan(1);
  fx.node.setScenario({ steps: liveSteps(inCh, outCh) });
  db = path.join(fx.tmp, 'history.sqlite');
  const events = range(0, RECORDED).map((i) => model(i, inCh, outCh));
  const { store } = await writeStore(db, events, { identity: fx.node.node.pubkey, alias: 'sim' });
  store.close();
}, 120_000);
afterAll(() => fx.cleanup());

const tail = (args: string[], env?: Record<string, string>) =>
  runCli([...fx.args, '--db', db, ...args], { timeoutMs: 60_000, ...(env ? { env } : {}) });

describe('--since / --tail: recorded events, then live, at the seam nothing lost or doubled', () => {
  test('--since: every recorded event since TIME, then the live ones; the overlap printed once, in order', async () => {
    const r = await tail(['--since', '1h', '-f', 'jsonl', '--count', String(RECORDED + LIVE)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(htlcIdsOf(r)).toEqual(range(0, RECORDED + LIVE));
  }, 90_000);

  test('--since a time inside the history starts there (the time index); live events carry on', async () => {
    const since = new Date(Number(BigInt(tsOf(RECORDED - 1000)) / 1_000_000n)).toISOString();
    const r = await tail(['--since', since, '-f', 'jsonl', '--count', String(1000 + LIVE)]);
    expect(r.code).toBe(0);
    expect(htlcIdsOf(r)).toEqual(range(RECORDED - 1000, RECORDED + LIVE));
  }, 90_000);

  test('--tail N: the last N recorded before the seam (the overlap came live), then live; csv has one header', async () => {
    const r = await tail(['--tail', '10', '-f', 'csv', '--count', String(10 + OVERLAP + LIVE)]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\r\n').filter((l) => l !== '');
    expect(rows[0]).toMatch(/^event,event_type,time,/);
    expect(rows.slice(1).map((l) => Number(l.split(',')[6]) - 1_000_000)).toEqual(
      range(RECORDED - OVERLAP - 10, RECORDED + LIVE),
    );
  }, 90_000);

  test('a node the store does not know: one notice, then live', async () => {
    const other = path.join(fx.tmp, 'other.sqlite');
    const { store } = await writeStore(other, [model(0, fx.chan(0), fx.chan(1))], { identity: '03' + 'cd'.repeat(32) });
    store.close();
    const r = await runCli(
      [...fx.args, '--db', other, '--tail', '5', '-f', 'jsonl', '--count', String(OVERLAP + LIVE)],
      { timeoutMs: 60_000 },
    );
    expect(r.code).toBe(0);
    expect(htlcIdsOf(r)).toEqual(range(RECORDED - OVERLAP, RECORDED + LIVE));
    expect(r.stderr).toMatch(
      new RegExp(
        `^htlc-tail: .*other\\.sqlite holds no recorded events of this node \\(${fx.node.node.pubkey}\\) yet; going on live\\n$`,
      ),
    );
  }, 90_000);

  test('usage and bad stores end the run before it connects, one line, nothing written', async () => {
    const missing = path.join(fx.tmp, 'none.sqlite');
    const notDb = path.join(fx.tmp, 'not.sqlite');
    await writeFile(
      notDb,
      'not a database, just text that is long enough to have a header of a hundred bytes......................',
    );
    const newer = path.join(fx.tmp, 'newer.sqlite');
    const { store } = await writeStore(newer, []);
    store.db.pragma('user_version = 99');
    store.close();
    const [noStore, both, badN, bad, tooNew] = await Promise.all([
      runCli([...fx.args, '--db', missing, '--since', '1h'], { timeoutMs: 30_000 }),
      tail(['--since', '1h', '--tail', '5']),
      tail(['--tail', '0']),
      runCli([...fx.args, '--db', notDb, '--since', '2h'], { timeoutMs: 30_000 }),
      runCli([...fx.args, '--db', newer, '--tail', '3'], { timeoutMs: 30_000 }),
    ]);
    expect([noStore.code, noStore.stdout]).toEqual([2, '']);
    expect(noStore.stderr).toMatch(
      /^htlc-tail: --since prints recorded events, and there is no history database at .*none\.sqlite \(--db\); record one first with `htlc-tail record`.*\n$/,
    );
    expect([both.code, both.stdout]).toEqual([2, '']);
    expect(both.stderr).toBe(
      'htlc-tail: --since and --tail both choose the recorded events to print first; give one of them\n',
    );
    expect([badN.code, badN.stdout]).toEqual([2, '']);
    expect(badN.stderr).toMatch(/^htlc-tail: --tail "0" is not a positive whole number/);
    expect([bad.code, bad.stdout]).toEqual([3, '']);
    expect(bad.stderr).toMatch(
      /^htlc-tail: .*not\.sqlite is not an SQLite database, so not an htlc-tail history;.*\n$/,
    );
    expect([tooNew.code, tooNew.stdout]).toEqual([3, '']);
    expect(tooNew.stderr).toMatch(
      /^htlc-tail: .*newer\.sqlite was written by a newer htlc-tail \(history schema version 99; this htlc-tail reads up to \d+\).*\n$/,
    );
    for (const r of [noStore, bad, tooNew]) expect(r.stderr.split('\n')).toHaveLength(2);
    const { existsSync } = await import('node:fs');
    expect(existsSync(missing)).toBe(false);
    const d = new Database(newer, { readonly: true });
    expect(d.pragma('user_version', { simple: true })).toBe(99);
    d.close();
  }, 90_000);
});
