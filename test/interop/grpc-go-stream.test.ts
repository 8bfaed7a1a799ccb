/**
 * The HTLC stream against lnd's own gRPC stack: the built CLI tails a
 * grpc-go server (Debian's packaged grpc-go, test/interop/grpc-go/server)
 * over TLS with a macaroon checked in grpc-go interceptors. Every check is
 * against what the Go server reports it sent or saw on the wire.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expectNoNodeWarnings, expectNoSecrets, oneErrorLine } from '../e2e/sim-fixture.js';
import { describeInterop } from './go-server.js';
import {
  digitsOf,
  expectJsonlMatches,
  lines,
  runCliMerged,
  spawnCli,
  startInteropNode,
  type InteropNode,
} from './interop-fixture.js';

/** The Go server's channels and their peers' aliases (lightning.go, events.go). */
const scidOf = (block: bigint, tx: bigint, out: bigint) => ((block << 40n) | (tx << 16n) | out).toString();
const CHAN_A = scidOf(845602n, 1538n, 3n);
const CHAN_B = scidOf(870001n, 2n, 1n);
/** A's alias comes with ListChannels, B's only from GetNodeInfo; C's peer is not in the graph. */
const ALIASES: Record<string, string> = { [CHAN_A]: 'alice ⚡ routing', [CHAN_B]: "bob's node" };
const PUBKEY_B = '03b0b0000000000000000000000000000000000000000000000000000000000b02';
const EVENTS_SENT = 14; // realisticEvents() in events.go
const STREAM_METHOD = '/routerrpc.Router/SubscribeHtlcEvents';

