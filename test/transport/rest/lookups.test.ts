/**
 * Alias and node lookups over lnd's REST port (GetInfo, ListChannels with
 * peer_alias_lookup, GetNodeInfo) against the simulated node: the same
 * answers the gRPC client gives, lnd's quirks handled (an error text in
 * peer_alias, NOT_FOUND for a peer missing from the graph), refusals
 * reported with lnd's text.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { LndTarget } from '../../../src/transport/target.js';
import { restLookups } from '../../../src/transport/rest/lookups.js';
import { startSimNode, type SimNodeHandle } from '@htlc-tail/lnd-sim';

let node: SimNodeHandle;

beforeAll(async () => {
  node = await startSimNode({ seed: 5, rest: true });
});
afterAll(async () => {
  await node.stop();
});

function target(macaroon: Buffer | null): LndTarget {
  return {
    host: node.host,
    port: node.restPort!,
    tlsServerName: 'localhost',
    certPem: Buffer.from(node.certPem),
    certSource: 'tls.cert',
    macaroon,
    macaroonSource: 'test.macaroon',
    connectTimeoutMs: 5000,
  };
}

describe('REST lookups', () => {
  test('GetInfo', async () => {
    const info = await restLookups(target(node.macaroons.readonly)).getInfo();
    expect(info).toMatchObject({
      alias: node.node.alias,
      identityPubkey: node.node.pubkey,
      blockHeight: node.node.blockHeight,
      network: 'regtest',
    });
  });

  test('ListChannels: every channel with its peer alias; lnd error text in peer_alias is no alias', async () => {
    const chans = await restLookups(target(node.macaroons.readonly)).listChannels();
    expect(chans.map((c) => c.chanId)).toEqual(node.node.channels.map((c) => c.chanId.toString()));
    for (const [i, c] of chans.entries()) {
      const peer = node.node.channels[i]!.peer;
      expect(c.remotePubkey).toBe(peer.pubkey);
      expect(c.peerAlias).toBe(peer.graphAlias === null ? '' : peer.listAlias);
    }
  });

  test('GetNodeInfo: the graph alias, and "" for a peer the graph does not know (NOT_FOUND)', async () => {
    const l = restLookups(target(node.macaroons.readonly));
    for (const c of node.node.channels) {
      expect(await l.getNodeAlias(c.peer.pubkey)).toBe(c.peer.graphAlias ?? '');
    }
  });

  test.each([
    ['invoice.macaroon lacks offchain:read', 'invoice', 'permission denied'],
    ['no macaroon', null, 'expected 1 macaroon, got 0'],
  ] as const)("%s: rejected with lnd's text", async (_name, mac, text) => {
    const l = restLookups(target(mac === null ? null : node.macaroons[mac]));
    await expect(l.listChannels()).rejects.toMatchObject({ code: 2, details: text });
  });
});
