import { createHmac } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import {
  addFirstPartyCaveat,
  allowsMethod,
  canonicalOps,
  caveatExpiry,
  checkCaveat,
  decodeIdentifier,
  decodeMacaroonV2,
  DEFAULT_MACAROON_NAMES,
  DEFAULT_MACAROON_PERMISSIONS,
  deriveKey,
  encodeIdentifier,
  encodeMacaroonV2,
  expectedSignature,
  flattenOps,
  hasPermission,
  looksLikeHexText,
  MacaroonError,
  mintMacaroon,
  parseMacaroon,
  timeBeforeCaveat,
  verifySignature,
  type RawMacaroon,
} from '@htlc-tail/lnd-macaroon';

const ROOT = Buffer.alloc(32, 7);

describe('signatures (gopkg.in/macaroon.v2 / libmacaroons)', () => {
  // The libmacaroons README example, reproduced by every macaroon library.
  const key = Buffer.from('this is our super secret key; only we should know it');
  const id = Buffer.from('we used our secret key');

  test('derived key and root signature match the libmacaroons vector', () => {
    expect(deriveKey(key)).toEqual(createHmac('sha256', 'macaroons-key-generator').update(key).digest());
    expect(expectedSignature(key, { identifier: id, caveats: [] }).toString('hex')).toBe(
      'e3d9e02908526c4c0039ae15114115d97fdd68bf2ba379b342aaf0f617d0552f',
    );
  });

  test('first-party caveats chain the signature like libmacaroons', () => {
    const one = [{ id: Buffer.from('account = 3735928559') }];
    expect(expectedSignature(key, { identifier: id, caveats: one }).toString('hex')).toBe(
      '1efe4763f290dbce0c1d08477367e11f4eee456a64933cf662d79772dbb82128',
    );
    const three = ['account = 3735928559', 'time < 2020-01-01T00:00', 'email = alice@example.org'].map((c) => ({
      id: Buffer.from(c),
    }));
    expect(expectedSignature(key, { identifier: id, caveats: three }).toString('hex')).toBe(
      'ddf553e46083e55b8d71ab822be3d8fcf21d6bf19c40d617bb9fb438934474b6',
    );
  });
});

