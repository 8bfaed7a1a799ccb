/**
 * One scripted stream through every door: gRPC, REST (lnd's framing, and a
 * framing that cuts chunks at odd places inside messages and packs several
 * messages into one chunk), WebSocket, a `-f raw` capture and a curl-style
 * REST capture replayed. The jsonl must be byte-identical. Then REST and
 * WebSocket refusals (exit 5), stream errors (exit 6 with --no-reconnect) and
 * reconnection with gap lines.
 *
 * Two simulated nodes with the same seed (so the same channels and aliases):
 * `fx` with lnd's REST framing, `odd` with the odd one (and WebSocket pings
 * every 100 ms, dropping a client that does not answer them).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { mintMacaroon, DEFAULT_MACAROON_PERMISSIONS } from '../../src/macaroon/index.js';
import {
  startSimNode,
  type HtlcEventObject,
  type Scenario,
  type SimNodeHandle,
  type SimNodeOptions,
} from '@htlc-tail/lnd-sim';
import { jsonLines, runCli, type CliResult } from './run-cli.js';

interface Node {
  readonly node: SimNodeHandle;
  readonly args: string[];
  readonly macaroonDir: string;
}

let tmp: string;
let fx: Node;
let odd: Node;

async function start(name: string, opts: SimNodeOptions): Promise<Node> {
  const node = await startSimNode({ seed: 11, ...opts });
  const paths = await node.writeLndDir(path.join(tmp, name));
  return { node, args: ['--lnddir', paths.lnddir, '--network', 'regtest'], macaroonDir: paths.macaroonDir };
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-transports-'));
  fx = await start('fx', { rest: true });
  odd = await start('odd', { rest: { splitBytes: [1, 7, 2, 5000, 3, 131], batch: true, pingIntervalMs: 100 } });
});

afterAll(async () => {
  await Promise.all([fx?.node.stop(), odd?.node.stop()]);
  await rm(tmp, { recursive: true, force: true });
});

const T0 = 1714979289123456789n;
const ts = (offsetNs: bigint) => String(T0 + offsetNs);
const MAX_U64 = '18446744073709551615';

/** The scripted stream, on the node's own channels (so aliases resolve). */
function scriptedEvents(node: SimNodeHandle): HtlcEventObject[] {
  const [c0, c1, c2] = node.node.channels.map((c) => c.chanId.toString());
  const fwd: HtlcEventObject = {
    incoming_channel_id: c0,
    outgoing_channel_id: c1,
    incoming_htlc_id: '5',
    outgoing_htlc_id: '7',
    timestamp_ns: ts(0n),
    event_type: 'FORWARD',
    forward_event: {
      info: {
        incoming_timelock: 800100,
        outgoing_timelock: 800060,
        incoming_amt_msat: '9007199254741993',
        outgoing_amt_msat: '9007199254740993',
      },
    },
  };
  return [
    fwd,
    { ...fwd, forward_event: undefined, timestamp_ns: ts(9_412_353n), settle_event: { preimage: randomBytesFixed() } },
    {
      incoming_channel_id: c0,
      incoming_htlc_id: '5',
      timestamp_ns: ts(12_000_000n),
      event_type: 'UNKNOWN',
      final_htlc_event: { settled: true, offchain: true },
    },
    {
      incoming_channel_id: c2,
      outgoing_channel_id: c1,
      incoming_htlc_id: '9',
      timestamp_ns: ts(20_000_000n),
      event_type: 'FORWARD',
      link_fail_event: {
        info: {
          incoming_timelock: 800200,
          outgoing_timelock: 800160,
          incoming_amt_msat: '1000500',
          outgoing_amt_msat: '1000000',
        },
        wire_failure: 'TEMPORARY_CHANNEL_FAILURE',
        failure_detail: 'INSUFFICIENT_BALANCE',
        failure_string:
          'insufficient bandwidth to route htlc\n  <b>&amp;</b> ⚡ Zürich 日本 😀\u2028"quoted"\\ \u001b[31mred',
      },
    },
    {
      incoming_channel_id: c2,
      incoming_htlc_id: '9',
      timestamp_ns: ts(20_500_000n),
      event_type: 'UNKNOWN',
      final_htlc_event: { settled: false, offchain: true },
    },
    {
      outgoing_channel_id: c1,
      outgoing_htlc_id: '8',
      timestamp_ns: ts(30_000_000n),
      event_type: 'SEND',
      forward_event: { info: null },
    },
    {
      outgoing_channel_id: c1,
      outgoing_htlc_id: '8',
      timestamp_ns: ts(31_000_001n),
      event_type: 'SEND',
      forward_fail_event: {},
    },
    {
      incoming_channel_id: c0,
      incoming_htlc_id: '10',
      timestamp_ns: ts(40_000_000n),
      event_type: 'RECEIVE',
      link_fail_event: { wire_failure: 555, failure_detail: 99 },
    },
    {
      incoming_channel_id: MAX_U64,
      outgoing_channel_id: MAX_U64,
      incoming_htlc_id: MAX_U64,
      outgoing_htlc_id: MAX_U64,
      timestamp_ns: MAX_U64,
      event_type: 7,
    },
    { ...fwd, timestamp_ns: ts(50_000_000n) },
    {
      incoming_channel_id: c2,
      incoming_htlc_id: '11',
      timestamp_ns: ts(60_000_000n),
      event_type: 'RECEIVE',
      settle_event: { preimage: '' },
    },
  ];
}