describeInterop('grpc-go interop: the HTLC stream', () => {
  let node: InteropNode;
  beforeAll(async () => {
    node = await startInteropNode();
  }, 300_000);
  afterAll(() => node?.cleanup());

  /** The events the server sent on its subscription `stream`. */
  const sentOn = (stream: number) =>
    node.server.events.filter((e) => e.ev === 'sent' && e.stream === stream).map((e) => e.event);

  test('a normal stream: every field as grpc-go sent it, peer aliases from its unary answers', async () => {
    const mark = node.server.events.length;
    const cli = spawnCli([...node.args, '-f', 'jsonl', '--count', String(EVENTS_SENT), '--no-stats']);
    const sub = await node.server.waitFor((e) => e.ev === 'subscribed', 30_000, mark);
    node.server.send('events');
    const r = await cli.done;
    expect({ code: r.code, stderr: cli.stderr() }).toEqual({ code: 0, stderr: '' });

    const sent = sentOn(sub.stream);
    const out = lines(cli.stdout());
    expect(sent).toHaveLength(EVENTS_SENT);
    expect(out).toHaveLength(EVENTS_SENT);
    out.forEach((line, i) => expectJsonlMatches(line, sent[i], ALIASES));
    // Correlation across grpc-go's messages: the settle carries its forward's amounts and fee.
    expect(digitsOf(out[1]!, 'fee_msat')).toBe('500');
    expect(digitsOf(out[1]!, 'duration_ms')).toBe('1.00025');

    // What grpc-go saw: the request's :authority, and the unary alias lookups (each with the macaroon).
    expect(sub.authority).toBe(node.address);
    const unary = node.server.events.slice(mark).filter((e) => e.ev === 'unary');
    expect(unary.find((e) => e.method === 'ListChannels')?.request.peer_alias_lookup).toBe(true);
    expect(unary.filter((e) => e.method === 'GetNodeInfo').map((e) => e.request.pub_key)).toContain(PUBKEY_B);
    expect(node.server.events.slice(mark).filter((e) => e.ev === 'refused')).toEqual([]);
    expectNoSecrets({ code: r.code, signal: r.signal, stdout: cli.stdout(), stderr: cli.stderr() }, node.secrets);
  }, 120_000);

  test("-f raw: each line is exactly the JSON lnd's REST gateway writes for the message grpc-go sent", async () => {
    const mark = node.server.events.length;
    const cli = spawnCli([...node.args, '-f', 'raw', '--count', String(EVENTS_SENT), '--no-stats', '--no-aliases']);
    const sub = await node.server.waitFor((e) => e.ev === 'subscribed', 30_000, mark);
    node.server.send('events');
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(lines(cli.stdout()).map((l) => JSON.parse(l))).toEqual(sentOn(sub.stream));
  }, 120_000);

  test.each([
    ['UNKNOWN', 2, 'htlc event subscription terminated'],
    ['INTERNAL, a message grpc-go percent-encodes', 13, 'routerrpc: état 100% ⚡ down'],
  ])(
    'a burst, then an error status (%s): every event is written before the error is reported; exit 6 with --no-reconnect',
    async (_name, code, message) => {
      const N = 5_000;
      const mark = node.server.events.length;
      const file = path.join(node.tmp, `merged-${code}.txt`);
      const run = runCliMerged([...node.args, '-f', 'jsonl', '--no-reconnect', '--no-stats', '--no-aliases'], file);
      const sub = await node.server.waitFor((e) => e.ev === 'subscribed', 30_000, mark);
      node.server.send(`burst ${N}`);
      await node.server.waitFor((e) => e.ev === 'burst-done' && e.stream === sub.stream, 60_000, mark);
      node.server.send(`error ${code} ${message}`);
      const end = await node.server.waitFor((e) => e.ev === 'stream-end' && e.stream === sub.stream, 30_000, mark);
      expect(end).toMatchObject({ code, message, sent: N });

      const r = await run;
      expect(r.code).toBe(6);
      const all = lines(r.output);
      expect(all).toHaveLength(N + 1);
      // stdout and stderr share one file: the N events first, in order, then the one error line.
      const ids = all.slice(0, N).map((l) => JSON.parse(l).incoming_htlc_id);
      expect(ids).toEqual(Array.from({ length: N }, (_, i) => String(i + 1)));
      expect(all[N]).toMatch(/^htlc-tail: /);
      expect(all[N]).toContain(message); // grpc-message decoded exactly as grpc-go encoded it
    },
    120_000,
  );

  test('a burst and its error status arrive while the reader is paused: every event is still written, then the error (exit 6)', async () => {
    const N = 8_000; // fits in the client's 1 MiB HTTP/2 window: grpc-go sends it all, and the status, at once
    const mark = node.server.events.length;
    const cli = spawnCli([...node.args, '-f', 'jsonl', '--no-reconnect', '--no-stats', '--no-aliases'], {
      paused: true,
    });
    const sub = await node.server.waitFor((e) => e.ev === 'subscribed', 30_000, mark);
    node.server.send(`burst ${N}`);
    node.server.send('error 2 htlc event subscription terminated');
    const end = await node.server.waitFor((e) => e.ev === 'stream-end' && e.stream === sub.stream, 30_000, mark);
    expect(end).toMatchObject({ code: 2, sent: N });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(cli.child.exitCode).toBeNull(); // still holding events it could not write
    cli.read();
    const r = await cli.done;
    expect(r.code).toBe(6);
    const ids = lines(cli.stdout()).map((l) => JSON.parse(l).incoming_htlc_id);
    expect(ids).toEqual(Array.from({ length: N }, (_, i) => String(i + 1)));
    expect(lines(cli.stderr())).toEqual([expect.stringContaining('htlc event subscription terminated')]);
  }, 120_000);

  test("an interceptor error (trailers-only): another node's macaroon gets lnd's text, exit 5", async () => {
    const mark = node.server.events.length;
    const cli = spawnCli([...node.args, '--macaroonpath', node.foreignMacaroon, '-f', 'jsonl', '--no-stats']);
    const r = await cli.done;
    const result = { code: r.code, signal: r.signal, stdout: cli.stdout(), stderr: cli.stderr() };
    expect(r.code).toBe(5);
    expect(result.stdout).toBe('');
    const line = oneErrorLine(result);
    expect(line).toContain(
      `rejected the macaroon ${node.foreignMacaroon} (verification failed: signature mismatch after caveat verification)`,
    );
    expectNoSecrets(result, node.secrets);
    expectNoNodeWarnings(result.stderr);

    const seen = node.server.events.slice(mark);
    const refused = seen.find((e) => e.ev === 'refused');
    expect(refused).toMatchObject({
      method: STREAM_METHOD,
      error: 'verification failed: signature mismatch after caveat verification',
    });
    // grpc-go answered the refused stream with one HEADERS frame that ends it.
    expect(seen.some((e) => e.ev === 'trailers-only')).toBe(true);
    expect(seen.some((e) => e.ev === 'subscribed')).toBe(false);
  }, 120_000);

  test('an interceptor error (trailers-only): no macaroon at all gets "expected 1 macaroon, got 0", exit 5', async () => {
    const conf = path.join(node.tmp, 'no-macaroons.conf');
    await writeFile(conf, '[Application Options]\nno-macaroons=1\n');
    const mark = node.server.events.length;
    const args = [
      '--rpcserver',
      node.address,
      '--tlscertpath',
      node.server.certPath,
      '--configfile',
      conf,
      '-f',
      'jsonl',
      '--no-stats',
    ];
    const cli = spawnCli(args);
    const r = await cli.done;
    const result = { code: r.code, signal: r.signal, stdout: cli.stdout(), stderr: cli.stderr() };
    expect(r.code).toBe(5);
    expect(oneErrorLine(result)).toContain('expects a macaroon and got none');
    const seen = node.server.events.slice(mark);
    expect(seen.find((e) => e.ev === 'refused')).toMatchObject({
      method: STREAM_METHOD,
      error: 'expected 1 macaroon, got 0',
    });
    expect(seen.some((e) => e.ev === 'trailers-only')).toBe(true);
  }, 120_000);
});