describe('v2 binary format', () => {
  test('encode/decode round trip, with and without caveats and location', () => {
    const cases: RawMacaroon[] = [
      { location: 'lnd', identifier: Buffer.from([3, 1, 2, 3]), caveats: [], signature: Buffer.alloc(32, 1) },
      {
        location: '',
        identifier: Buffer.from('id'),
        caveats: [{ id: Buffer.from('time-before 2030-01-01T00:00:00Z') }],
        signature: Buffer.alloc(32, 2),
      },
      {
        location: 'lnd',
        identifier: Buffer.alloc(300, 9), // a length that needs a 2-byte varint
        caveats: [
          { id: Buffer.from('a') },
          { id: Buffer.from('tp'), verificationId: Buffer.from('vid'), location: 'https://x' },
        ],
        signature: Buffer.alloc(32, 3),
      },
    ];
    for (const m of cases) {
      const bytes = encodeMacaroonV2(m);
      expect(bytes[0]).toBe(2);
      const back = decodeMacaroonV2(bytes);
      expect(back.location).toBe(m.location);
      expect(Buffer.from(back.identifier)).toEqual(Buffer.from(m.identifier));
      expect(Buffer.from(back.signature)).toEqual(Buffer.from(m.signature));
      expect(
        back.caveats.map((c) => [
          Buffer.from(c.id).toString(),
          c.verificationId && Buffer.from(c.verificationId).toString(),
          c.location,
        ]),
      ).toEqual(
        m.caveats.map((c) => [
          Buffer.from(c.id).toString(),
          c.verificationId && Buffer.from(c.verificationId).toString(),
          c.location,
        ]),
      );
      expect(encodeMacaroonV2(back)).toEqual(bytes);
    }
  });

  test('a minted macaroon has exactly the byte layout lnd writes', () => {
    // lnd's invoice.macaroon: 02 | loc "lnd" | id (0x03 + protobuf) | EOS | EOS | sig.
    const nonce = Buffer.alloc(16, 0xab);
    const bytes = mintMacaroon({ rootKey: ROOT, permissions: DEFAULT_MACAROON_PERMISSIONS.invoice, nonce });
    const expectedPrefix =
      '0201036c6e64' + // version, location "lnd"
      '0258' + // identifier, 88 bytes
      '030a10' +
      'ab'.repeat(16) + // id version 3, nonce
      '120130' + // storageId "0"
      '1a160a0761646472657373120472656164120577726974651a' + // address: read, write
      '170a08696e766f69636573120472656164120577726974651a' + // invoices: read, write
      '0f0a076f6e636861696e120472656164' + // onchain: read
      '0000' + // end of header, end of caveats
      '0620'; // signature, 32 bytes
    expect(bytes.subarray(0, bytes.length - 32).toString('hex')).toBe(expectedPrefix);
  });

  test('malformed input gets go-macaroon style errors', () => {
    const good = mintMacaroon({ rootKey: ROOT, permissions: DEFAULT_MACAROON_PERMISSIONS.readonly });
    const err = (b: Uint8Array) => {
      try {
        decodeMacaroonV2(b);
        return 'no error';
      } catch (e) {
        expect(e).toBeInstanceOf(MacaroonError);
        return (e as Error).message;
      }
    };
    expect(err(new Uint8Array(0))).toBe('empty macaroon data');
    expect(err(Buffer.from([0xff, 1, 2]))).toBe('cannot determine data format of binary-encoded macaroon');
    expect(err(good.subarray(0, 10))).toBe('unmarshal v2: field data extends past end of buffer');
    expect(err(good.subarray(0, good.length - 33))).toMatch(/^unmarshal v2: /);
    expect(err(Buffer.from([2, 2, 1, 0x41]))).toBe('unmarshal v2: section extends past end of buffer');
    expect(err(Buffer.from([2, 2, 1, 0x41, 1, 1, 0x42, 0]))).toBe('unmarshal v2: fields out of order');
    expect(err(Buffer.concat([good.subarray(0, good.length - 34), Buffer.from([0x06, 0x05, 1, 2, 3, 4, 5])]))).toBe(
      'unmarshal v2: signature has unexpected length',
    );
    expect(err(Buffer.from(good.toString('hex')))).toMatch(/^unmarshal v1: /);
  });

  test('looksLikeHexText tells a hex-text macaroon from the binary file', () => {
    const good = mintMacaroon({ rootKey: ROOT, permissions: DEFAULT_MACAROON_PERMISSIONS.readonly });
    expect(looksLikeHexText(Buffer.from(good.toString('hex') + '\n'))).toBe(true);
    expect(looksLikeHexText(good)).toBe(false);
  });
});

describe('identifier', () => {
  test('round trip and canonical ops', () => {
    const ops = canonicalOps([
      { entity: 'offchain', action: 'write' },
      { entity: 'info', action: 'read' },
      { entity: 'offchain', action: 'read' },
      { entity: 'offchain', action: 'read' },
    ]);
    expect(ops).toEqual([
      { entity: 'info', actions: ['read'] },
      { entity: 'offchain', actions: ['read', 'write'] },
    ]);
    const id = encodeIdentifier({ nonce: Buffer.alloc(16, 1), storageId: Buffer.from('0'), ops });
    const back = decodeIdentifier(id);
    expect(back.version).toBe(3);
    expect(Buffer.from(back.storageId).toString()).toBe('0');
    expect(Buffer.from(back.nonce)).toEqual(Buffer.alloc(16, 1));
    expect(back.ops).toEqual(ops);
    expect(flattenOps(back.ops)).toHaveLength(3);
  });

  test('a non-lnd identifier is rejected with a clear error', () => {
    expect(() => decodeIdentifier(Buffer.from('we used our secret key'))).toThrow(/identifier version 119/);
    expect(() => decodeIdentifier(Buffer.from([3, 0x0a, 0x20, 1]))).toThrow(MacaroonError);
  });
});