function randomBytesFixed(): string {
  return Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff)).toString('base64');
}

const scenarioOf = (node: SimNodeHandle): Scenario => ({
  steps: scriptedEvents(node).map((send) => ({ send })),
  then: 'hold',
});
const N = 11;

function tail(n: Node, args: readonly string[], extra: Parameters<typeof runCli>[1] = {}): Promise<CliResult> {
  return runCli([...n.args, ...args], extra);
}

function secretsOf(n: Node): string[] {
  return Object.values(n.node.macaroons).flatMap((m) => [m.toString('hex'), m.toString('hex').toUpperCase()]);
}

function expectClean(r: CliResult, n: Node): void {
  for (const s of secretsOf(n)) {
    expect(r.stdout).not.toContain(s);
    expect(r.stderr).not.toContain(s);
  }
  expect(r.stderr).not.toMatch(/\n\s+at |Warning:/);
}

/** GET /v2/router/htlcevents like `curl`, keeping the first `lines` lines of the body. */
function curlCapture(n: Node, lines: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: n.node.host,
        port: n.node.restPort,
        path: '/v2/router/htlcevents',
        ca: n.node.certPem,
        servername: 'localhost',
        headers: { 'Grpc-Metadata-Macaroon': n.node.macaroons.readonly.toString('hex') },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
          const got = body.split('\n');
          if (got.length > lines) {
            req.destroy();
            resolve(got.slice(0, lines).join('\n') + '\n');
          }
        });
      },
    );
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    req.end();
  });
}

