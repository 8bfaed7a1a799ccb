/**
 * writeLndDir, the demo node, scenario validation and the transport-agnostic auth function.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { hasPermission, parseMacaroon } from '@htlc-tail/lnd-macaroon';
import { authorize, loadScenarioFile, parseScenario, startDemoNode, startSimNode } from '@htlc-tail/lnd-sim';
import { connect, metadataFor, subscribeRaw } from './grpc-helpers.js';

describe('writeLndDir', () => {
  test('writes what lnd would, and a client connects from the files alone', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sim-lnddir-'));
    const node = await startSimNode({ seed: 31, network: 'testnet' });
    try {
      const p = await node.writeLndDir(dir, { restPort: 18080 });
      expect(p.macaroonDir).toBe(path.join(dir, 'data', 'chain', 'bitcoin', 'testnet'));
      const conf = await readFile(path.join(dir, 'lnd.conf'), 'utf8');
      const lines = conf.split('\n');
      expect(lines).toContain('[Application Options]');
      expect(lines).toContain(`rpclisten=127.0.0.1:${node.port}`);
      expect(lines).toContain('restlisten=127.0.0.1:18080');
      expect(lines).toContain('[Bitcoin]');
      expect(lines).toContain('bitcoin.active=true');
      expect(lines).toContain('bitcoin.testnet=true');
      expect(lines.some((l) => l.startsWith(';'))).toBe(true);
      expect(await readFile(path.join(dir, 'tls.cert'), 'utf8')).toBe(node.certPem);
      expect((await stat(path.join(dir, 'tls.key'))).mode & 0o777).toBe(0o600);
      expect((await stat(p.macaroonPaths.admin)).mode & 0o777).toBe(0o640);
      for (const name of ['admin', 'readonly', 'invoice', 'router'] as const) {
        const bytes = await readFile(path.join(p.macaroonDir, `${name}.macaroon`));
        expect(bytes).toEqual(node.macaroons[name]);
        expect(hasPermission(parseMacaroon(bytes).identifier.ops, 'offchain', 'read')).toBe(name !== 'invoice');
      }
      // Connect using only what is on disk.
      const c = await connect(`127.0.0.1:${node.port}`, await readFile(path.join(dir, 'tls.cert'), 'utf8'));
      const r = await subscribeRaw(
        c,
        await metadataFor(await readFile(path.join(p.macaroonDir, 'readonly.macaroon'))),
        (e) => e.length >= 1,
      );
      c.close();
      expect(r.events[0]!.event).toBe('subscribed');
    } finally {
      await node.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('startDemoNode', () => {
  test('makes a temporary lnddir with live traffic and removes it on stop', async () => {
    const demo = await startDemoNode({ rate: 200, seed: 5 });
    const conf = path.join(demo.lnddir, 'lnd.conf');
    expect(existsSync(conf)).toBe(true);
    expect(existsSync(path.join(demo.lnddir, 'data', 'chain', 'bitcoin', 'regtest', 'readonly.macaroon'))).toBe(true);
    const c = await connect(demo.node.rpcserver, demo.node.certPem);
    const r = await subscribeRaw(c, await metadataFor(demo.node.macaroons.readonly), (e) => e.length >= 5);
    c.close();
    expect(r.events.length).toBeGreaterThanOrEqual(5);
    await demo.stop();
    expect(existsSync(demo.lnddir)).toBe(false);
  });
});

describe('scenarios', () => {
  test('bad steps are rejected with their place', () => {
    expect(() => parseScenario({ steps: [{ sleep: -1 }] })).toThrow('steps[0]: sleep must be a whole number >= 0');
    // eslint-disable-next-line no-loss-of-precision -- the imprecise number is what is being refused
    expect(() => parseScenario({ steps: [{ send: { incoming_channel_id: 934529867202002945 } }] })).toThrow(
      /steps\[0\]\.send: incoming_channel_id: .* write 64-bit values as strings/,
    );
    expect(() => parseScenario({ steps: [{ send: { settle_event: {}, forward_event: {} } }] })).toThrow(
      /more than one oneof member/,
    );
    expect(() => parseScenario({ connections: [[{ error: 'x', code: 99 }]] })).toThrow(
      'connections[0][0]: code must be a gRPC status code 1-16',
    );
    expect(() => parseScenario({ steps: [{ repeat: 2, steps: [{ bogus: 1 }] }] })).toThrow(
      /steps\[0\]\.steps\[0\]: unknown step/,
    );
    expect(() => parseScenario({ steps: [{ send: { event_type: 'SIDEWAYS' } }] })).toThrow(/unknown name "SIDEWAYS"/);
    expect(() => parseScenario({ then: 'later' })).toThrow(/then:/);
    expect(parseScenario([{ end: true }])).toEqual({ steps: [{ end: true }] });
  });

  test('JSON files load', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sim-scn-'));
    try {
      const f = path.join(dir, 's.json');
      await writeFile(f, JSON.stringify({ steps: [{ generate: 3 }, { error: 'htlc event subscription terminated' }] }));
      expect((await loadScenarioFile(f)).steps).toHaveLength(2);
      await writeFile(f, '{ nope');
      await expect(loadScenarioFile(f)).rejects.toThrow(/not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('authorize (transport-agnostic)', () => {
  const rootKeys = new Map([['0', Buffer.alloc(32, 3)]]);
  test('separate macaroon values are counted like lnd', () => {
    const cfg = { walletState: 'SERVER_ACTIVE' as const, rootKeys };
    expect(authorize(cfg, { method: '/routerrpc.Router/SubscribeHtlcEvents', macaroons: ['00', '00'] })).toBe(
      'expected 1 macaroon, got 2',
    );
    expect(authorize(cfg, { method: '/lnrpc.State/GetState', macaroons: [] })).toBeUndefined();
    expect(
      authorize({ ...cfg, noMacaroons: true }, { method: '/lnrpc.Lightning/GetInfo', macaroons: [] }),
    ).toBeUndefined();
    expect(
      authorize(
        { ...cfg, walletState: 'LOCKED', noMacaroons: true },
        { method: '/lnrpc.Lightning/GetInfo', macaroons: [] },
      ),
    ).toBe('wallet locked, unlock it to enable full RPC access');
  });
});
