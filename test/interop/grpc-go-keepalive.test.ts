/**
 * Keepalive on an idle HTLC stream against grpc-go's enforcement, as seen on
 * the wire by the Go server (it reports every client PING and every GOAWAY it
 * sends). HTLC_TAIL_TEST_KEEPALIVE_MS=5000 makes the client ping after 5 s
 * without traffic, so "idle longer than the enforcement allows" takes seconds.
 *
 * - grpc-go's default policy (lnd before 0.17): one ping per 5 minutes; after
 *   more than two strikes grpc-go sends GOAWAY ENHANCE_YOUR_CALM
 *   "too_many_pings" and closes the connection. The client reconnects once
 *   (one gap line) and pings no more than every 5 min 10 s from then on.
 * - lnd >= 0.17 (MinTime 5 s): the same pings are fine; nothing is closed.
 *
 * Both servers run at the same time (about a minute of idling in all).
 */
import { beforeAll, expect, test } from '@jest/globals';
import { describeInterop, type ServerEvent } from './go-server.js';
import { lines, spawnCli, startInteropNode } from './interop-fixture.js';

const EVENTS_SENT = 14; // realisticEvents() in events.go
const CLIENT_KEEPALIVE_MS = 5_000;
/** After the reconnect, a client still pinging every 5 s would ping within 10 s (its check runs every 5 s). */
const QUIET_WINDOW_MS = 12_000;

interface IdleOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly events: readonly ServerEvent[];
  readonly first: ServerEvent;
  readonly second?: ServerEvent;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `cond` holds (the server's events arrive asynchronously). */
async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function idleRun(mode: 'grpc-default' | 'lnd'): Promise<IdleOutcome> {
  const node = await startInteropNode({ keepalive: mode });
  try {
    const { server } = node;
    const cli = spawnCli([...node.args, '-f', 'jsonl', '--count', String(EVENTS_SENT), '--no-stats', '--no-aliases'], {
      env: { HTLC_TAIL_TEST_KEEPALIVE_MS: String(CLIENT_KEEPALIVE_MS) },
    });
    const first = await server.waitFor((e) => e.ev === 'subscribed', 30_000);
    const pingsOn = (peer: string) => server.events.filter((e) => e.ev === 'ping' && e.peer === peer).length;
    let second: ServerEvent | undefined;
    if (mode === 'grpc-default') {
      await server.waitFor((e) => e.ev === 'goaway' && e.peer === first.peer, 90_000);
      second = await server.waitFor((e) => e.ev === 'subscribed' && e.stream === 2, 30_000);
      await sleep(QUIET_WINDOW_MS);
    } else {
      // Four pings: more than grpc-go's default policy tolerates on one connection.
      await until(() => pingsOn(first.peer) >= 4, 90_000, 'four client pings');
    }
    server.send('events');
    const r = await cli.done;
    return { code: r.code, stdout: cli.stdout(), stderr: cli.stderr(), events: [...server.events], first, second };
  } finally {
    await node.cleanup();
  }
}

describeInterop('grpc-go interop: keepalive on an idle stream', () => {
  const runs: Partial<Record<'grpc-default' | 'lnd', Promise<IdleOutcome>>> = {};
  beforeAll(() => {
    // Started together, awaited by each test; a failure is reported by its test.
    for (const mode of ['grpc-default', 'lnd'] as const) {
      runs[mode] = idleRun(mode);
      runs[mode].catch(() => undefined);
    }
  });

  test("grpc-go's default enforcement: GOAWAY too_many_pings, one reconnect with a gap line, then no more 5 s pings", async () => {
    const o = await runs['grpc-default']!;
    const { first, second } = o;
    const pings = o.events.filter((e) => e.ev === 'ping' && e.peer === first.peer);
    const goaways = o.events.filter((e) => e.ev === 'goaway');
    // What grpc-go did: strikes for pings closer than 5 minutes, then GOAWAY ENHANCE_YOUR_CALM (11).
    expect(goaways).toEqual([expect.objectContaining({ peer: first.peer, code: 11, debug: 'too_many_pings' })]);
    expect(pings.length).toBeGreaterThanOrEqual(3);
    expect(pings[0]!.ms - first.ms).toBeGreaterThanOrEqual(CLIENT_KEEPALIVE_MS - 500);
    // One reconnect, and on the new connection no ping in a window where a 5 s keepalive would have sent one.
    expect(o.events.filter((e) => e.ev === 'subscribed')).toHaveLength(2);
    expect(second!.peer).not.toBe(first.peer);
    expect(o.events.filter((e) => e.ev === 'ping' && e.peer === second!.peer)).toEqual([]);

    expect(o.code).toBe(0);
    const out = lines(o.stdout).map((l) => JSON.parse(l));
    expect(out).toHaveLength(1 + EVENTS_SENT);
    expect(out[0]).toMatchObject({ event: 'gap', reason: expect.stringMatching(/too_many_pings|ping/i) });
    expect(out.slice(1).every((e) => e.event !== 'gap')).toBe(true);
    const err = lines(o.stderr);
    expect(err).toHaveLength(2);
    expect(err[0]).toMatch(/^htlc-tail: .*ping.*reconnect/i);
    expect(err[1]).toMatch(/^htlc-tail: reconnected/);
  }, 300_000);

  test('lnd >= 0.17 (MinTime 5 s): the same pings are accepted; one connection, no gap, nothing on stderr', async () => {
    const o = await runs.lnd!;
    const pings = o.events.filter((e) => e.ev === 'ping' && e.peer === o.first.peer);
    expect(pings.length).toBeGreaterThanOrEqual(4);
    expect(o.events.filter((e) => e.ev === 'goaway' && e.code !== 0)).toEqual([]);
    expect(o.events.filter((e) => e.ev === 'subscribed')).toHaveLength(1);
    expect(o.code).toBe(0);
    const out = lines(o.stdout).map((l) => JSON.parse(l));
    expect(out).toHaveLength(EVENTS_SENT);
    expect(out.some((e) => e.event === 'gap')).toBe(false);
    expect(o.stderr).toBe('');
  }, 300_000);
});
