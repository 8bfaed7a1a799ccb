/**
 * Issue 11, items 5 and 6, end to end on the core scenario (see
 * sim-fixture.ts; channels A..F have the peer aliases ACINQ,
 * WalletOfSatoshi.com, ⚡ Zürich-node, LNBiG [Hub-3], bad<ESC>[31malias,
 * none): a `--channel` alias that matches no alias of the node gets one
 * warning naming the closest ones once the aliases are loaded; a malformed
 * short channel id is a usage error naming the option; `--reason` keeps the
 * link_fails of those failure names.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { jsonLines, type CliResult } from './run-cli.js';
import {
  cli,
  coreScenario,
  errorLines,
  expectExit,
  oneErrorLine,
  pooled,
  startSimFixture,
  stepOf,
  type SimFixture,
} from './sim-fixture.js';

let fx: SimFixture;
const pool = pooled<CliResult>(3);
const tail = (args: string[]) => pool(() => cli([...fx.args, '-f', 'jsonl', '--no-reconnect', ...args]));
const warnings = (r: CliResult) => r.stderr.split('\n').filter((l) => /^htlc-tail: warning: /.test(l));

beforeAll(async () => {
  fx = await startSimFixture({ seed: 1, scenario: (n) => coreScenario(n, 'end') });
}, 60_000);

afterAll(async () => {
  await fx?.cleanup();
});

describe('--channel NAME that matches no alias of the node', () => {
  test('one warning naming the closest aliases; nothing kept; the stream runs to its end', async () => {
    const r = await tail(['--channel', 'ACNIQ']);
    expectExit(r, 6);
    expect(r.stdout).toBe('');
    const w = warnings(r);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(
      /^htlc-tail: warning: --channel "ACNIQ" matches no peer alias of this node's channels.*closest: "ACINQ"/,
    );
    expect(errorLines(r.stderr)).toHaveLength(1); // the end of the stream (--no-reconnect)
  });

  test('--in-channel and --out-channel too, one warning each', async () => {
    const r = await tail(['--in-channel', 'walletofsatoshi', '--out-channel', 'zurich']);
    expectExit(r, 6);
    const w = warnings(r);
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/--in-channel "walletofsatoshi" .*closest: "WalletOfSatoshi\.com"/);
    expect(w[1]).toMatch(/--out-channel "zurich" .*closest: /);
  });

  test('an alias that matches (any case): no warning, its events kept', async () => {
    const r = await tail(['--channel', 'acinq', '--event', 'forward']);
    expectExit(r, 6);
    expect(warnings(r)).toEqual([]);
    expect(jsonLines(r.stdout).map(stepOf)).toEqual([1, 18]);
  });
});

describe('a malformed short channel id is a usage error naming the option', () => {
  test.each([
    ['--channel', '123:1:0', /--channel "123:1:0" is not a channel id: write it 123x1x0/],
    ['--channel', '1x2', /--channel "1x2" is not a channel id: a short channel id has three parts/],
    ['--in-channel', '1x2x3x4', /--in-channel "1x2x3x4" is not a channel id/],
    ['--out-channel', '99999999x1x1', /--out-channel "99999999x1x1" is out of range/],
  ])('%s %s', async (option, value, msg) => {
    const r = await tail([option, value]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneErrorLine(r)).toMatch(msg);
  });
});

describe('--reason NAME[,NAME]', () => {
  test.each([
    [['insufficient_balance'], [7]],
    [['INSUFFICIENT_BALANCE'], [7]],
    [['temporary_channel_failure'], [7]],
    [['unknown_invoice,link_not_eligible'], [11, 17]],
    [
      ['unknown_next_peer', 'incorrect_or_unknown_payment_details'],
      [11, 17],
    ],
    [['fee_insufficient'], []],
  ])('%j keeps steps %j (link_fails only: forward_fail and final_htlc carry no reason)', async (names, steps) => {
    const r = await tail(names.flatMap((n) => ['--reason', n]));
    expectExit(r, 6);
    expect(jsonLines(r.stdout).map(stepOf)).toEqual(steps);
  });

  test('with other filters: AND', async () => {
    const r = await tail(['--reason', 'unknown_invoice,link_not_eligible', '--type', 'send']);
    expectExit(r, 6);
    expect(jsonLines(r.stdout).map(stepOf)).toEqual([17]);
  });

  test('an unknown name: exit 2, the closest named and the valid names listed', async () => {
    const r = await tail(['--reason', 'insuficient_balance']);
    expect(r.code).toBe(2);
    const line = oneErrorLine(r);
    expect(line).toMatch(
      /--reason "insuficient_balance" is not a failure name \(did you mean insufficient_balance\?\)/,
    );
    expect(line).toMatch(/fee_insufficient.*temporary_channel_failure.*insufficient_balance/);
  });

  test('replay takes it too', async () => {
    const live = await tail(['--reason', 'insufficient_balance', '-f', 'raw']);
    const all = await tail(['-f', 'raw']);
    const r = await pool(() =>
      cli(['replay', '-', '-f', 'raw', '--reason', 'insufficient_balance'], { input: all.stdout }),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(live.stdout);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
