/**
 * The dialer against a local TLS server (an lnd-style cert) and the SOCKS5
 * test proxy: direct, through the proxy with the name resolved by the proxy
 * (a fake v3 onion), TLS name verification over the proxied socket, and every
 * failure named with its proxy and target.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import net from 'node:net';
import tls from 'node:tls';
import { generateLndCert } from '@htlc-tail/lnd-sim';
import { dial, DialAbortedError, DialError, type DialProxy, type DialRequest } from '../../src/transport/dial.js';
import { deadPort, fakeOnion, startSocksProxy, type TestSocksProxy } from '../helpers/socks5-proxy.js';

const ONION = fakeOnion('dial');
const ONION_IN_CERT = fakeOnion('cert');
/** lnd's cert with the onion name as tlsextradomain, and one without it. */
const WITH_ONION = generateLndCert({ host: 'umbrel', extraDomains: [ONION_IN_CERT] });

let server: tls.Server;
let serverPort: number;
let proxy: TestSocksProxy;
let refusedPort: number;

beforeAll(async () => {
  server = tls.createServer({ cert: WITH_ONION.certPem, key: WITH_ONION.keyPem }, (s) => s.pipe(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverPort = (server.address() as net.AddressInfo).port;
  refusedPort = await deadPort();
  proxy = await startSocksProxy({
    [ONION]: { host: '127.0.0.1', port: serverPort },
    [ONION_IN_CERT]: { host: '127.0.0.1', port: serverPort },
    [fakeOnion('down')]: { host: '127.0.0.1', port: refusedPort },
  });
});
afterAll(async () => {
  await proxy.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const viaProxy = (): DialProxy => ({ host: proxy.host, port: proxy.port, source: '--socks5' });

/** TLS over the dialed socket, pinned to the cert; resolves with the echo of "ping". */
function tlsEcho(socket: net.Socket, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = tls.connect({
      socket,
      servername,
      ca: WITH_ONION.certPem,
      checkServerIdentity: (_h, cert) => tls.checkServerIdentity(servername, cert),
    });
    t.once('error', reject);
    t.once('secureConnect', () => {
      t.write('ping');
      t.once('data', (d) => {
        t.destroy();
        resolve(d.toString());
      });
    });
  });
}

async function dialError(req: DialRequest): Promise<DialError> {
  try {
    const s = await dial(req);
    s.destroy();
  } catch (e) {
    expect(e).toBeInstanceOf(DialError);
    expect((e as DialError).kind).toBe('connection');
    return e as DialError;
  }
  throw new Error('dial succeeded');
}

describe('dial', () => {
  test('direct: a TCP socket TLS runs over', async () => {
    const s = await dial({ host: '127.0.0.1', port: serverPort, proxy: null, timeoutMs: 10_000 });
    expect(await tlsEcho(s, 'localhost')).toBe('ping');
  });

  test('through the proxy: the proxy resolves the onion name, TLS verifies the cert for that name', async () => {
    const before = proxy.requests.length;
    const s = await dial({ host: ONION_IN_CERT, port: 10009, proxy: viaProxy(), timeoutMs: 10_000 });
    expect(await tlsEcho(s, ONION_IN_CERT)).toBe('ping');
    // The proxy got the name itself (SOCKS5 address type 3), not an address the client looked up.
    expect(proxy.requests.slice(before)).toEqual([{ type: 'name', host: ONION_IN_CERT, port: 10009 }]);
  });

  test('a cert without the onion name fails verification for it; another name the cert holds works (--tls-server-name)', async () => {
    const s1 = await dial({ host: ONION, port: 10009, proxy: viaProxy(), timeoutMs: 10_000 });
    await expect(tlsEcho(s1, ONION)).rejects.toThrow(/altnames|does not match/i);
    const s2 = await dial({ host: ONION, port: 10009, proxy: viaProxy(), timeoutMs: 10_000 });
    expect(await tlsEcho(s2, 'localhost')).toBe('ping');
  });

  test('an IP target goes to the proxy as an address', async () => {
    const before = proxy.requests.length;
    const s = await dial({ host: '127.0.0.1', port: serverPort, proxy: viaProxy(), timeoutMs: 10_000 });
    expect(await tlsEcho(s, 'localhost')).toBe('ping');
    expect(proxy.requests.slice(before)).toEqual([{ type: 'ipv4', host: '127.0.0.1', port: serverPort }]);
  });

  test('direct, nothing listening: exit 4 naming the address, retryable', async () => {
    const e = await dialError({ host: '127.0.0.1', port: refusedPort, proxy: null, timeoutMs: 10_000 });
    expect(e.message).toBe(
      `cannot reach lnd at 127.0.0.1:${refusedPort} (connection refused): check that lnd runs and the address is right`,
    );
    expect([e.stage, e.retryable, e.proxy]).toEqual(['connect', true, null]);
  });

  test('the proxy port is dead (Tor not running): exit 4 naming the proxy, retryable', async () => {
    const e = await dialError({
      host: ONION,
      port: 10009,
      proxy: { host: '127.0.0.1', port: refusedPort, source: 'default for .onion addresses' },
      timeoutMs: 10_000,
    });
    expect(e.message).toMatch(
      new RegExp(
        `^SOCKS5 proxy 127\\.0\\.0\\.1:${refusedPort} refused the connection: is Tor running\\? \\(proxy default for \\.onion addresses; needed for ${ONION}:10009\\)$`,
      ),
    );
    expect([e.stage, e.retryable, e.proxy]).toEqual(['connect', true, `127.0.0.1:${refusedPort}`]);
  });

  test.each<[string, number, RegExp, boolean]>([
    [
      'host unreachable (Tor: onion not reachable)',
      4,
      /the proxy answered "host unreachable" \(for an onion address: the node or its Tor service is offline, or the address is wrong\)$/,
      true,
    ],
    ['TTL expired', 6, /the proxy answered "TTL expired" \(for an onion address/, true],
    ['connection refused', 5, /the proxy answered "connection refused by the target"$/, true],
    ['general failure', 1, /the proxy answered "general SOCKS server failure"/, true],
    ['not allowed by its rules', 2, /the proxy answered "connection not allowed by the proxy rules"$/, false],
    ['address type not supported', 8, /the proxy answered "address type not supported"$/, false],
  ])('the proxy answers %s: exit 4 naming target, proxy and the reply', async (_n, code, re, retryable) => {
    const p = await startSocksProxy({}, { kind: 'reply', code });
    try {
      const e = await dialError({
        host: ONION,
        port: 10009,
        proxy: { host: p.host, port: p.port, source: '--socks5' },
        timeoutMs: 10_000,
      });
      expect(e.message).toMatch(
        new RegExp(`^cannot reach ${ONION}:10009 through SOCKS5 proxy 127\\.0\\.0\\.1:${p.port}: `),
      );
      expect(e.message).toMatch(re);
      expect([e.stage, e.retryable]).toEqual(['socks', retryable]);
    } finally {
      await p.close();
    }
  });

  test('an onion the proxy cannot resolve, and one whose node is down, answered by the proxy', async () => {
    const unknown = await dialError({ host: fakeOnion('unknown'), port: 10009, proxy: viaProxy(), timeoutMs: 10_000 });
    expect(unknown.message).toMatch(/"host unreachable"/);
    const down = await dialError({ host: fakeOnion('down'), port: 10009, proxy: viaProxy(), timeoutMs: 10_000 });
    expect(down.message).toMatch(/"connection refused by the target"/);
  });

  test.each<[string, 'silent' | 'hang-connect']>([
    ['the proxy never answers the greeting', 'silent'],
    ['the proxy never answers the CONNECT', 'hang-connect'],
  ])('timeout during the SOCKS handshake (%s): exit 4 after the connect timeout', async (_n, kind) => {
    const p = await startSocksProxy({}, { kind });
    try {
      const t0 = Date.now();
      const e = await dialError({
        host: ONION,
        port: 10009,
        proxy: { host: p.host, port: p.port, source: '--socks5' },
        timeoutMs: 800,
      });
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(750);
      expect(took).toBeLessThan(15_000);
      expect(e.message).toBe(
        `SOCKS5 proxy 127.0.0.1:${p.port} did not connect to ${ONION}:10009 within 0.8 s; Tor may still be building a circuit: retry, or raise --connect-timeout`,
      );
      expect([e.stage, e.retryable]).toEqual(['socks', true]);
    } finally {
      await p.close();
    }
  });

  test.each<[string, 'close-after-greeting' | 'auth-required' | 'not-socks', RegExp, boolean]>([
    [
      'closes after the greeting',
      'close-after-greeting',
      /closed the connection during the handshake for .*; is it Tor's SocksPort \(not its ControlPort\)\?$/,
      true,
    ],
    ['wants a password', 'auth-required', /asks for a user name and password, which htlc-tail does not send/, false],
    ['is not a SOCKS5 proxy', 'not-socks', /^127\.0\.0\.1:\d+ is not a SOCKS5 proxy/, false],
  ])('the proxy %s', async (_n, kind, re, retryable) => {
    const p = await startSocksProxy({}, { kind });
    try {
      const e = await dialError({
        host: ONION,
        port: 10009,
        proxy: { host: p.host, port: p.port, source: '--socks5' },
        timeoutMs: 10_000,
      });
      expect(e.message).toMatch(re);
      expect(e.retryable).toBe(retryable);
    } finally {
      await p.close();
    }
  });

  test('aborting a dial destroys the socket and rejects', async () => {
    const p = await startSocksProxy({}, { kind: 'silent' });
    try {
      const ac = new AbortController();
      const pending = dial({
        host: ONION,
        port: 10009,
        proxy: { host: p.host, port: p.port, source: '--socks5' },
        timeoutMs: 30_000,
        signal: ac.signal,
      });
      setTimeout(() => ac.abort(), 100);
      await expect(pending).rejects.toBeInstanceOf(DialAbortedError);
      await expect(
        dial({ host: '127.0.0.1', port: serverPort, proxy: null, timeoutMs: 1000, signal: ac.signal }),
      ).rejects.toBeInstanceOf(DialAbortedError);
    } finally {
      await p.close();
    }
  });
});
