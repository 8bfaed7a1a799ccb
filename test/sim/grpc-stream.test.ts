/**
 * The HTLC event stream over real gRPC + TLS: subscribed first, live traffic,
 * scripted streams, bursts followed by an error, lnd-like shutdown, flood.
 */
import { describe, expect, test } from '@jest/globals';
import { startSimNode, type SimNodeHandle, type SimNodeOptions } from '@htlc-tail/lnd-sim';
import { connect, metadataFor, subscribeRaw, type Clients } from './grpc-helpers.js';

const UNKNOWN = 2;
const TERMINATED = 'htlc event subscription terminated';

async function withNodeOn(opts: SimNodeOptions, fn: (node: SimNodeHandle, c: Clients) => Promise<void>): Promise<void> {
  const node = await startSimNode(opts);
  const c = await connect(node.rpcserver, node.certPem);
  try {
    await fn(node, c);
  } finally {
    c.close();
    await node.stop();
  }
}

describe.each(['grpc-js', 'h2'] as const)('transport %s', (transport) => {
  const withNode = (opts: SimNodeOptions, fn: (node: SimNodeHandle, c: Clients) => Promise<void>) =>
    withNodeOn({ transport, ...opts }, fn);

  describe('live traffic', () => {
    test('subscribed_event first, then realistic events', async () => {
      await withNode({ rate: 300, seed: 4 }, async (node, c) => {
        const before = BigInt(Date.now()) * 1_000_000n;
        const r = await subscribeRaw(c, await metadataFor(node.macaroons.readonly), (evs) => evs.length >= 40);
        const [first, ...rest] = r.events;
        expect(first).toMatchObject({
          event: 'subscribed',
          eventType: 0,
          timestampNs: '0',
          incomingChannelId: '0',
          outgoingChannelId: '0',
          incomingHtlcId: '0',
          outgoingHtlcId: '0',
        });
        expect(rest.length).toBeGreaterThanOrEqual(39);
        expect(rest.every((e) => e.event !== 'subscribed')).toBe(true);
        const after = BigInt(Date.now()) * 1_000_000n;
        for (const e of rest) {
          // lnd's wall clock: between subscribing and now (allow the generator's on-chain finals to be later).
          expect(BigInt(e.timestampNs) >= before - 1_000_000_000n).toBe(true);
          expect(BigInt(e.timestampNs) <= after + 120_000_000_000n).toBe(true);
          const chan = e.incomingChannelId !== '0' ? e.incomingChannelId : e.outgoingChannelId;
          expect(BigInt(chan) > 2n ** 53n).toBe(true);
        }
        expect(new Set(rest.map((e) => e.event)).size).toBeGreaterThanOrEqual(3);
        expect(r.status.code).toBe(1); // we cancelled
      });
    });

    test('proto-loader clients see the same stream (uint64 as strings)', async () => {
      await withNode({ rate: 200, seed: 5 }, async (node, c) => {
        const got: any[] = [];
        const call = c.router.SubscribeHtlcEvents({}, await metadataFor(node.macaroons.router));
        await new Promise<void>((resolve) => {
          call.on('data', (m: any) => {
            got.push(m);
            if (got.length === 10) resolve();
          });
        });
        call.cancel();
        call.on('error', () => {});
        expect(got[0].event).toBe('subscribed_event');
        expect(got[0].event_type).toBe('UNKNOWN');
        const withChan = got.slice(1).find((m) => m.incoming_channel_id !== '0');
        expect(typeof withChan.incoming_channel_id).toBe('string');
        expect(BigInt(withChan.incoming_channel_id) > 2n ** 53n).toBe(true);
      });
    });

    test('two subscribers get the same live events', async () => {
      await withNode({ rate: 200, seed: 6 }, async (node, c) => {
        const md = await metadataFor(node.macaroons.readonly);
        const a = subscribeRaw(c, md, (evs) => evs.length >= 60);
        const b = subscribeRaw(c, md, (evs) => evs.length >= 60);
        const [ra, rb] = await Promise.all([a, b]);
        const keyOf = (e: { timestampNs: string; event: string; incomingHtlcId: string; outgoingHtlcId: string }) =>
          `${e.timestampNs}/${e.event}/${e.incomingHtlcId}/${e.outgoingHtlcId}`;
        const sa = new Set(ra.events.slice(1).map(keyOf));
        const common = rb.events.slice(1).filter((e) => sa.has(keyOf(e)));
        expect(common.length).toBeGreaterThan(30);
      });
    });
  });

  describe('scripted streams', () => {
    test('a burst of N events then an error status arrives complete, connection after connection', async () => {
      const N = 60;
      await withNode({ seed: 7, scenario: { steps: [{ generate: N }, { error: TERMINATED }] } }, async (node, c) => {
        const md = await metadataFor(node.macaroons.readonly);
        for (let i = 0; i < 25; i++) {
          const r = await subscribeRaw(c, md);
          expect(r.status).toEqual({ code: UNKNOWN, details: TERMINATED });
          expect(r.events).toHaveLength(N + 1);
          expect(r.events[0]!.event).toBe('subscribed');
        }
        expect(node.connections).toBe(25);
      });
    });

    test('exact events, sleeps, and per-connection scripts', async () => {
      const fwd = {
        incoming_channel_id: '934529867202002945',
        outgoing_channel_id: '947916497447583744',
        incoming_htlc_id: '1771',
        outgoing_htlc_id: '42',
        timestamp_ns: '1750000000123456789',
        event_type: 'FORWARD',
        forward_event: {
          info: {
            incoming_timelock: 870200,
            outgoing_timelock: 870120,
            incoming_amt_msat: '1001200',
            outgoing_amt_msat: '1000000',
          },
        },
      };
      const settle = {
        ...fwd,
        forward_event: undefined,
        timestamp_ns: '1750000000623456789',
        settle_event: { preimage: Buffer.alloc(32, 0x11).toString('base64') },
      };
      const scenario = {
        connections: [
          [{ send: fwd }, { sleep: 100 }, { send: settle }, { end: true as const }],
          [{ error: 'routerrpc server shutting down' }],
        ],
      };
      await withNode({ seed: 8, scenario }, async (node, c) => {
        const md = await metadataFor(node.macaroons.readonly);
        const t0 = Date.now();
        const r1 = await subscribeRaw(c, md);
        expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
        expect(r1.status.code).toBe(0);
        expect(r1.events.map((e) => e.event)).toEqual(['subscribed', 'forward', 'settle']);
        expect(r1.events[1]).toMatchObject({
          incomingChannelId: '934529867202002945',
          outgoingHtlcId: '42',
          timestampNs: '1750000000123456789',
          eventType: 3,
          info: {
            incomingTimelock: 870200,
            outgoingTimelock: 870120,
            incomingAmtMsat: '1001200',
            outgoingAmtMsat: '1000000',
          },
        });
        expect(Buffer.from(r1.events[2]!.preimage!).toString('hex')).toBe('11'.repeat(32));
        for (let i = 0; i < 3; i++) {
          const r = await subscribeRaw(c, md);
          expect(r.status).toEqual({ code: UNKNOWN, details: 'routerrpc server shutting down' });
          expect(r.events.map((e) => e.event)).toEqual(['subscribed']);
        }
      });
    });

    test('subscribed: false emulates lnd before 0.16; a missing timestamp means now', async () => {
      const scenario = {
        subscribed: false,
        steps: [{ send: { event_type: 'RECEIVE', incoming_channel_id: '1', settle_event: {} } }],
        then: 'end' as const,
      };
      await withNode({ seed: 9, scenario }, async (node, c) => {
        const before = BigInt(Date.now() - 1000) * 1_000_000n;
        const r = await subscribeRaw(c, await metadataFor(node.macaroons.readonly));
        expect(r.events.map((e) => e.event)).toEqual(['settle']);
        expect(BigInt(r.events[0]!.timestampNs) > before).toBe(true);
        expect(r.status.code).toBe(0);
      });
    });
  });

  describe('node control', () => {
    test('emit, endStreams and restart behave like lnd', async () => {
      await withNode({ seed: 10 }, async (node, c) => {
        const md = await metadataFor(node.macaroons.readonly);
        const p = subscribeRaw(c, md);
        await node.waitForStreams(1);
        node.emit({
          event_type: 'SEND',
          outgoing_channel_id: '947916497447583744',
          outgoing_htlc_id: '3',
          forward_fail_event: {},
        });
        await new Promise((r) => setTimeout(r, 50));
        node.endStreams();
        const r = await p;
        expect(r.events.map((e) => e.event)).toEqual(['subscribed', 'forward_fail']);
        expect(r.status).toEqual({ code: UNKNOWN, details: TERMINATED });

        // restart: the stream ends like lnd shutting down, then the node listens again on the same port.
        const p2 = subscribeRaw(c, md);
        await node.waitForStreams(1);
        await node.restart({ downMs: 100 });
        const r2 = await p2;
        expect(r2.status).toEqual({ code: UNKNOWN, details: TERMINATED });
        const r3 = await subscribeRaw(c, md, (evs) => evs.length >= 1);
        expect(r3.events[0]!.event).toBe('subscribed');
        expect(node.connections).toBe(3);
      });
    });
  });

  describe('flood mode', () => {
    test('N events as fast as flow control allows, every one decodable', async () => {
      const N = 20_000;
      await withNode({ seed: 12, flood: N }, async (node, c) => {
        const t0 = Date.now();
        const r = await subscribeRaw(
          c,
          await metadataFor(node.macaroons.readonly),
          (evs) => evs.length >= N + 1,
          20_000,
        );
        expect(r.events).toHaveLength(N + 1);
        expect(r.events[0]!.event).toBe('subscribed');
        const kinds = new Set(r.events.map((e) => e.event));
        for (const k of ['forward', 'settle', 'link_fail', 'final_htlc', 'forward_fail'])
          expect(kinds.has(k as never)).toBe(true);
        expect(Date.now() - t0).toBeLessThan(15_000);
      });
    });
  });
});
