/**
 * The cert step's pure part on real certificates shaped like lnd's (made by
 * the simulator's generator with various names and validity periods).
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { generateLndCert, type CertOptions } from '@htlc-tail/lnd-sim';
import {
  certCovers,
  certOutcome,
  keyTypeOf,
  parseCertPem,
  parseSubjectAltName,
  shortIp,
  summarizeCert,
} from '../../src/check/cert.js';
import { exitCodeFor } from '../../src/errors.js';

const START = new Date('2030-01-01T00:00:00Z');
const DAY = 86_400_000;
const cert = (o: CertOptions = {}) =>
  new X509Certificate(generateLndCert({ host: 'node1', notBefore: START, ...o }).certPem);
const at = (days: number) => new Date(START.getTime() + days * DAY);

describe('summarizeCert', () => {
  test("lnd's default names, key type and validity", () => {
    const s = summarizeCert(cert());
    expect(s).toEqual({
      keyType: 'EC P-256',
      selfSigned: true,
      issuer: 'node1',
      notBefore: START,
      notAfter: new Date(START.getTime() + 420 * DAY),
      dnsNames: ['node1', 'localhost', 'unix', 'unixpacket', 'bufconn'],
      ips: ['127.0.0.1', '::1'],
    });
  });

  test('extra domains and IPs (tlsextradomain, tlsextraip), IPv6 in short form', () => {
    const s = summarizeCert(cert({ extraDomains: ['node.example.com'], extraIps: ['10.0.0.5', 'FE80::1'] }));
    expect(s.dnsNames).toContain('node.example.com');
    expect(s.ips).toEqual(['127.0.0.1', '::1', '10.0.0.5', 'fe80::1']);
  });
});

describe('certCovers, as the handshake checks the name', () => {
  const c = cert({ extraDomains: ['*.wild.example'], extraIps: ['10.0.0.5', 'fe80::1'] });
  test.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['localhost', true],
    ['node1', true],
    ['a.wild.example', true],
    ['10.0.0.5', true],
    ['fe80::1', true],
    ['fe80:0:0:0:0:0:0:1', true],
    ['10.0.0.6', false],
    ['127.0.0.2', false],
    ['other.example', false],
    ['wild.example', false],
  ])('%s → %s', (name, covered) => {
    expect(certCovers(c, name)).toBe(covered);
  });
});

describe('certOutcome', () => {
  const target = (name: string, now = at(1), nameSource: '--tls-server-name' | 'host' = 'host') => ({
    source: '/lnd/tls.cert',
    name,
    nameSource,
    now,
  });

  test('a valid cert that covers the target: ok, with key type, expiry, names, IPs', () => {
    const o = certOutcome(cert(), target('127.0.0.1'));
    expect(o.status).toBe('ok');
    expect(o.detail).toBe(
      '/lnd/tls.cert: EC P-256, self-signed, valid until 2031-02-25 (419 days); names node1, localhost, unix, unixpacket, bufconn; IPs 127.0.0.1, ::1; covers 127.0.0.1',
    );
  });

  test.each<[string, CertOptions, string, '--tls-server-name' | 'host', RegExp[]]>([
    [
      'dialed by an IP the cert lacks',
      { ipAddresses: [] },
      '127.0.0.1',
      'host',
      [
        /no IPs; it does not cover the host 127\.0\.0\.1/,
        /pass --tls-server-name localhost/,
        /tlsextraip=127\.0\.0\.1/,
      ],
    ],
    [
      'dialed by a name the cert lacks',
      {},
      'mynode.example.com',
      'host',
      [
        /does not cover the host mynode\.example\.com/,
        /--tls-server-name localhost/,
        /tlsextradomain=mynode\.example\.com/,
      ],
    ],
    [
      'a --tls-server-name the cert lacks',
      {},
      'other.example',
      '--tls-server-name',
      [/does not cover --tls-server-name other\.example/, /tlsextradomain=other\.example/],
    ],
    [
      'a cert without localhost suggests its first name',
      { dnsNames: ['node9'], ipAddresses: [] },
      '10.1.1.1',
      'host',
      [/names node9; no IPs/, /pass --tls-server-name node9/, /tlsextraip=10\.1\.1\.1/],
    ],
  ])('%s: FAIL, exit 4, with the remedy', (_name, opts, name, nameSource, patterns) => {
    const o = certOutcome(cert(opts), target(name, at(1), nameSource));
    expect(o.status).toBe('fail');
    expect(o.status === 'fail' && o.exitCode).toBe(4);
    const line = `${o.detail}; ${o.remedy}`;
    for (const p of patterns) expect(line).toMatch(p);
  });

  test.each<[string, CertOptions, Date, 'ok' | 'warn' | 'fail', RegExp]>([
    ['valid for a long time', {}, at(1), 'ok', /valid until 2031-02-25 \(419 days\)/],
    ['31 days left', { validityDays: 40 }, at(9), 'ok', /\(31 days\)/],
    ['10 days left', { validityDays: 15 }, at(5), 'warn', /expires in 10 days/],
    ['5 hours left', { validityDays: 15 }, new Date(at(15).getTime() - 5 * 3_600_000), 'warn', /expires in 5 hours/],
    [
      'expired',
      { validityDays: 15 },
      at(16),
      'fail',
      /self-signed, expired 2030-01-16; .*; the certificate has expired$/,
    ],
    ['not yet valid', {}, at(-1), 'fail', /not valid before 2030-01-01T00:00:00\.000Z/],
  ])('%s → %s', (_name, opts, now, status, pattern) => {
    const o = certOutcome(cert(opts), target('localhost', now));
    expect(o.status).toBe(status);
    expect(o.detail).toMatch(pattern);
    if (o.status === 'fail') expect(o.exitCode).toBe(4);
    if (status !== 'ok') expect(o.remedy).toMatch(/clock|tls\.key/);
  });
});

describe('pieces', () => {
  test.each<[string, () => import('node:crypto').KeyObject, string]>([
    ['EC P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey, 'EC P-256'],
    ['EC P-384', () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey, 'EC P-384'],
    ['RSA 2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, 'RSA 2048'],
    ['Ed25519', () => generateKeyPairSync('ed25519').publicKey, 'Ed25519'],
  ])('keyTypeOf %s', (_n, key, expected) => {
    expect(keyTypeOf(key())).toBe(expected);
  });

  test('parseSubjectAltName: DNS and IP entries, quoted values, other kinds ignored', () => {
    expect(
      parseSubjectAltName(
        'DNS:a, DNS:"b,c", IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, URI:http://x, email:e@x',
      ),
    ).toEqual({ dnsNames: ['a', 'b,c'], ips: ['127.0.0.1', '::1'] });
    expect(parseSubjectAltName(undefined)).toEqual({ dnsNames: [], ips: [] });
  });

  test('shortIp', () => {
    expect(shortIp('FE80:0:0:0:0:0:0:1')).toBe('fe80::1');
    expect(shortIp('10.0.0.1')).toBe('10.0.0.1');
  });

  test('parseCertPem: a file that is not a certificate is a configuration error (exit 3) naming file and option', () => {
    let err: unknown;
    try {
      parseCertPem(
        Buffer.from('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n'),
        '/x/tls.cert',
        '--tlscertpath',
      );
    } catch (e) {
      err = e;
    }
    expect(exitCodeFor(err)).toBe(3);
    expect((err as Error).message).toMatch(/\/x\/tls\.cert.*--tlscertpath/);
  });
});