describe('the same events from every door', () => {
  let results: Record<string, CliResult>;

  beforeAll(async () => {
    fx.node.setScenario(scenarioOf(fx.node));
    odd.node.setScenario(scenarioOf(odd.node));
    const jsonl = ['-f', 'jsonl', '--count', String(N)];
    const runs = {
      grpc: tail(fx, [...jsonl]),
      rest: tail(fx, [...jsonl, '--transport', 'rest']),
      ws: tail(fx, [...jsonl, '--transport', 'ws']),
      restOdd: tail(odd, [...jsonl, '--transport', 'rest']),
      wsOdd: tail(odd, [...jsonl, '--transport', 'ws']),
      grpcPlain: tail(fx, [...jsonl, '--no-aliases']),
      restPlain: tail(fx, [...jsonl, '--no-aliases', '--transport', 'rest']),
      wsPlain: tail(odd, [...jsonl, '--no-aliases', '--transport', 'ws']),
      raw: tail(fx, ['-f', 'raw', '--count', String(N), '--transport', 'rest']),
    };
    results = Object.fromEntries(await Promise.all(Object.entries(runs).map(async ([k, v]) => [k, await v] as const)));
  });

  test('gRPC gives the scripted events, with aliases, correlation and every edge case', () => {
    const r = results.grpc!;
    expect(r.code).toBe(0);
    expect(results.grpcPlain!.stderr).toBe('');
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(N);
    expect(lines.map((l) => l.event)).toEqual([
      'forward',
      'settle',
      'final_htlc',
      'link_fail',
      'final_htlc',
      'forward',
      'forward_fail',
      'link_fail',
      'unknown',
      'forward',
      'settle',
    ]);
    expect(lines[1]).toMatchObject({ duration_ms: 9.412353, fee_msat: 1000 });
    expect(lines[0].incoming_alias).toEqual(expect.any(String));
    expect(lines[3].failure_string).toContain('⚡ Zürich 日本 😀\u2028"quoted"');
    expect(lines[7]).toMatchObject({ wire_failure: 555, failure_detail: 99 });
    expect(lines[8]).toMatchObject({ event_type: 7, incoming_channel_id: MAX_U64, timestamp_ns: MAX_U64 });
    expect(lines[9].replayed).toBe(true);
    expect(r.stdout).toContain('"incoming_amt_msat":9007199254741993');
  });

  // With aliases, the event on an unknown channel starts an alias refresh that may still run when
  // --count ends the tail, and warn then (a race outside the transports): stderr is checked without aliases.
  test.each([
    ['rest', 'grpc'],
    ['ws', 'grpc'],
    ['restOdd', 'grpc'],
    ['wsOdd', 'grpc'],
    ['restPlain', 'grpcPlain'],
    ['wsPlain', 'grpcPlain'],
  ])('%s: byte-identical jsonl to %s', (name, ref) => {
    const r = results[name]!;
    expect(r.code).toBe(0);
    if (name.endsWith('Plain')) expect(r.stderr).toBe('');
    expect(r.stdout).toBe(results[ref]!.stdout);
    expectClean(r, name.endsWith('Odd') || name === 'wsPlain' ? odd : fx);
  });

  test('a -f raw capture, replayed, gives the live jsonl (without aliases: there is no node)', async () => {
    const raw = results.raw!;
    expect(raw.code).toBe(0);
    expect(raw.stdout.split('\n').filter(Boolean)).toHaveLength(N);
    const capture = path.join(tmp, 'capture.raw');
    await writeFile(capture, raw.stdout);
    const replayed = await runCli(['replay', capture, '-f', 'jsonl']);
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toBe(results.grpcPlain!.stdout);
    // And -f raw | replay -f raw reproduces the capture.
    const again = await runCli(['replay', '-', '-f', 'raw'], { input: raw.stdout });
    expect(again.code).toBe(0);
    expect(jsonLines(again.stdout)).toEqual(jsonLines(raw.stdout));
  });

  test('a curl capture of the REST stream (lnd REST lines), replayed, gives the same jsonl', async () => {
    // subscribed_event + the N events
    const capture = await curlCapture(fx, N + 1);
    expect(capture.split('\n')[0]).toMatch(/^\{"result":\{.*"subscribed_event":\{\}\}\}$/);
    const replayed = await runCli(['replay', '-f', 'jsonl'], { input: capture });
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toBe(results.grpcPlain!.stdout);
  });
});

