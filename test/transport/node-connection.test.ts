/**
 * NodeConnection: one node's name, identity, lookups and event source, over
 * gRPC and over REST, against the simulated node (real TLS, real macaroons).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HtlcEvent } from '../../src/events/model.js';
import type { TargetSpec } from '../../src/transport/credentials.js';
import { DEFAULT_KEEPALIVE } from '../../src/transport/grpc/keepalive.js';
import { NodeConnection, type NodeConnectionConfig } from '../../src/transport/node-connection.js';
import type { TransportName } from '../../src/transport/status.js';
import { startSimNode, type SimNodeHandle } from '@htlc-tail/lnd-sim';

let node: SimNodeHandle;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-node-connection-'));

beforeAll(async () => {
  node = await startSimNode({ seed: 9, rest: true, rate: 200 });
});
afterAll(async () => {
  await node.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function config(transport: TransportName, macaroon: Buffer, profile: string | null = null): NodeConnectionConfig {
  const macaroonPath = path.join(tmp, `${transport}-${profile ?? 'none'}-${macaroon.length}.macaroon`);
  writeFileSync(macaroonPath, macaroon);
  const target: TargetSpec = {
    host: node.host,
    port: transport === 'grpc' ? node.port : node.restPort!,
    tlsServerName: 'localhost',
    cert: { kind: 'pem', pem: Buffer.from(node.certPem), source: 'test' },
    macaroon: { kind: 'file', path: macaroonPath, option: '--macaroonpath' },
    connectTimeoutMs: 5_000,
    proxy: null,
  };
  return { profile, transport, target, wait: false, reconnect: true, keepalive: DEFAULT_KEEPALIVE };
}

describe.each(['grpc', 'rest', 'ws'] as const)('over %s', (transport) => {
  test('name and identity: the pubkey from GetInfo, and the alias as the name when no profile named the node', async () => {
    const c = new NodeConnection(config(transport, node.macaroons.readonly));
    try {
      expect(c.name).toBe(c.address);
      expect(c.label).toBe(c.address);
      expect(await c.identity()).toEqual({
        identity: node.node.pubkey,
        pubkey: node.node.pubkey,
        alias: node.node.alias,
      });
      expect(c.name).toBe(node.node.alias);
      expect(c.label).toBe(node.node.pubkey);
      const named = new NodeConnection(config(transport, node.macaroons.readonly, 'routing'));
      expect(await named.identity()).toMatchObject({ identity: node.node.pubkey, name: 'routing' });
      expect(named.name).toBe('routing');
      expect(named.label).toBe('routing');
      named.close();
    } finally {
      c.close();
    }
  });

  test('a macaroon without info:read: the identity is host:port', async () => {
    const c = new NodeConnection(config(transport, node.macaroons.invoice));
    try {
      expect(await c.identity()).toEqual({ identity: c.address });
      expect(c.name).toBe(c.address);
      expect(c.label).toBe(c.address);
    } finally {
      c.close();
    }
  });

  test('its event source: "connecting to" first, then subscribed, events, and stop() ends run()', async () => {
    const c = new NodeConnection(config(transport, node.macaroons.readonly));
    const notices: string[] = [];
    const events: HtlcEvent[] = [];
    let subscribed: boolean[] = [];
    const source = c.open({
      notify: (m) => notices.push(m),
      onEvent: (ev) => {
        events.push(ev);
        if (events.length === 5) source.stop();
      },
      onGap: () => undefined,
      onSubscribed: (reconnected) => (subscribed = [...subscribed, reconnected]),
    });
    await source.run();
    c.close();
    expect(notices[0]).toBe(
      transport === 'grpc'
        ? `connecting to lnd at ${c.address}`
        : `connecting to lnd's REST port at ${c.address}${transport === 'ws' ? ' (WebSocket)' : ''}`,
    );
    expect(subscribed).toEqual([false]);
    expect(events[0]!.event).toBe('subscribed');
    expect(events.length).toBeGreaterThanOrEqual(5);
  });
});

test('lookups(): a new connection once the macaroon file changed (read again before a reconnect)', async () => {
  const cfg = config('grpc', node.macaroons.invoice);
  const c = new NodeConnection(cfg);
  try {
    const before = c.lookups();
    await expect(before.listChannels()).rejects.toMatchObject({ details: 'permission denied' });
    expect(c.lookups()).toBe(before); // nothing changed
    writeFileSync((cfg.target.macaroon as { path: string }).path, node.macaroons.readonly);
    c.target.reload();
    const after = c.lookups();
    expect(after).not.toBe(before);
    expect((await after.listChannels()).length).toBe(node.node.channels.length);
    await expect(before.getInfo()).rejects.toMatchObject({ code: 1, details: 'the tail is ending' }); // the old one is closed
  } finally {
    c.close();
  }
});