describe('mint, verify, parse', () => {
  test('a minted macaroon verifies under its root key only', () => {
    const bytes = mintMacaroon({ rootKey: ROOT, permissions: DEFAULT_MACAROON_PERMISSIONS.admin });
    expect(verifySignature(decodeMacaroonV2(bytes), ROOT)).toBe(true);
    expect(verifySignature(decodeMacaroonV2(bytes), Buffer.alloc(32, 8))).toBe(false);
  });

  test('tampered macaroons fail verification', () => {
    const bytes = mintMacaroon({ rootKey: ROOT, permissions: DEFAULT_MACAROON_PERMISSIONS.readonly });
    // Flip one bit anywhere in the identifier (e.g. grant a permission) or the signature.
    for (const at of [20, 40, bytes.length - 1]) {
      const t = Buffer.from(bytes);
      t[at]! ^= 0x01;
      let ok: boolean;
      try {
        ok = verifySignature(decodeMacaroonV2(t), ROOT);
      } catch {
        ok = false;
      }
      expect(ok).toBe(false);
    }
    // Dropping a caveat breaks the chain too.
    const withCaveat = addFirstPartyCaveat(bytes, timeBeforeCaveat(new Date('2099-01-01T00:00:00Z')));
    const raw = decodeMacaroonV2(withCaveat);
    expect(verifySignature(raw, ROOT)).toBe(true);
    expect(verifySignature({ ...raw, caveats: [] }, ROOT)).toBe(false);
  });

  test('addFirstPartyCaveat keeps the macaroon valid and visible', () => {
    const bytes = mintMacaroon({ rootKey: ROOT, permissions: DEFAULT_MACAROON_PERMISSIONS.readonly });
    const c = addFirstPartyCaveat(addFirstPartyCaveat(bytes, 'ipaddr 127.0.0.1'), 'time-before 2030-01-01T00:00:00Z');
    const p = parseMacaroon(c);
    expect(p.caveats).toEqual(['ipaddr 127.0.0.1', 'time-before 2030-01-01T00:00:00Z']);
    expect(verifySignature(decodeMacaroonV2(c), ROOT)).toBe(true);
    expect(caveatExpiry(p.caveats)?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  test('parseMacaroon reports location, identifier and caveats', () => {
    const p = parseMacaroon(
      mintMacaroon({
        rootKey: ROOT,
        permissions: DEFAULT_MACAROON_PERMISSIONS.router,
        caveats: ['time-before 2031-05-06T07:08:09.5Z'],
      }),
    );
    expect(p.location).toBe('lnd');
    expect(p.identifier.version).toBe(3);
    expect(p.identifier.nonce).toHaveLength(16);
    expect(p.identifier.ops).toEqual([{ entity: 'offchain', actions: ['read', 'write'] }]);
    expect(p.caveats).toEqual(['time-before 2031-05-06T07:08:09.5Z']);
    expect(p.thirdPartyCaveats).toBe(0);
    expect(p.signature).toHaveLength(32);
    expect(() =>
      parseMacaroon(
        encodeMacaroonV2({
          location: 'x',
          identifier: Buffer.from('plain id'),
          caveats: [],
          signature: Buffer.alloc(32),
        }),
      ),
    ).toThrow(/^not an lnd macaroon: /);
  });
});

describe("lnd's default macaroons", () => {
  const table: Array<[string, string, string, boolean]> = [
    ['admin', 'offchain', 'read', true],
    ['admin', 'info', 'read', true],
    ['admin', 'offchain', 'write', true],
    ['admin', 'macaroon', 'generate', true],
    ['readonly', 'offchain', 'read', true],
    ['readonly', 'info', 'read', true],
    ['readonly', 'offchain', 'write', false],
    ['readonly', 'invoices', 'read', true],
    ['invoice', 'offchain', 'read', false],
    ['invoice', 'info', 'read', false],
    ['invoice', 'invoices', 'write', true],
    ['invoice', 'onchain', 'read', true],
    ['router', 'offchain', 'read', true],
    ['router', 'offchain', 'write', true],
    ['router', 'info', 'read', false],
  ];
  test.each(table)('%s has %s:%s = %s (decoded from the minted bytes)', (name, entity, action, expected) => {
    const bytes = mintMacaroon({ rootKey: ROOT, permissions: DEFAULT_MACAROON_PERMISSIONS[name as 'admin'] });
    expect(hasPermission(parseMacaroon(bytes).identifier.ops, entity, action)).toBe(expected);
  });

  test('permission counts: readonly 9, admin 19, invoice 5, router 2', () => {
    const counts = DEFAULT_MACAROON_NAMES.map(
      (n) =>
        flattenOps(
          parseMacaroon(mintMacaroon({ rootKey: ROOT, permissions: DEFAULT_MACAROON_PERMISSIONS[n] })).identifier.ops,
        ).length,
    );
    expect(counts).toEqual([19, 9, 5, 2]);
  });

  test('allowsMethod honours a uri: permission', () => {
    const uriOps = canonicalOps([{ entity: 'uri', action: '/routerrpc.Router/SubscribeHtlcEvents' }]);
    const need = [{ entity: 'offchain', action: 'read' }];
    expect(allowsMethod(uriOps, '/routerrpc.Router/SubscribeHtlcEvents', need)).toBe(true);
    expect(allowsMethod(uriOps, '/lnrpc.Lightning/ListChannels', need)).toBe(false);
    expect(
      allowsMethod(canonicalOps(DEFAULT_MACAROON_PERMISSIONS.readonly), '/lnrpc.Lightning/ListChannels', need),
    ).toBe(true);
  });
});

describe('caveats', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  test('time-before', () => {
    expect(timeBeforeCaveat(new Date('2025-06-01T12:00:00.000Z'))).toBe('time-before 2025-06-01T12:00:00Z');
    expect(timeBeforeCaveat(new Date('2025-06-01T12:00:00.120Z'))).toBe('time-before 2025-06-01T12:00:00.12Z');
    expect(checkCaveat('time-before 2025-06-01T12:00:01Z', { now })).toBeUndefined();
    expect(checkCaveat('time-before 2025-06-01T12:00:00Z', { now })).toBe(
      'caveat "time-before 2025-06-01T12:00:00Z" not satisfied: macaroon has expired',
    );
    expect(checkCaveat('time-before 2025-06-01T13:00:00+02:00', { now })).toBe(
      'caveat "time-before 2025-06-01T13:00:00+02:00" not satisfied: macaroon has expired',
    );
  });
  test('ipaddr, iprange and unknown conditions', () => {
    expect(checkCaveat('ipaddr 127.0.0.1', { now, peerIp: '127.0.0.1' })).toBeUndefined();
    expect(checkCaveat('ipaddr 127.0.0.1', { now, peerIp: '::ffff:127.0.0.1' })).toBeUndefined();
    expect(checkCaveat('ipaddr 10.0.0.1', { now, peerIp: '127.0.0.1' })).toBe(
      'caveat "ipaddr 10.0.0.1" not satisfied: macaroon locked to different IP address',
    );
    expect(checkCaveat('iprange 127.0.0.0/8', { now, peerIp: '127.1.2.3' })).toBeUndefined();
    expect(checkCaveat('iprange 10.0.0.0/8', { now, peerIp: '127.1.2.3' })).toBe(
      'caveat "iprange 10.0.0.0/8" not satisfied: macaroon locked to different IP range',
    );
    expect(checkCaveat('lnd-custom foo bar', { now })).toBe(
      'caveat "lnd-custom foo bar" not satisfied: caveat not recognized',
    );
  });
});
