/**
 * The macaroon step's pure part on macaroons minted as lnd bakes them: the
 * four defaults, caveats, a uri: permission, malformed bytes. Nothing shown
 * ever holds the macaroon's bytes, nonce, root key id or signature.
 */
import { describe, expect, test } from '@jest/globals';
import {
  DEFAULT_MACAROON_PERMISSIONS,
  mintMacaroon,
  parseMacaroon,
  timeBeforeCaveat,
  type DefaultMacaroonName,
  type Permission,
} from '../../src/macaroon/index.js';
import { compactPermissions, describeCaveats, macaroonOutcome, parseMacaroonFile } from '../../src/check/macaroon.js';
import { exitCodeFor } from '../../src/errors.js';
import type { StepOutcome } from '../../src/check/types.js';

const ROOT = Buffer.alloc(32, 9);
const NOW = new Date('2030-06-01T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const mint = (permissions: readonly Permission[], caveats: string[] = []) =>
  mintMacaroon({ rootKey: ROOT, permissions, caveats });
const outcome = (bytes: Buffer): StepOutcome => macaroonOutcome(parseMacaroon(bytes), '/m/x.macaroon', NOW);

/** Every secret-bearing piece of a macaroon, as hex (whole, nonce, signature). */
function secretsOf(bytes: Buffer): string[] {
  const m = parseMacaroon(bytes);
  return [
    bytes.toString('hex'),
    Buffer.from(m.identifier.nonce).toString('hex'),
    Buffer.from(m.signature).toString('hex'),
  ];
}

function expectNoSecrets(o: StepOutcome, bytes: Buffer): void {
  const text = `${o.detail} ${o.remedy ?? ''}`;
  for (const s of secretsOf(bytes)) expect(text.toLowerCase()).not.toContain(s.slice(0, 16));
  expect(text).not.toMatch(/[0-9a-f]{16,}/i);
}

describe("lnd's four default macaroons", () => {
  test.each<[DefaultMacaroonName, string, StepOutcome['status'], RegExp]>([
    // Least privilege (issue 11): more than the tail needs is a warning, naming readonly.macaroon and the bake command.
    [
      'admin',
      'address,info,invoices,message,offchain,onchain,peers:read,write macaroon:generate,read,write signer:generate,read',
      'warn',
      /grants offchain:read, info:read; it grants more than htlc-tail needs \(address:write, info:write, invoices:write, macaroon:generate and \d+ more\)/,
    ],
    [
      'readonly',
      'address,info,invoices,macaroon,message,offchain,onchain,peers,signer:read',
      'ok',
      /grants offchain:read, info:read$/,
    ],
    [
      'router',
      'offchain:read,write',
      'warn',
      /grants offchain:read; it lacks info:read: no peer aliases or block height; it grants more than htlc-tail needs \(offchain:write\)/,
    ],
    [
      'invoice',
      'address,invoices:read,write onchain:read',
      'fail',
      /it lacks offchain:read, which SubscribeHtlcEvents needs$/,
    ],
  ])('%s.macaroon', (name, perms, status, tail) => {
    const bytes = mint(DEFAULT_MACAROON_PERMISSIONS[name]);
    const o = outcome(bytes);
    expect(o.status).toBe(status);
    expect(o.detail.startsWith(`/m/x.macaroon: ${perms}; no caveats; `)).toBe(true);
    expect(o.detail).toMatch(tail);
    if (o.status === 'fail') {
      expect(o.exitCode).toBe(5);
      expect(o.remedy).toMatch(/readonly\.macaroon.*--macaroonpath/);
    }
    if (name === 'admin' || name === 'router')
      expect(o.remedy).toMatch(/readonly\.macaroon .*lncli bakemacaroon offchain:read info:read/);
    expectNoSecrets(o, bytes);
  });
});

describe('least privilege', () => {
  test.each<[string, Permission[], StepOutcome['status']]>([
    [
      'exactly what the tail needs',
      [
        { entity: 'offchain', action: 'read' },
        { entity: 'info', action: 'read' },
      ],
      'ok',
    ],
    [
      'reads only, more entities (like readonly.macaroon)',
      [
        { entity: 'offchain', action: 'read' },
        { entity: 'info', action: 'read' },
        { entity: 'onchain', action: 'read' },
      ],
      'ok',
    ],
    [
      "uri: the tail's own methods",
      [
        { entity: 'uri', action: '/routerrpc.Router/SubscribeHtlcEvents' },
        { entity: 'info', action: 'read' },
      ],
      'ok',
    ],
    [
      'one write',
      [
        { entity: 'offchain', action: 'read' },
        { entity: 'info', action: 'read' },
        { entity: 'onchain', action: 'write' },
      ],
      'warn',
    ],
    [
      'uri: a method the tail never calls',
      [
        { entity: 'offchain', action: 'read' },
        { entity: 'info', action: 'read' },
        { entity: 'uri', action: '/lnrpc.Lightning/SendCoins' },
      ],
      'warn',
    ],
  ])('%s → %s', (_n, perms, status) => {
    const o = outcome(mint(perms));
    expect(o.status).toBe(status);
    if (status === 'warn') {
      expect(o.detail).toMatch(
        /grants more than htlc-tail needs \((onchain:write|uri:\/lnrpc\.Lightning\/SendCoins)\)/,
      );
      expect(o.remedy).toContain('lncli bakemacaroon offchain:read info:read');
      expect(o.remedy).toContain('readonly.macaroon');
    }
  });
});

describe('caveats', () => {
  const readonly = DEFAULT_MACAROON_PERMISSIONS.readonly;
  test.each<[string, string[], StepOutcome['status'], RegExp]>([
    [
      'time-before in 30 days',
      [timeBeforeCaveat(new Date(NOW.getTime() + 30 * DAY))],
      'ok',
      /caveats: time-before 2030-07-01T12:00:00Z \(in 30 days\); grants/,
    ],
    [
      'time-before in 3 days',
      [timeBeforeCaveat(new Date(NOW.getTime() + 3 * DAY))],
      'warn',
      /\(in 3 days\).*expires in 3 days$/,
    ],
    ['time-before in 5 hours', [timeBeforeCaveat(new Date(NOW.getTime() + 5 * HOUR))], 'warn', /\(in 5 hours\)/],
    [
      'time-before passed',
      [timeBeforeCaveat(new Date(NOW.getTime() - DAY))],
      'fail',
      /time-before 2030-05-31T12:00:00Z \(expired\); expired 2030-05-31T12:00:00\.000Z$/,
    ],
    ['ipaddr', ['ipaddr 10.0.0.7'], 'ok', /caveats: ipaddr 10\.0\.0\.7; grants/],
    ['unknown condition', ['custom-thing 1'], 'warn', /caveat custom-thing is unknown here$/],
  ])('%s → %s', (_n, caveats, status, pattern) => {
    const bytes = mint(readonly, caveats);
    const o = outcome(bytes);
    expect(o.status).toBe(status);
    expect(o.detail).toMatch(pattern);
    if (o.status === 'fail') {
      expect(o.exitCode).toBe(5);
      expect(o.remedy).toMatch(/bake a new one/);
    }
    expectNoSecrets(o, bytes);
  });

  test('describeCaveats counts third-party caveats', () => {
    expect(describeCaveats([], 0, NOW)).toBe('no caveats');
    expect(describeCaveats(['ipaddr 1.2.3.4'], 2, NOW)).toBe('caveats: ipaddr 1.2.3.4, 2 third-party caveats');
  });
});

describe('permissions', () => {
  test('a uri: permission for SubscribeHtlcEvents is enough to subscribe', () => {
    const o = outcome(mint([{ entity: 'uri', action: '/routerrpc.Router/SubscribeHtlcEvents' }]));
    expect(o.status).toBe('warn'); // no info:read
    expect(o.detail).toMatch(
      /^\/m\/x\.macaroon: uri:\/routerrpc\.Router\/SubscribeHtlcEvents; no caveats; grants uri:\/routerrpc\.Router\/SubscribeHtlcEvents;/,
    );
  });

  test('a uri: permission for another method is not', () => {
    const o = outcome(mint([{ entity: 'uri', action: '/lnrpc.Lightning/GetInfo' }]));
    expect(o.status === 'fail' && o.exitCode).toBe(5);
  });

  test('compactPermissions groups entities with the same actions', () => {
    expect(compactPermissions([])).toBe('no permissions');
    expect(
      compactPermissions([
        { entity: 'info', actions: ['read'] },
        { entity: 'offchain', actions: ['write', 'read'] },
        { entity: 'peers', actions: ['read'] },
      ]),
    ).toBe('info,peers:read offchain:read,write');
  });
});

describe('parseMacaroonFile', () => {
  test.each([
    ['not a v2 macaroon', Buffer.from([0x02, 0xff, 0xff])],
    ['not an lnd identifier', Buffer.from('0201036c6e640205016162636400000620' + '00'.repeat(32), 'hex')],
  ])('%s: configuration error (exit 3) naming the file and option, no bytes', (_n, bytes) => {
    let err: unknown;
    try {
      parseMacaroonFile(bytes, '/m/bad.macaroon', '--macaroonpath');
    } catch (e) {
      err = e;
    }
    expect(exitCodeFor(err)).toBe(3);
    const msg = (err as Error).message;
    expect(msg).toMatch(
      /^macaroon \/m\/bad\.macaroon is not an lnd macaroon \(.+\); set --macaroonpath to readonly\.macaroon$/,
    );
    expect(msg).not.toContain(bytes.toString('hex'));
  });
});
