/**
 * The end of a stream, end to end. lnd ends a subscription with a status
 * (`htlc event subscription terminated`) right after its last events; grpc-js
 * has delivered such a status before the messages still queued (grpc-node
 * issue 2764), which would lose events. So: a burst of events immediately
 * followed by the error status, with --no-reconnect: every event before the
 * status is printed, in order, and the exit code is 6; repeated in many fresh
 * processes. Then the same over several connections with reconnection on:
 * every burst complete, a gap line between them, and --count not counting the
 * gap lines. And no Node warning on stderr when connecting by IP.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { jsonLines, type CliResult } from './run-cli.js';
import {
  cli,
  errorLines,
  expectExit,
  expectNoNodeWarnings,
  expectNoSecrets,
  pooled,
  startSimFixture,
  type SimFixture,
} from './sim-fixture.js';

const BURST = 150;
const GENERATED = 50;
const RUNS = 10;
const CONNECTIONS = 4;
const TERMINATED = 'htlc event subscription terminated';

let fx: SimFixture;

/** Burst event i: a SEND forward on channel A with outgoing htlc id i (unique, so order and loss show). */
function burstEvent(chan: string, i: number) {
  return {
    incoming_channel_id: '0',
    incoming_htlc_id: '0',
    outgoing_channel_id: chan,
    outgoing_htlc_id: String(i),
    timestamp_ns: (1714979289000000000n + BigInt(i) * 1000n).toString(),
    event_type: 'SEND',
    forward_event: { info: { outgoing_timelock: 870000 + i, outgoing_amt_msat: String(1000 * i) } },
  };
}

beforeAll(async () => {
  fx = await startSimFixture({
    seed: 5,
    scenario: (n) => {
      const chan = n.channels[0]!.chanId.toString();
      const burst = Array.from({ length: BURST }, (_, i) => ({ send: burstEvent(chan, i + 1) }));
      // Written back to back: the sends, then a generated burst, then at once the error status.
      return { steps: [...burst, { generate: GENERATED }, { error: TERMINATED }], then: 'end' } as never;
    },
  });
});

afterAll(async () => {
  await fx?.cleanup();
});

/** The scripted part of a burst: htlc ids 1..BURST in order on stdout lines [from, from + BURST). */
function expectBurst(lines: any[], from: number): void {
  const ids = lines
    .slice(from, from + BURST)
    .map((l) => (l.event === 'forward' && l.event_type === 'SEND' ? Number(l.outgoing_htlc_id) : -1));
  expect(ids).toEqual(Array.from({ length: BURST }, (_, i) => i + 1));
}

describe('grpc-node issue 2764: events right before an error status are all printed', () => {
  test(`a burst then "${TERMINATED}", --no-reconnect: every event, exit 6 (${RUNS} fresh processes)`, async () => {
    const pool = pooled<CliResult>(4);
    const runs = await Promise.all(
      Array.from({ length: RUNS }, () => pool(() => cli([...fx.args, '-f', 'jsonl', '--no-reconnect']))),
    );
    for (const r of runs) {
      expectExit(r, 6);
      const lines = jsonLines(r.stdout);
      expect({ code: r.code, lines: lines.length, stderr: r.stderr }).toEqual({
        code: 6,
        lines: BURST + GENERATED,
        stderr: expect.any(String),
      });
      expectBurst(lines, 0);
      // The exit-6 line says the stream ended, with lnd's reason, and that no reconnect follows.
      expect(errorLines(r.stderr)).toEqual([
        expect.stringMatching(new RegExp(`^htlc-tail: .*${TERMINATED}.*--no-reconnect`)),
      ]);
      expectNoSecrets(r, fx.secrets);
      expectNoNodeWarnings(r.stderr);
    }
  }, 240_000);

  test('the same in raw format: each event as lnd sends it, none lost', async () => {
    const r = await cli([...fx.args, '-f', 'raw', '--no-reconnect']);
    expectExit(r, 6);
    const lines = jsonLines(r.stdout);
    expect({ code: r.code, lines: lines.length, stderr: r.stderr }).toEqual({
      code: 6,
      lines: BURST + GENERATED,
      stderr: expect.any(String),
    });
    expect(lines.slice(0, BURST).map((l) => l.outgoing_htlc_id)).toEqual(
      Array.from({ length: BURST }, (_, i) => String(i + 1)),
    );
    expect(lines[BURST - 1]).toStrictEqual({
      ...burstEvent(fx.chan(0), BURST),
      forward_event: {
        info: {
          incoming_timelock: 0,
          outgoing_timelock: 870000 + BURST,
          incoming_amt_msat: '0',
          outgoing_amt_msat: String(1000 * BURST),
        },
      },
    });
  }, 90_000);
});

describe('reconnection', () => {
  test(`${CONNECTIONS} connections each ending in an error: every burst complete, gap lines between, --count ignores them (exit 0)`, async () => {
    const total = CONNECTIONS * (BURST + GENERATED);
    const r = await cli([...fx.args, '-f', 'jsonl', '--count', String(total)]);
    expectExit(r, 0);
    const lines = jsonLines(r.stdout);
    expect({ code: r.code, lines: lines.length, stderr: r.stderr }).toEqual({
      code: 0,
      lines: total + CONNECTIONS - 1,
      stderr: expect.any(String),
    });
    const perConnection = BURST + GENERATED + 1;
    for (let c = 0; c < CONNECTIONS; c++) {
      expectBurst(lines, c * perConnection);
      if (c < CONNECTIONS - 1) {
        const gap = lines[c * perConnection + BURST + GENERATED];
        expect(gap).toEqual({
          event: 'gap',
          from: expect.any(String),
          to: expect.any(String),
          reason: expect.stringContaining(TERMINATED),
        });
        expect(gap.from).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
        expect(Date.parse(gap.to) >= Date.parse(gap.from)).toBe(true);
      }
    }
    // Reconnecting is a notice on stderr (one per loss), never on stdout.
    expect(r.stderr).toMatch(/reconnect/);
    expectNoSecrets(r, fx.secrets);
    expectNoNodeWarnings(r.stderr);
  }, 90_000);
});

describe('Node warnings', () => {
  test('connecting by IP (127.0.0.1, also as --tls-server-name) prints no DEP0123 or other warning', async () => {
    const [a, b] = await Promise.all([
      cli([...fx.args, '-f', 'jsonl', '--count', '3']),
      cli([...fx.args, '-f', 'jsonl', '--count', '3', '--tls-server-name', '127.0.0.1']),
    ]);
    for (const r of [a, b]) {
      expect(fx.node.rpcserver).toMatch(/^127\.0\.0\.1:/);
      // (stderr may tell that the stream was lost after the third event: this node's streams end at once.)
      expect({ code: r.code, lines: jsonLines(r.stdout).length, stderr: r.stderr }).toEqual({
        code: 0,
        lines: 3,
        stderr: expect.any(String),
      });
      expectNoNodeWarnings(r.stderr);
      expect(r.stderr).not.toMatch(/warning/i);
    }
  }, 90_000);
});
