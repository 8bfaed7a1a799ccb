/**
 * subscribeHtlcEvents bounds connecting step by step: TCP, TLS, lnd's HTTP/2
 * SETTINGS and the response headers must all come within connectTimeoutMs,
 * and the status names the step that did not finish. Signs of life (headers,
 * data, keepalive answers) are reported through onAlive.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { subscribeHtlcEvents } from '../../../src/transport/grpc/htlc-stream.js';
import type { StreamStatus } from '../../../src/transport/status.js';
import type { LndTarget } from '../../../src/transport/target.js';
import { cleanupList, listen as listenOn } from '../../helpers/servers.js';
import { generateLndCert } from '@htlc-tail/lnd-sim';

const CERT = generateLndCert({ host: 'testhost' });
const cleanups = cleanupList();
afterEach(() => cleanups.run());
const listen = (server: net.Server): Promise<number> => listenOn(server, cleanups);

function target(port: number): LndTarget {
  return {
    host: '127.0.0.1',
    port,
    tlsServerName: '127.0.0.1',
    certPem: Buffer.from(CERT.certPem),
    certSource: 'test tls.cert',
    macaroon: null,
    macaroonSource: 'none',
    connectTimeoutMs: 800,
  };
}

function run(t: LndTarget, policy?: { timeMs: number; timeoutMs: number }) {
  const log: string[] = [];
  let alive = 0;
  const ended = new Promise<StreamStatus>((resolve) => {
    const conn = subscribeHtlcEvents(
      t,
      {
        onHeaders: () => log.push('headers'),
        onAlive: () => alive++,
        onEvent: () => log.push('event'),
        onEnd: (s) => {
          log.push(`end ${s.code}`);
          resolve(s);
        },
      },
      policy,
    );
    cleanups.add(() => conn.close());
  });
  return { log, ended, alive: () => alive };
}

describe('each connecting step is bounded and named', () => {
  test('TCP accepted, TLS never answered → step tls', async () => {
    const port = await listen(net.createServer());
    const r = run(target(port));
    const s = await r.ended;
    expect(s).toEqual({
      code: 14,
      details: 'TCP connected but the TLS handshake with 127.0.0.1:' + port + ' did not finish within 0.8 s',
      cause: 'timeout',
      step: 'tls',
    });
    expect(r.log).toEqual(['end 14']);
  });

  test('TLS done (ALPN h2), then nothing: no SETTINGS → step protocol', async () => {
    const port = await listen(
      tls.createServer({ key: CERT.keyPem, cert: CERT.certPem, ALPNProtocols: ['h2'] }, (s) =>
        s.on('data', () => undefined),
      ),
    );
    const r = run(target(port));
    const s = await r.ended;
    expect(s).toMatchObject({
      code: 14,
      cause: 'timeout',
      step: 'protocol',
      details: `TLS done but no HTTP/2 SETTINGS from 127.0.0.1:${port} within 0.8 s`,
    });
    expect(r.log).toEqual(['end 14']);
    expect(r.alive()).toBe(0);
  });

  test('HTTP/2 up, the call never answered → step answer', async () => {
    const server = http2.createSecureServer({ key: CERT.keyPem, cert: CERT.certPem });
    server.on('stream', () => undefined); // never responds
    server.on('session', (s) => s.on('error', () => undefined));
    const port = await listen(server);
    const r = run(target(port));
    const s = await r.ended;
    expect(s).toMatchObject({
      code: 14,
      cause: 'timeout',
      step: 'answer',
      details: `HTTP/2 up but 127.0.0.1:${port} sent no response headers to SubscribeHtlcEvents within 0.8 s`,
    });
    expect(r.alive()).toBeGreaterThanOrEqual(1); // its SETTINGS
  });

  test('headers in time end the bound; keepalive answers count as signs of life', async () => {
    const server = http2.createSecureServer({ key: CERT.keyPem, cert: CERT.certPem });
    server.on('stream', (stream) => {
      stream.on('error', () => undefined);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
    });
    server.on('session', (s) => s.on('error', () => undefined));
    const port = await listen(server);
    const r = run(target(port), { timeMs: 300, timeoutMs: 2_000 });
    await new Promise((res) => setTimeout(res, 2_500));
    expect(r.log).toEqual(['headers']);
    // SETTINGS, headers, then a PING answer about every 300 ms.
    expect(r.alive()).toBeGreaterThanOrEqual(4);
  });
});
