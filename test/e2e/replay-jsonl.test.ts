/**
 * Issue 11, item 4: replay reads htlc-tail's own jsonl. A capture of the live
 * tail (`-f jsonl`, the core scenario with aliases, max-uint64 ids and
 * amounts above 2^53, a replayed event, durations) replays line for line with
 * `-f jsonl`, gives lnd's raw lines back with `-f raw`, and the same pretty,
 * table and summary as the live tail; filtered captures and gap lines too.
 * A JSON line that is no event is a bad line; an input of bad lines only
 * ends with exit 3.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jsonLines, runCli, type CliResult } from './run-cli.js';
import {
  cli,
  coreEvents,
  coreScenario,
  expectExit,
  pooled,
  startSimFixture,
  U64_MAX,
  type SimFixture,
} from './sim-fixture.js';

let fx: SimFixture;
let tmp: string;
const live: Record<string, CliResult> = {};
const pool = pooled<CliResult>(3);

/** A replayed forward (lnd may replay after a restart), then a gap: both kinds of line a live jsonl capture has. */
const GAP =
  '{"event":"gap","from":"2024-05-06T07:08:09.200Z","to":"2024-05-06T07:08:19.456Z","reason":"htlc event subscription terminated"}';

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-replay-jsonl-'));
  fx = await startSimFixture({
    seed: 1,
    scenario: (n) => {
      const steps = coreScenario(n, 'hold').steps ?? [];
      // Step 1 again: a replayed forward.
      return { steps: [...steps, { send: coreEvents(n)[0]! }], then: 'hold' } as never;
    },
  });
  const runs: Record<string, string[]> = {
    jsonl: ['-f', 'jsonl', '--count', '24'],
    raw: ['-f', 'raw', '--count', '24'],
    pretty: ['-f', 'pretty', '--color', 'never', '--utc', '--count', '24'],
    table: ['-f', 'table', '--color', 'never', '--utc', '--count', '24'],
    failures: ['-f', 'jsonl', '--failures', '--count', '9'],
    stats: ['-f', 'jsonl', '--count', '24', '--stats'],
  };
  await Promise.all(
    Object.entries(runs).map(async ([k, args]) => (live[k] = await pool(() => cli([...fx.args, ...args])))),
  );
  for (const r of Object.values(live)) expectExit(r, 0);
  await writeFile(path.join(tmp, 'capture.jsonl'), live.jsonl!.stdout);
  // A capture with a gap line in it (as after a reconnection).
  const lines = live.jsonl!.stdout.split('\n');
  await writeFile(path.join(tmp, 'with-gap.jsonl'), [...lines.slice(0, 5), GAP, ...lines.slice(5)].join('\n'));
  await writeFile(path.join(tmp, 'failures.jsonl'), live.failures!.stdout);
  await writeFile(path.join(tmp, 'capture.raw'), live.raw!.stdout);
}, 180_000);

afterAll(async () => {
  await fx?.cleanup();
  await rm(tmp, { recursive: true, force: true });
});

const replay = (file: string, args: string[]) =>
  pool(() => runCli(['replay', path.join(tmp, file), ...args], { timeoutMs: 60_000 }));

