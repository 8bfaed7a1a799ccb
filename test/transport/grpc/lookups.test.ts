/**
 * The unary calls over the project's own HTTP/2 client (grpcLookups: GetInfo,
 * ListChannels with peer_alias_lookup, GetNodeInfo, State.GetState; protobufjs
 * messages) against the simulated node's grpc-js server (and its node:http2
 * one): the same answers a grpc-js client gets (uint64 as exact strings),
 * lnd's statuses as CallStatus, deadlines, a lost connection opened again,
 * and close() letting calls in flight finish.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import http2 from 'node:http2';
import net from 'node:net';
import { grpcLookups } from '../../../src/transport/grpc/lookups.js';
import type { LndTarget } from '../../../src/transport/target.js';
import { generateLndCert, startSimNode, type SimNodeHandle } from '@htlc-tail/lnd-sim';
import { connect, metadataFor, unary } from '../../sim/grpc-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function targetOf(node: SimNodeHandle, macaroon: Buffer | null, over: Partial<LndTarget> = {}): LndTarget {
  return {
    host: node.host,
    port: node.port,
    tlsServerName: 'localhost',
    certPem: Buffer.from(node.certPem),
    certSource: 'tls.cert',
    macaroon,
    macaroonSource: 'test.macaroon',
    connectTimeoutMs: 5_000,
    ...over,
  };
}

describe.each(['grpc-js', 'h2'] as const)('against the simulated node (%s server)', (transport) => {
  let node: SimNodeHandle;

  beforeAll(async () => {
    node = await startSimNode({ seed: 21, transport, hostileAliases: true });
  });
  afterAll(async () => {
    await node.stop();
  });

  test('GetInfo, ListChannels and GetNodeInfo answer as they do for a grpc-js client (uint64 as exact strings)', async () => {
    const l = grpcLookups(targetOf(node, node.macaroons.readonly));
    cleanups.push(() => l.close());
    const c = await connect(node.rpcserver, node.certPem);
    cleanups.push(() => c.close());
    const md = await metadataFor(node.macaroons.readonly);

    const info = await l.getInfo();
    const jsInfo = await unary(c.lightning, 'GetInfo', {}, md);
    expect(info).toEqual({
      alias: jsInfo.alias,
      identityPubkey: jsInfo.identity_pubkey,
      version: jsInfo.version,
      blockHeight: jsInfo.block_height,
      syncedToChain: true,
      network: 'regtest',
    });

    const chans = await l.listChannels();
    const jsChans = (await unary(c.lightning, 'ListChannels', { peer_alias_lookup: true }, md)).channels;
    expect(chans.map((ch) => ch.chanId)).toEqual(jsChans.map((ch: { chan_id: string }) => ch.chan_id));
    expect(chans.map((ch) => ch.chanId)).toEqual(node.node.channels.map((ch) => ch.chanId.toString()));
    expect(chans.every((ch) => BigInt(ch.chanId) > 2n ** 53n)).toBe(true);
    for (const [i, ch] of chans.entries()) {
      const peer = node.node.channels[i]!.peer;
      expect(ch.remotePubkey).toBe(peer.pubkey);
      // lnd's "unable to lookup peer alias: …" in peer_alias is no alias.
      expect(ch.peerAlias).toBe(peer.graphAlias === null ? '' : peer.listAlias);
    }

    // The graph alias, and '' for a peer the graph does not know (NOT_FOUND is an answer).
    for (const ch of node.node.channels) expect(await l.getNodeAlias(ch.peer.pubkey)).toBe(ch.peer.graphAlias ?? '');
  });

  test('State.GetState needs no macaroon', async () => {
    const l = grpcLookups(targetOf(node, null));
    cleanups.push(() => l.close());
    expect(await l.getState()).toBe('SERVER_ACTIVE');
  });

  test.each([
    ['invoice.macaroon lacks offchain:read', 'invoice', 'permission denied'],
    ['no macaroon', null, 'expected 1 macaroon, got 0'],
  ] as const)("%s: rejected with lnd's status and text", async (_name, mac, text) => {
    const l = grpcLookups(targetOf(node, mac === null ? null : node.macaroons[mac]));
    cleanups.push(() => l.close());
    await expect(l.listChannels()).rejects.toMatchObject({ code: 2, details: text });
  });

  test('close() lets the calls in flight finish; later calls are CANCELLED', async () => {
    const l = grpcLookups(targetOf(node, node.macaroons.readonly));
    const inFlight = Promise.all(node.node.channels.map((ch) => l.getNodeAlias(ch.peer.pubkey)));
    l.close();
    expect(await inFlight).toEqual(node.node.channels.map((ch) => ch.peer.graphAlias ?? ''));
    await expect(l.getInfo()).rejects.toMatchObject({ code: 1, details: 'the tail is ending' });
  });
});

describe('connections', () => {
  test('a node restarted between calls: the next call opens a new connection', async () => {
    const node = await startSimNode({ seed: 3 });
    cleanups.push(() => node.stop());
    const l = grpcLookups(targetOf(node, node.macaroons.readonly));
    cleanups.push(() => l.close());
    const before = await l.getInfo();
    await node.restart({ downMs: 50 });
    expect(await l.getInfo()).toEqual(before);
  });

  test('nothing listening: UNAVAILABLE, worded as a connection that was never established', async () => {
    const srv = net.createServer();
    const port = await new Promise<number>((resolve) =>
      srv.listen(0, '127.0.0.1', () => resolve((srv.address() as net.AddressInfo).port)),
    );
    await new Promise((resolve) => srv.close(resolve));
    const cert = generateLndCert({ host: 'x' });
    const l = grpcLookups({
      host: '127.0.0.1',
      port,
      tlsServerName: '127.0.0.1',
      certPem: Buffer.from(cert.certPem),
      certSource: 'c',
      macaroon: null,
      macaroonSource: 'm',
      connectTimeoutMs: 5_000,
    });
    cleanups.push(() => l.close());
    await expect(l.getInfo()).rejects.toMatchObject({
      code: 14,
      details: expect.stringMatching(/^No connection established\. Last error: ECONNREFUSED/),
    });
  });

  test('a server that never answers the call: DEADLINE_EXCEEDED after the timeout, and the call is cancelled', async () => {
    const cert = generateLndCert({ host: 'x' });
    const server = http2.createSecureServer({ key: cert.keyPem, cert: cert.certPem });
    let seen: http2.IncomingHttpHeaders | undefined;
    let rst: number | undefined;
    server.on('stream', (stream, headers) => {
      seen = headers;
      stream.on('error', () => undefined);
      stream.on('close', () => (rst = stream.rstCode));
    });
    server.on('session', (s) => s.on('error', () => undefined));
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
    );
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const l = grpcLookups(
      {
        host: '127.0.0.1',
        port,
        tlsServerName: '127.0.0.1',
        certPem: Buffer.from(cert.certPem),
        certSource: 'c',
        macaroon: null,
        macaroonSource: 'm',
        connectTimeoutMs: 5_000,
      },
      700,
    );
    cleanups.push(() => l.close());
    await expect(l.getState()).rejects.toMatchObject({ code: 4, details: 'Deadline exceeded' });
    expect(seen).toMatchObject({
      ':path': '/lnrpc.State/GetState',
      'grpc-timeout': '700m',
      'content-type': 'application/grpc',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rst).toBe(http2.constants.NGHTTP2_CANCEL);
  });
});
