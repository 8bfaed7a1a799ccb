/**
 * Tor and SOCKS5 proxies, end to end: the built CLI reaches simulated nodes
 * at fake `.onion` names through the test SOCKS5 proxy (test/helpers), which
 * resolves the names itself (the CLI never looks them up). gRPC stream and
 * unary calls, REST and WebSocket, lndconnect with an onion host, profiles
 * with onion rpcservers (two nodes through one proxy), `check`; a proxy that
 * refuses or is down is exit 4 naming it, retried under --wait; an onion
 * target with no proxy named uses 127.0.0.1:9050 and says so.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimNode, type SimNodeHandle, type LndDirPaths } from '@htlc-tail/lnd-sim';
import { deadPort, fakeOnion, startSocksProxy, type TestSocksProxy } from '../helpers/socks5-proxy.js';
import { lncliMacaroonName, writeProfiles } from '../fixtures/make-profiles.js';
import { jsonLines } from './run-cli.js';
import { cli, expectExit, expectNoSecrets, macaroonSecrets, oneErrorLine } from './sim-fixture.js';

const HOME = { HOME: '/nonexistent-home' };
const GRPC_ONION = fakeOnion('grpc');
const REST_ONION = fakeOnion('rest');
const SECOND_ONION = fakeOnion('second');
const UNKNOWN_ONION = fakeOnion('nobody');

let node: SimNodeHandle;
let second: SimNodeHandle;
let dir: LndDirPaths;
let proxy: TestSocksProxy;
let tmp: string;
let secrets: string[];
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-tor-'));
  // The certs hold the onion names, as lnd's do with tlsextradomain (what Umbrel and Start9 set).
  node = await startSimNode({
    scenario: { steps: [{ generate: 3 }], then: 'hold' },
    seed: 21,
    rest: true,
    cert: { extraDomains: [GRPC_ONION, REST_ONION] },
  });
  second = await startSimNode({
    scenario: { steps: [{ generate: 3 }], then: 'hold' },
    seed: 22,
    cert: { extraDomains: [SECOND_ONION] },
  });
  dir = await node.writeLndDir(path.join(tmp, 'lnd'));
  proxy = await startSocksProxy({
    [GRPC_ONION]: { host: '127.0.0.1', port: node.port },
    [REST_ONION]: { host: '127.0.0.1', port: node.restPort! },
    [SECOND_ONION]: { host: '127.0.0.1', port: second.port },
  });
  secrets = macaroonSecrets([...Object.values(node.macaroons), ...Object.values(second.macaroons)]);
});
afterAll(async () => {
  await proxy.close();
  await node.stop();
  await second.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const socks = () => `127.0.0.1:${proxy.port}`;
const files = () => ['--lnddir', dir.lnddir, '--network', node.network];
const tail = ['-f', 'jsonl', '--count', '3', '--no-stats'];

/** The proxy's requests made during `run`. */
async function requestsOf<T>(run: () => Promise<T>): Promise<{ result: T; requests: typeof proxy.requests }> {
  const before = proxy.requests.length;
  const result = await run();
  return { result, requests: proxy.requests.slice(before) };
}