describe('replay -f jsonl of a jsonl capture reproduces it line for line', () => {
  test('the live capture: aliases, durations, replayed, max uint64 and amounts above 2^53', async () => {
    const capture = live.jsonl!.stdout;
    // What makes this capture a real test of the round trip:
    expect(capture).toContain('"incoming_alias":"ACINQ"');
    expect(capture).toContain('"replayed":true');
    expect(capture).toContain('"duration_ms":');
    expect(capture).toContain(`"incoming_channel_id":"${U64_MAX}"`);
    expect(capture).toContain('"outgoing_amt_msat":9007199254740993001');
    expect(capture).toContain(`"incoming_amt_msat":${U64_MAX}`);
    expect(capture).toContain('"wire_failure":1234,"failure_detail":99');
    const r = await replay('capture.jsonl', ['-f', 'jsonl']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(capture);
  });

  test('gap lines included', async () => {
    const r = await replay('with-gap.jsonl', ['-f', 'jsonl']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[5]).toBe(GAP);
    expect(r.stdout).toBe(
      live.jsonl!.stdout.split('\n').slice(0, 5).concat(GAP, live.jsonl!.stdout.split('\n').slice(5)).join('\n'),
    );
  });

  test('a filtered capture (--failures): the recorded amounts and durations are kept, not recomputed', async () => {
    const capture = live.failures!.stdout;
    // forward_fail's amounts and duration came from its forward, which this capture does not hold.
    expect(
      jsonLines(capture).some(
        (l) => l.event === 'forward_fail' && l.duration_ms !== undefined && l.incoming_amt_msat !== undefined,
      ),
    ).toBe(true);
    const r = await replay('failures.jsonl', ['-f', 'jsonl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(capture);
  });
});

describe('every other format works from a jsonl capture', () => {
  test('-f raw gives lnd raw lines back, as the live -f raw printed them', async () => {
    const r = await replay('capture.jsonl', ['-f', 'raw']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(live.raw!.stdout);
  });
  test.each(['pretty', 'table'])('-f %s is what the live tail printed', async (format) => {
    const r = await replay('capture.jsonl', ['-f', format, '--color', 'never', '--utc']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(live[format]!.stdout);
  });
  test('the summary is the live one (forwards, fees, settle times, reasons, channel pairs with their recorded aliases)', async () => {
    const r = await replay('capture.jsonl', ['-f', 'jsonl', '--stats']);
    expect(r.code).toBe(0);
    // From "Forwards" to before "Stuck" (the capture holds no subscribed event, and "stuck" is measured against another clock).
    const summary = (s: string) => {
      const lines = s.split('\n');
      return lines.slice(
        lines.findIndex((l) => l.startsWith('Forwards')),
        lines.findIndex((l) => /^Stuck/.test(l)),
      );
    };
    expect(summary(r.stderr).length).toBeGreaterThan(8);
    expect(summary(r.stderr)).toEqual(summary(live.stats!.stderr));
    expect(r.stderr).toContain('(ACINQ)');
  });
  test.each([
    [['--type', 'forward', '--event', 'final_htlc']],
    [['--failures', '--min-amount', '1000']],
    [['--reason', 'insufficient_balance,unknown_next_peer']],
    [['--channel', '826680x754x2']],
  ])('filters %j keep what they keep on the raw capture', async (args) => {
    const [a, b] = await Promise.all([
      replay('capture.jsonl', ['-f', 'raw', ...args]),
      replay('capture.raw', ['-f', 'raw', ...args]),
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(0);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('bad lines', () => {
  test('a JSON line that is no event ({"foo":1}) is a bad line, not an unknown event', async () => {
    const r = await runCli(['replay', '-', '-f', 'jsonl'], {
      input: `${live.jsonl!.stdout.split('\n')[1]}\n{"foo":1}\n`,
    });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(1);
    expect(r.stderr).toMatch(/^htlc-tail: line 2: a JSON object that is no event/);
  });
  test.each([
    ['{"foo":1}', 1],
    ['{"foo":1}\n{}\nnot json\n', 3],
    ['{"event":"settle","event_type":"FORWARD"}\n', 1],
    ['{"result":{"foo":1}}\n', 1],
  ])('every line bad (%j): exit 3, the bad lines named, then one line saying so', async (input, n) => {
    const r = await runCli(['replay', '-'], { input });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(n + 1);
    expect(lines.at(-1)).toMatch(/^htlc-tail: replay: no line of standard input is an event/);
  });
  test('an empty input is not an error', async () => {
    const r = await runCli(['replay', '-'], { input: '' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
  test.each([
    [
      'a key jsonl always writes is missing',
      '{"event":"forward","event_type":"FORWARD","timestamp_ns":"1"}',
      /"incoming_channel_id" is missing/,
    ],
    [
      'an amount that is not a uint64',
      live_line((l) => l.replace('"outgoing_amt_msat":1000000', '"outgoing_amt_msat":1.5')),
      /"outgoing_amt_msat" is not a uint64/,
    ],
    ['an unknown event kind', '{"event":"forwarded","event_type":"FORWARD"}', /"event" is not an event kind/],
  ])('%s: a bad line naming the key', async (_n, line, msg) => {
    const r = await runCli(['replay', '-', '-f', 'jsonl'], { input: `${line}\n` });
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toMatch(msg);
  });
});

/** A line of a fixed forward in jsonl, changed by `f` (the live capture is not there yet when the table is built). */
function live_line(f: (l: string) => string): string {
  return f(
    '{"event":"forward","event_type":"FORWARD","time":"2024-05-06T07:08:09.124457039Z","timestamp_ns":"1714979289124457039","incoming_channel_id":"908944272499277826","incoming_scid":"826680x754x2","incoming_htlc_id":"101","outgoing_channel_id":"936690448531324928","outgoing_scid":"851915x2358x0","outgoing_htlc_id":"201","incoming_amt_msat":1000500,"outgoing_amt_msat":1000000,"incoming_timelock":870200,"outgoing_timelock":870160,"fee_msat":500}',
  );
}