describe('REST and WebSocket refusals: exit 5 with the reason', () => {
  const foreign = () => mintMacaroon({ rootKey: randomBytes(32), permissions: DEFAULT_MACAROON_PERMISSIONS.readonly });

  test.each([
    ['rest', 'invoice.macaroon', /offchain:read/],
    ['ws', 'invoice.macaroon', /offchain:read/],
    ['rest', 'foreign', /rejected the macaroon/],
    ['ws', 'foreign', /rejected the macaroon/],
  ])('%s with %s', async (transport, mac, msg) => {
    let macPath = path.join(fx.macaroonDir, mac);
    if (mac === 'foreign') {
      macPath = path.join(tmp, `foreign-${transport}.macaroon`);
      await writeFile(macPath, foreign());
    }
    const r = await tail(fx, ['--transport', transport, '--macaroonpath', macPath, '--count', '1']);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).toContain(macPath);
    expectClean(r, fx);
  });

  test.each(['rest', 'ws'])('%s with the wallet locked', async (transport) => {
    fx.node.setWalletState('LOCKED');
    try {
      const r = await tail(fx, ['--transport', transport, '--count', '1']);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/wallet locked.*--wait/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      fx.node.setWalletState('SERVER_ACTIVE');
    }
  });

  test.each(['rest', 'ws'])('%s with --restserver at the gRPC port: exit 4, saying so', async (transport) => {
    const r = await tail(fx, ['--transport', transport, '--restserver', fx.node.rpcserver, '--count', '1']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/does not speak HTTP\/1\.1.*gRPC port\?.*--restserver/);
  });

  test('gRPC with --rpcserver at the REST port: exit 4, saying so', async () => {
    const r = await tail(fx, ['--rpcserver', fx.node.restserver!, '--count', '1']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/does not speak HTTP\/2.*REST port\?.*--rpcserver.*--transport rest/);
  });

  test.each(['rest', 'ws'])('%s with nothing listening: exit 4 naming --restserver', async (transport) => {
    const r = await tail(fx, ['--transport', transport, '--restserver', '127.0.0.1:1', '--count', '1']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot reach lnd at 127\.0\.0\.1:1.*--restserver/);
  });
});

describe('stream errors and reconnection over REST and WebSocket', () => {
  const one = (node: SimNodeHandle, offset: bigint): HtlcEventObject => ({
    ...scriptedEvents(node)[0]!,
    timestamp_ns: ts(offset),
  });

  test.each(['rest', 'ws'])(
    "%s: an error line ends the stream; with --no-reconnect exit 6 with lnd's message",
    async (transport) => {
      fx.node.setScenario({ steps: [{ send: one(fx.node, 0n) }, { error: 'some lnd failure: boom' }], then: 'hold' });
      const r = await tail(fx, ['--transport', transport, '-f', 'jsonl', '--no-reconnect']);
      expect(r.code).toBe(6);
      expect(jsonLines(r.stdout).map((l) => l.event)).toEqual(['forward']);
      expect(r.stderr).toMatch(/boom.*--no-reconnect/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  test.each([
    ['rest', 'htlc event subscription terminated', /htlc event subscription terminated/],
    ['ws', 'htlc event subscription terminated', /htlc event subscription terminated/],
    ['rest', null, /lnd ended the stream/],
    ['ws', null, /connection lost/],
  ])('%s: a lost stream (%s) is re-established, with a gap line', async (transport, message, reason) => {
    fx.node.setScenario({ steps: [{ send: one(fx.node, 0n) }], then: 'hold' });
    let ended = false;
    const r = await tail(fx, ['--transport', transport, '-f', 'jsonl', '--count', '2'], {
      onStdout: (chunk) => {
        if (!ended && chunk.includes('\n')) {
          ended = true;
          fx.node.endStreams(message);
        }
      },
    });
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.event)).toEqual(['forward', 'gap', 'forward']);
    expect(lines[1].reason).toMatch(reason);
    expect(lines[2].replayed).toBe(true);
    expect(r.stderr).toMatch(/reconnect/);
  });

  test('ws: pings are answered (the node drops clients that do not), so a quiet stream stays up', async () => {
    odd.node.setScenario({
      steps: [{ send: one(odd.node, 0n) }, { sleep: 700 }, { send: one(odd.node, 1n) }],
      then: 'hold',
    });
    const r = await tail(odd, ['--transport', 'ws', '-f', 'jsonl', '--count', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(jsonLines(r.stdout).map((l) => l.event)).toEqual(['forward', 'forward']);
  });
});