describe('through the SOCKS5 proxy', () => {
  test('gRPC (stream and the alias lookups) to an .onion rpcserver: the proxy resolves the name', async () => {
    const { result: r, requests } = await requestsOf(() =>
      cli([...files(), '--rpcserver', `${GRPC_ONION}:10009`, '--socks5', socks(), ...tail], { env: HOME }),
    );
    expectExit(r, 0);
    expect(jsonLines(r.stdout)).toHaveLength(3);
    expect(r.stderr).toBe('');
    // The stream and the unary connection (aliases) both went through it, by name.
    expect(requests.length).toBeGreaterThanOrEqual(2);
    for (const q of requests) expect(q).toEqual({ type: 'name', host: GRPC_ONION, port: 10009 });
    expectNoSecrets(r, secrets);
  });

  test('HTLC_TAIL_SOCKS5 names the proxy the same way', async () => {
    const { result: r, requests } = await requestsOf(() =>
      cli([...files(), '--rpcserver', `${GRPC_ONION}:10009`, ...tail], { env: { ...HOME, HTLC_TAIL_SOCKS5: socks() } }),
    );
    expectExit(r, 0);
    expect(jsonLines(r.stdout)).toHaveLength(3);
    expect(requests.length).toBeGreaterThanOrEqual(1);
  });

  test.each(['rest', 'ws'])('--transport %s to an .onion restserver', async (transport) => {
    const { result: r, requests } = await requestsOf(() =>
      cli([...files(), '--transport', transport, '--restserver', `${REST_ONION}:8080`, '--socks5', socks(), ...tail], {
        env: HOME,
      }),
    );
    expectExit(r, 0);
    expect(jsonLines(r.stdout)).toHaveLength(3);
    expect(requests.length).toBeGreaterThanOrEqual(2);
    for (const q of requests) expect(q).toEqual({ type: 'name', host: REST_ONION, port: 8080 });
  });

  test('an lndconnect URI with an onion host (as Umbrel and Start9 hand out)', async () => {
    const der = new X509Certificate(node.certPem).raw.toString('base64url');
    const uri = `lndconnect://${GRPC_ONION}:10009?cert=${der}&macaroon=${node.macaroons.readonly.toString('base64url')}`;
    const { result: r, requests } = await requestsOf(() =>
      cli(['--lndconnect', uri, '--socks5', socks(), ...tail], { env: HOME }),
    );
    expectExit(r, 0);
    expect(jsonLines(r.stdout)).toHaveLength(3);
    expect(requests[0]).toEqual({ type: 'name', host: GRPC_ONION, port: 10009 });
    expectNoSecrets(r, secrets);
  });

  test('two profiles with onion rpcservers through one proxy: each line with its node', async () => {
    const prof = (name: string, onion: string, n: SimNodeHandle) => ({
      name,
      rpcserver: `${onion}:10009`,
      network: n.network,
      tlscert: n.certPem,
      macaroons: [{ name: lncliMacaroonName('readonly.macaroon'), macaroon: n.macaroons.readonly }],
    });
    const file = writeProfiles(path.join(tmp, 'onions.json'), {
      profiles: [prof('umbrel', GRPC_ONION, node), prof('start9', SECOND_ONION, second)],
    });
    const r = await cli(
      [
        '--profiles-file',
        file,
        '-p',
        'all',
        '--socks5',
        socks(),
        '-f',
        'jsonl',
        '--count',
        '6',
        '--no-stats',
        '--no-aliases',
      ],
      { env: HOME },
    );
    expectExit(r, 0);
    const lines = jsonLines(r.stdout);
    expect(lines.filter((l) => l.node === 'umbrel')).toHaveLength(3);
    expect(lines.filter((l) => l.node === 'start9')).toHaveLength(3);
  });

  test('check through the proxy', async () => {
    const r = await cli(['check', ...files(), '--rpcserver', `${GRPC_ONION}:10009`, '--socks5', socks()], {
      env: HOME,
    });
    expectExit(r, 0);
    expect(r.stdout).toMatch(
      new RegExp(`accepts connections \\(through SOCKS5 proxy 127\\.0\\.0\\.1:${proxy.port}\\)`),
    );
    expect(r.stdout).toMatch(
      new RegExp(`^ok +config +.*; SOCKS5 proxy 127\\.0\\.0\\.1:${proxy.port} \\(--socks5\\)$`, 'm'),
    );
    expect(r.stdout).toMatch(/^ready: htlc-tail can tail/m);
  });
});