describeInterop('grpc-go interop: GracefulStop while the client is paused', () => {
  let node: InteropNode;
  beforeAll(async () => {
    node = await startInteropNode();
  }, 300_000);
  afterAll(() => node?.cleanup());

  test('a reader that stopped reading: grpc-go is held back by flow control, drains on GracefulStop, and every event is written', async () => {
    const N = 40_000;
    const cli = spawnCli([...node.args, '-f', 'jsonl', '--no-reconnect', '--no-stats', '--no-aliases'], {
      paused: true,
    });
    const sub = await node.server.waitFor((e) => e.ev === 'subscribed', 30_000);
    node.server.send(`burst ${N}`);

    // Wait until grpc-go cannot send more (its Send blocks on HTTP/2 flow control): no progress for 1.5 s.
    let last = -1;
    for (let still = 0; still < 3;) {
      await new Promise((r) => setTimeout(r, 500));
      const mark = node.server.events.length;
      node.server.send('status');
      const { sent } = await node.server.waitFor((e) => e.ev === 'status', 10_000, mark);
      still = sent === last ? still + 1 : 0;
      last = sent;
    }
    expect(last).toBeGreaterThan(0);
    expect(last).toBeLessThan(N);

    node.server.send('graceful-stop');
    const stopping = await node.server.waitFor((e) => e.ev === 'graceful-stop');
    expect(stopping.sent).toBeLessThan(N);
    // GracefulStop waits for the stream: while the reader is paused, it cannot finish.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(node.server.events.some((e) => e.ev === 'stopped')).toBe(false);
    expect(cli.child.exitCode).toBeNull();

    cli.read();
    const r = await cli.done;
    await node.server.waitFor((e) => e.ev === 'stopped', 30_000);
    const end = node.server.events.find((e) => e.ev === 'stream-end' && e.stream === sub.stream);
    expect(end).toMatchObject({ code: 2, message: 'htlc event subscription terminated', sent: N });

    expect(r.code).toBe(6);
    const out = lines(cli.stdout());
    expect(out).toHaveLength(N);
    const ids = out.map((l) => JSON.parse(l).incoming_htlc_id);
    expect(ids).toEqual(Array.from({ length: N }, (_, i) => String(i + 1)));
    const err = lines(cli.stderr());
    expect(err).toHaveLength(1);
    expect(err[0]).toContain('htlc event subscription terminated');
  }, 120_000);
});

describeInterop('grpc-go interop: an [::1] target', () => {
  let node: InteropNode;
  beforeAll(async () => {
    node = await startInteropNode({ host: '::1' });
  }, 300_000);
  afterAll(() => node?.cleanup());

  test('--rpcserver [::1]:PORT: TLS against the cert\'s ::1, :authority "[::1]:PORT", events and aliases', async () => {
    expect(node.address).toBe(`[::1]:${node.server.port}`);
    const cli = spawnCli([...node.args, '-f', 'jsonl', '--count', String(EVENTS_SENT), '--no-stats']);
    const sub = await node.server.waitFor((e) => e.ev === 'subscribed', 30_000);
    node.server.send('events');
    const r = await cli.done;
    expect({ code: r.code, stderr: cli.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(sub.authority).toBe(node.address);
    expect(sub.peer).toMatch(/^\[::1\]:\d+$/);
    const sent = node.server.events.filter((e) => e.ev === 'sent').map((e) => e.event);
    const out = lines(cli.stdout());
    expect(out).toHaveLength(EVENTS_SENT);
    out.forEach((line, i) => expectJsonlMatches(line, sent[i], ALIASES));
    // The unary lookups went to [::1] too.
    expect(node.server.events.filter((e) => e.ev === 'unary').every((e) => /^\[::1\]:\d+$/.test(e.peer))).toBe(true);
    expect(node.server.events.some((e) => e.ev === 'unary' && e.method === 'ListChannels')).toBe(true);
  }, 120_000);
});
