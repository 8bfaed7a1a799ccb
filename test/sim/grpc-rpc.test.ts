/**
 * GetInfo, ListChannels and GetNodeInfo as a client sees them, and TLS
 * certificate pinning / name checks over real connections.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { generateLndCert, startSimNode, type SimNodeHandle } from '@htlc-tail/lnd-sim';
import { connect, metadataFor, subscribeRaw, unary, type Clients } from './grpc-helpers.js';

describe.each(['grpc-js', 'h2'] as const)('transport %s', (transport) => {
  let node: SimNodeHandle;
  let c: Clients;

  beforeAll(async () => {
    node = await startSimNode({ seed: 21, transport, hostileAliases: true });
    c = await connect(node.rpcserver, node.certPem);
  });

  afterAll(async () => {
    c.close();
    await node.stop();
  });

  describe('GetInfo', () => {
    test('looks like lnd 0.18 on regtest', async () => {
      const info = await unary(c.lightning, 'GetInfo', {}, await metadataFor(node.macaroons.readonly));
      expect(info.version).toBe('0.18.4-beta commit=v0.18.4-beta');
      expect(info.alias).toBe('htlc-tail-sim');
      expect(info.identity_pubkey).toMatch(/^0[23][0-9a-f]{64}$/);
      expect(info.block_height).toBeGreaterThan(860_000);
      expect(info.block_height).toBeLessThan(880_000);
      expect(info.synced_to_chain).toBe(true);
      expect(info.chains).toEqual([{ chain: 'bitcoin', network: 'regtest' }]);
      expect(info.num_active_channels).toBe(5);
    });
  });

  describe('ListChannels and GetNodeInfo', () => {
    test('peer_alias only with peer_alias_lookup, with the awkward cases present', async () => {
      const md = await metadataFor(node.macaroons.readonly);
      const plain = await unary(c.lightning, 'ListChannels', {}, md);
      expect(plain.channels).toHaveLength(6);
      expect(plain.channels.every((ch: any) => ch.peer_alias === '')).toBe(true);
      for (const ch of plain.channels) {
        expect(typeof ch.chan_id).toBe('string');
        expect(BigInt(ch.chan_id) > 2n ** 53n).toBe(true);
        expect(ch.remote_pubkey).toMatch(/^0[23][0-9a-f]{64}$/);
      }
      const looked = await unary(c.lightning, 'ListChannels', { peer_alias_lookup: true }, md);
      const aliases = looked.channels.map((ch: any) => ch.peer_alias);
      expect(aliases).toContain('⚡ Zürich-node');
      expect(aliases).toContain('ACINQ');
      expect(aliases).toContain('');
      expect(aliases.some((a: string) => a.includes('\u001b'))).toBe(true);
      // What lnd puts in peer_alias when the peer is not in the graph.
      expect(aliases).toContain('unable to lookup peer alias: alias for node not found');
      const active = await unary(c.lightning, 'ListChannels', { active_only: true }, md);
      expect(active.channels).toHaveLength(5);
    });

    test('GetNodeInfo knows the alias that ListChannels left empty; unknown nodes are NOT_FOUND', async () => {
      const md = await metadataFor(node.macaroons.readonly);
      const looked = await unary(c.lightning, 'ListChannels', { peer_alias_lookup: true }, md);
      const empty = looked.channels.find((ch: any) => ch.peer_alias === '');
      const ni = await unary(c.lightning, 'GetNodeInfo', { pub_key: empty.remote_pubkey }, md);
      expect(ni.node.alias).toBe('LNBiG [Hub-3]');
      expect(ni.node.pub_key).toBe(empty.remote_pubkey);
      const priv = looked.channels.find((ch: any) => ch.peer_alias.startsWith('unable to lookup'));
      await expect(unary(c.lightning, 'GetNodeInfo', { pub_key: priv.remote_pubkey }, md)).rejects.toMatchObject({
        code: 5,
        details: 'unable to find node',
      });
    });
  });

  describe('TLS', () => {
    test('a certificate without 127.0.0.1 fails by IP and works with a server-name override', async () => {
      const n2 = await startSimNode({ seed: 22, cert: { host: 'simnode', ipAddresses: [] }, transport });
      try {
        const md = await metadataFor(n2.macaroons.readonly);
        const byIp = await connect(n2.rpcserver, n2.certPem);
        const r1 = await subscribeRaw(byIp, md);
        byIp.close();
        expect(r1.events).toHaveLength(0);
        expect(r1.status.code).toBe(14); // UNAVAILABLE: the handshake fails on the name
        const byName = await connect(n2.rpcserver, n2.certPem, { 'grpc.ssl_target_name_override': 'localhost' });
        const r2 = await subscribeRaw(byName, md, (evs) => evs.length >= 1);
        byName.close();
        expect(r2.events[0]!.event).toBe('subscribed');
      } finally {
        await n2.stop();
      }
    });

    test('pinning another certificate fails the handshake', async () => {
      const other = generateLndCert();
      const wrong = await connect(node.rpcserver, other.certPem);
      try {
        const r = await subscribeRaw(wrong, await metadataFor(node.macaroons.readonly));
        expect(r.events).toHaveLength(0);
        expect(r.status.code).toBe(14);
      } finally {
        wrong.close();
      }
    });
  });
});