describe('a proxy that refuses or is down: exit 4 naming it', () => {
  test('the proxy cannot reach the onion (host unreachable)', async () => {
    const r = await cli([...files(), '--rpcserver', `${UNKNOWN_ONION}:10009`, '--socks5', socks(), ...tail], {
      env: HOME,
    });
    expectExit(r, 4);
    expect(oneErrorLine(r)).toMatch(
      new RegExp(
        `cannot reach ${esc(UNKNOWN_ONION)}:10009 through SOCKS5 proxy 127\\.0\\.0\\.1:${proxy.port}: .*"host unreachable"`,
      ),
    );
  });

  test('the proxy refuses the connection (reply "connection refused")', async () => {
    const refusing = await startSocksProxy({}, { kind: 'reply', code: 5 });
    try {
      const r = await cli(
        [...files(), '--rpcserver', `${GRPC_ONION}:10009`, '--socks5', `127.0.0.1:${refusing.port}`, ...tail],
        { env: HOME },
      );
      expectExit(r, 4);
      expect(oneErrorLine(r)).toMatch(
        new RegExp(
          `through SOCKS5 proxy 127\\.0\\.0\\.1:${refusing.port}: the proxy answered "connection refused by the target"`,
        ),
      );
    } finally {
      await refusing.close();
    }
  });

  test('nothing listens at the proxy address', async () => {
    const port = await deadPort();
    const r = await cli([...files(), '--rpcserver', `${GRPC_ONION}:10009`, '--socks5', `127.0.0.1:${port}`, ...tail], {
      env: HOME,
    });
    expectExit(r, 4);
    expect(oneErrorLine(r)).toMatch(
      new RegExp(
        `^htlc-tail: SOCKS5 proxy 127\\.0\\.0\\.1:${port} refused the connection: is Tor running\\? \\(proxy --socks5; needed for ${esc(GRPC_ONION)}:10009\\)`,
      ),
    );
  });

  test('--wait: retried until the proxy gets through, then events', async () => {
    const flaky = await startSocksProxy(
      { [GRPC_ONION]: { host: '127.0.0.1', port: node.port } },
      { kind: 'reply', code: 4 },
    );
    try {
      let switched = false;
      const r = await cli(
        [...files(), '--rpcserver', `${GRPC_ONION}:10009`, '--socks5', `127.0.0.1:${flaky.port}`, '--wait', ...tail],
        {
          env: HOME,
          onSpawn: () => {
            // Once it has been refused (and is waiting), the proxy gets through.
            const timer = setInterval(() => {
              if (flaky.requests.length >= 1 && !switched) {
                switched = true;
                flaky.mode = { kind: 'normal' };
                clearInterval(timer);
              }
            }, 50);
            timer.unref();
          },
        },
      );
      expectExit(r, 0);
      expect(jsonLines(r.stdout)).toHaveLength(3);
      expect(r.stderr).toMatch(new RegExp(`SOCKS5 proxy 127\\.0\\.0\\.1:${flaky.port}`));
    } finally {
      await flaky.close();
    }
  });
});

describe('an .onion target with no proxy named', () => {
  test("uses Tor's 127.0.0.1:9050 and says so once (exit 4 naming it when Tor is not running)", async () => {
    const torRunning = await new Promise<boolean>((resolve) => {
      const s = net.connect(9050, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (torRunning) {
      console.warn('skipped: something listens on 127.0.0.1:9050 (a Tor daemon?)');
      return;
    }
    const r = await cli([...files(), '--rpcserver', `${GRPC_ONION}:10009`, '--connect-timeout', '5', ...tail], {
      env: HOME,
    });
    expectExit(r, 4);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `htlc-tail: ${GRPC_ONION}:10009 is a Tor onion address and no proxy was named: connecting through Tor's SOCKS5 proxy at 127.0.0.1:9050 (set --socks5 or HTLC_TAIL_SOCKS5 for another, e.g. 127.0.0.1:9150 for Tor Browser)`,
    );
    expect(lines[1]).toMatch(/^htlc-tail: SOCKS5 proxy 127\.0\.0\.1:9050 refused the connection: is Tor running\?/);
    // check: the config line names the default proxy, the tcp step fails naming it.
    const c = await cli(['check', ...files(), '--rpcserver', `${GRPC_ONION}:10009`], { env: HOME });
    expectExit(c, 4);
    expect(c.stdout).toMatch(/^ok +config +.*; SOCKS5 proxy 127\.0\.0\.1:9050 \(default for \.onion addresses\)$/m);
    expect(c.stdout).toMatch(/^FAIL +tcp +SOCKS5 proxy 127\.0\.0\.1:9050 refused the connection/m);
  });
});
