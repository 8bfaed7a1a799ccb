/**
 * `check`'s subscription step against peers that stop at each step: the
 * stream bounds connecting (and names the step that did not finish); the
 * step's own wait for lnd's first answer starts only once lnd accepted the
 * call. So the outcome never depends on which of two equal timers fires first.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { firstAnswer, subscriptionOutcome } from '../../src/check/subscription.js';
import { subscribeContext } from '../../src/transport/classify.js';
import type { LndTarget } from '../../src/transport/target.js';
import { cleanupList, listen as listenOn } from '../helpers/servers.js';
import { generateLndCert } from '@htlc-tail/lnd-sim';

const CERT = generateLndCert({ host: 'testhost' });
const TIMEOUT_MS = 800;
const cleanups = cleanupList();
afterEach(() => cleanups.run());
const listen = (server: net.Server): Promise<number> => listenOn(server, cleanups);

function target(port: number): LndTarget {
  return {
    host: '127.0.0.1',
    port,
    tlsServerName: '127.0.0.1',
    certPem: Buffer.from(CERT.certPem),
    certSource: 'tls.cert',
    macaroon: null,
    macaroonSource: 'none',
    connectTimeoutMs: TIMEOUT_MS,
  };
}

function h2Server(onStream: (stream: http2.ServerHttp2Stream) => void): http2.Http2SecureServer {
  const server = http2.createSecureServer({ key: CERT.keyPem, cert: CERT.certPem });
  server.on('stream', (stream) => {
    stream.on('error', () => undefined);
    onStream(stream);
  });
  server.on('session', (s) => s.on('error', () => undefined));
  return server;
}

describe('firstAnswer', () => {
  test('TLS done, then no HTTP/2 SETTINGS: a connection failure naming the step (exit 4), not "no answer yet"', async () => {
    const port = await listen(
      tls.createServer({ key: CERT.keyPem, cert: CERT.certPem, ALPNProtocols: ['h2'] }, (s) =>
        s.on('data', () => undefined),
      ),
    );
    const t = target(port);
    const a = await firstAnswer(t, TIMEOUT_MS);
    expect(a).toMatchObject({ kind: 'status', status: { code: 14, cause: 'timeout', step: 'protocol' } });
    const o = subscriptionOutcome(a, subscribeContext(t), TIMEOUT_MS);
    expect(o).toMatchObject({ status: 'fail', exitCode: 4 });
    expect(o.detail).toBe(
      `TLS done but no HTTP/2 SETTINGS from 127.0.0.1:${port} within 0.8 s: is that lnd's gRPC port, and is lnd running normally? (or raise --connect-timeout)`,
    );
  });

  test('HTTP/2 up, the call never answered: not refused, no answer (a warning)', async () => {
    const port = await listen(h2Server(() => undefined));
    const a = await firstAnswer(target(port), TIMEOUT_MS);
    expect(a).toEqual({ kind: 'timeout', headers: false });
    expect(subscriptionOutcome(a, subscribeContext(target(port)), TIMEOUT_MS).status).toBe('warn');
  });

  test('lnd accepts the call late and then says nothing: the wait for its first answer starts at its headers', async () => {
    const port = await listen(
      h2Server((stream) => {
        setTimeout(() => stream.respond({ ':status': 200, 'content-type': 'application/grpc' }), TIMEOUT_MS / 2);
      }),
    );
    const started = Date.now();
    const a = await firstAnswer(target(port), TIMEOUT_MS);
    expect(a).toEqual({ kind: 'timeout', headers: true });
    // Headers at about 0.4 s, then 0.8 s of waiting: not cut off at 0.8 s from the start.
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS + TIMEOUT_MS / 2 - 50);
    expect(subscriptionOutcome(a, subscribeContext(target(port)), TIMEOUT_MS).detail).toMatch(
      /no answer within 0\.8 s \(lnd accepted the call\)/,
    );
  });

  test('lnd accepts the call and ends it with INTERNAL: worded as lnd ending the call, not as an unreachable node', async () => {
    const port = await listen(
      h2Server((stream) => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '13', 'grpc-message': 'boom' }));
        stream.end();
      }),
    );
    const a = await firstAnswer(target(port), TIMEOUT_MS);
    expect(a).toEqual({ kind: 'status', status: { code: 13, details: 'boom' }, headers: true });
    const o = subscriptionOutcome(a, subscribeContext(target(port)), TIMEOUT_MS);
    expect(o).toMatchObject({ status: 'fail', exitCode: 4 });
    expect(o.detail).toBe(
      `lnd at 127.0.0.1:${port} ended SubscribeHtlcEvents with status INTERNAL (boom); the connection works: check lnd's log`,
    );
  });
});
