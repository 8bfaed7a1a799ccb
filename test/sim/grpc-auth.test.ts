/**
 * Authorization over real gRPC + TLS, with lnd's exact texts and status UNKNOWN.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  addFirstPartyCaveat,
  mintMacaroon,
  timeBeforeCaveat,
  DEFAULT_MACAROON_PERMISSIONS,
} from '@htlc-tail/lnd-macaroon';
import { startSimNode, type SimNodeHandle, type WalletState } from '@htlc-tail/lnd-sim';
import { connect, metadataFor, subscribeRaw, unary, type Clients } from './grpc-helpers.js';

const UNKNOWN = 2;
const SUB = '/routerrpc.Router/SubscribeHtlcEvents';

describe.each(['grpc-js', 'h2'] as const)('transport %s', (transport) => {
  let node: SimNodeHandle;
  let c: Clients;

  beforeAll(async () => {
    node = await startSimNode({ seed: 11, transport });
    c = await connect(node.rpcserver, node.certPem);
  });

  afterAll(async () => {
    c.close();
    await node.stop();
  });

  /** What the stream answers with this macaroon: 'ok' (subscribed arrived) or the status details. */
  async function streamAnswer(mac: Parameters<typeof metadataFor>[0]): Promise<string> {
    const r = await subscribeRaw(c, await metadataFor(mac), (evs) => evs.length >= 1);
    if (r.events.length > 0) {
      expect(r.events[0]!.event).toBe('subscribed');
      return 'ok';
    }
    expect(r.status.code).toBe(UNKNOWN);
    return r.status.details;
  }

  async function unaryAnswer(method: string, mac: Parameters<typeof metadataFor>[0]): Promise<string> {
    try {
      await unary(c.lightning, method, {}, await metadataFor(mac));
      return 'ok';
    } catch (e) {
      const err = e as { code: number; details: string };
      expect(err.code).toBe(UNKNOWN);
      return err.details;
    }
  }

  describe('macaroon checks (lnd texts)', () => {
    const past = timeBeforeCaveat(new Date(Date.now() - 60_000));
    const future = timeBeforeCaveat(new Date(Date.now() + 3_600_000));

    const cases: Array<[string, () => Buffer | string | string[] | undefined, string]> = [
      ['no macaroon', () => undefined, 'expected 1 macaroon, got 0'],
      // grpc-js sends repeated metadata as one header joined with ", ", so lnd (and the sim) sees one bad hex value.
      [
        'two macaroons (grpc-js joins them)',
        () => [node.macaroons.readonly.toString('hex'), node.macaroons.admin.toString('hex')],
        "encoding/hex: invalid byte: U+002C ','",
      ],
      ['readonly', () => node.macaroons.readonly, 'ok'],
      ['admin', () => node.macaroons.admin, 'ok'],
      ['router', () => node.macaroons.router, 'ok'],
      ['invoice (no offchain:read)', () => node.macaroons.invoice, 'permission denied'],
      [
        'foreign (other root key)',
        () => mintMacaroon({ rootKey: Buffer.alloc(32, 1), permissions: DEFAULT_MACAROON_PERMISSIONS.admin }),
        'verification failed: signature mismatch after caveat verification',
      ],
      [
        'tampered signature',
        () => {
          const t = Buffer.from(node.macaroons.readonly);
          t[t.length - 1]! ^= 0xff;
          return t;
        },
        'verification failed: signature mismatch after caveat verification',
      ],
      [
        'tampered identifier (invoice claiming offchain)',
        () => Buffer.from(node.macaroons.invoice.toString('latin1').replace('invoices', 'offchain'), 'latin1'),
        'verification failed: signature mismatch after caveat verification',
      ],
      ['not hex', () => 'zz', "encoding/hex: invalid byte: U+007A 'z'"],
      ['odd hex', () => 'abc', 'encoding/hex: odd length hex string'],
      ['not a macaroon', () => 'ff00ff', 'cannot determine data format of binary-encoded macaroon'],
      [
        'truncated',
        () => node.macaroons.readonly.subarray(0, 20),
        'unmarshal v2: field data extends past end of buffer',
      ],
      ['readonly + future time-before', () => addFirstPartyCaveat(node.macaroons.readonly, future), 'ok'],
      // lnd >= 0.13 retries with the uri: permission, so an expired broad macaroon says "permission denied".
      ['readonly + past time-before', () => addFirstPartyCaveat(node.macaroons.readonly, past), 'permission denied'],
      ['uri macaroon', () => node.mintMacaroon([{ entity: 'uri', action: SUB }]), 'ok'],
      [
        'uri macaroon, expired',
        () => node.mintMacaroon([{ entity: 'uri', action: SUB }], [past]),
        `caveat "${past}" not satisfied: macaroon has expired`,
      ],
      ['readonly + ipaddr 127.0.0.1', () => addFirstPartyCaveat(node.macaroons.readonly, 'ipaddr 127.0.0.1'), 'ok'],
      [
        'readonly + ipaddr 10.9.8.7',
        () => addFirstPartyCaveat(node.macaroons.readonly, 'ipaddr 10.9.8.7'),
        'permission denied',
      ],
      [
        'other storage id',
        () =>
          mintMacaroon({
            rootKey: node.rootKey,
            permissions: DEFAULT_MACAROON_PERMISSIONS.admin,
            storageId: Buffer.from('1'),
          }),
        "cannot retrieve macaroon: cannot get macaroon: root key with id 1 doesn't exist",
      ],
    ];

    test.each(cases)('SubscribeHtlcEvents, %s', async (_name, mac, expected) => {
      expect(await streamAnswer(mac())).toBe(expected);
    });

    test('GetInfo and GetNodeInfo need info:read, ListChannels offchain:read', async () => {
      expect(await unaryAnswer('GetInfo', node.macaroons.readonly)).toBe('ok');
      expect(await unaryAnswer('GetInfo', node.macaroons.router)).toBe('permission denied');
      expect(await unaryAnswer('GetInfo', node.macaroons.invoice)).toBe('permission denied');
      expect(await unaryAnswer('GetNodeInfo', node.macaroons.router)).toBe('permission denied');
      expect(await unaryAnswer('ListChannels', node.macaroons.router)).toBe('ok');
      expect(await unaryAnswer('ListChannels', node.macaroons.invoice)).toBe('permission denied');
      expect(await unaryAnswer('GetInfo', undefined)).toBe('expected 1 macaroon, got 0');
      // A uri: permission for the stream grants nothing else.
      expect(await unaryAnswer('GetInfo', node.mintMacaroon([{ entity: 'uri', action: SUB }]))).toBe(
        'permission denied',
      );
      expect(
        await unaryAnswer('GetInfo', node.mintMacaroon([{ entity: 'uri', action: '/lnrpc.Lightning/GetInfo' }])),
      ).toBe('ok');
    });
  });

  describe('wallet state is checked before the macaroon', () => {
    const table: Array<[WalletState, string]> = [
      ['NON_EXISTING', 'wallet not created, create one to enable full RPC access'],
      ['LOCKED', 'wallet locked, unlock it to enable full RPC access'],
      ['WAITING_TO_START', 'waiting to start, RPC services not available'],
      ['UNLOCKED', 'the RPC server is in the process of starting up, but not yet ready to accept calls'],
      ['RPC_ACTIVE', 'ok'],
      ['SERVER_ACTIVE', 'ok'],
    ];

    test.each(table)('%s', async (state, expected) => {
      node.setWalletState(state);
      try {
        expect(await streamAnswer(node.macaroons.readonly)).toBe(expected);
        expect(await unaryAnswer('GetInfo', node.macaroons.readonly)).toBe(expected);
        if (expected !== 'ok') {
          // Even without a macaroon, the state error comes first.
          expect(await streamAnswer(undefined)).toBe(expected);
        }
        // State.GetState needs no macaroon.
        const s = await unary(c.state, 'GetState', {}, await metadataFor());
        expect(s.state).toBe(state);
      } finally {
        node.setWalletState('SERVER_ACTIVE');
      }
    });

    test('SubscribeState reports changes', async () => {
      node.setWalletState('LOCKED');
      const seen: string[] = [];
      const call = c.state.SubscribeState({}, await metadataFor());
      await new Promise<void>((resolve) => {
        call.on('data', (m: { state: string }) => {
          seen.push(m.state);
          if (seen.length === 1) {
            node.setWalletState('UNLOCKED');
            node.setWalletState('SERVER_ACTIVE');
          }
          if (seen.length === 3) resolve();
        });
      });
      call.cancel();
      call.on('error', () => {});
      expect(seen).toEqual(['LOCKED', 'UNLOCKED', 'SERVER_ACTIVE']);
    });
  });

  describe('legacy lnd (< 0.13) caveat errors', () => {
    test('an expired readonly macaroon gets the caveat text', async () => {
      const legacy = await startSimNode({ seed: 2, legacyMacaroonErrors: true, transport });
      const lc = await connect(legacy.rpcserver, legacy.certPem);
      try {
        const past = timeBeforeCaveat(new Date(Date.now() - 1000));
        const r = await subscribeRaw(lc, await metadataFor(addFirstPartyCaveat(legacy.macaroons.readonly, past)));
        expect(r.status).toEqual({ code: UNKNOWN, details: `caveat "${past}" not satisfied: macaroon has expired` });
      } finally {
        lc.close();
        await legacy.stop();
      }
    });
  });
});
