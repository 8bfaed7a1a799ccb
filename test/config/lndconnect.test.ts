import { describe, expect, test } from '@jest/globals';
import { inspect } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { decodeBase64Lenient, parseLndConnect } from '../../src/config/lndconnect.js';
import { HtlcTailError } from '../../src/errors.js';
import { b64url, CERT_DER, CERT_PEM, MACAROON } from './fixtures.js';

const CERT = b64url(CERT_DER);
const MAC = b64url(MACAROON);

describe('parseLndConnect: good URIs', () => {
  test('host, port, cert (DER → PEM) and macaroon', () => {
    const lc = parseLndConnect(`lndconnect://node.example.com:10009?cert=${CERT}&macaroon=${MAC}`, '--lndconnect');
    expect(lc.host).toBe('node.example.com');
    expect(lc.port).toBe(10009);
    expect(lc.certPem?.toString()).toContain('-----BEGIN CERTIFICATE-----');
    expect(new X509Certificate(lc.certPem!).fingerprint256).toBe(new X509Certificate(CERT_PEM).fingerprint256);
    expect(lc.macaroon?.equals(MACAROON)).toBe(true);
  });

  test.each([
    [
      'no cert (CA-signed node)',
      `lndconnect://h.example:443?macaroon=${MAC}`,
      { host: 'h.example', port: 443, cert: false, mac: true },
    ],
    [
      'no port → 10009',
      `lndconnect://h.example?macaroon=${MAC}`,
      { host: 'h.example', port: 10009, cert: false, mac: true },
    ],
    [
      'IPv6 host',
      `lndconnect://[2001:db8::1]:10009?macaroon=${MAC}`,
      { host: '2001:db8::1', port: 10009, cert: false, mac: true },
    ],
    [
      '0.0.0.0 → localhost',
      `lndconnect://0.0.0.0:10009?macaroon=${MAC}`,
      { host: 'localhost', port: 10009, cert: false, mac: true },
    ],
    [
      'param order, extra params, trailing slash',
      `lndconnect://h:1/?foo=bar&macaroon=${MAC}&cert=${CERT}&x`,
      { host: 'h', port: 1, cert: true, mac: true },
    ],
    ['scheme case-insensitive', `LNDCONNECT://h:1?macaroon=${MAC}`, { host: 'h', port: 1, cert: false, mac: true }],
    [
      'padded standard base64',
      `lndconnect://h:1?cert=${encodeURIComponent(CERT_DER.toString('base64'))}&macaroon=${encodeURIComponent(MACAROON.toString('base64'))}`,
      { host: 'h', port: 1, cert: true, mac: true },
    ],
    [
      'unencoded standard base64 (+ stays +)',
      `lndconnect://h:1?cert=${CERT_DER.toString('base64')}&macaroon=${MACAROON.toString('base64')}`,
      { host: 'h', port: 1, cert: true, mac: true },
    ],
    [
      'hex macaroon',
      `lndconnect://h:1?macaroon=${MACAROON.toString('hex')}`,
      { host: 'h', port: 1, cert: false, mac: true },
    ],
    [
      'PEM text as cert',
      `lndconnect://h:1?cert=${b64url(Buffer.from(CERT_PEM))}&macaroon=${MAC}`,
      { host: 'h', port: 1, cert: true, mac: true },
    ],
    ['no macaroon (resolve decides)', 'lndconnect://h:1', { host: 'h', port: 1, cert: false, mac: false }],
  ])('%s', (_name, uri, want) => {
    const lc = parseLndConnect(uri, '--lndconnect');
    expect({ host: lc.host, port: lc.port, cert: lc.certPem !== null, mac: lc.macaroon !== null }).toEqual(want);
    if (lc.macaroon) expect(lc.macaroon.equals(MACAROON)).toBe(true);
  });

  test('the macaroon does not show when inspected or serialized', () => {
    const lc = parseLndConnect(`lndconnect://h:1?macaroon=${MAC}`, '--lndconnect');
    const hex = MACAROON.toString('hex');
    expect(inspect(lc)).not.toContain(hex.slice(0, 16));
    expect(inspect(lc)).not.toMatch(/<Buffer 02/);
    expect(JSON.stringify(lc)).not.toContain(hex.slice(0, 16));
    expect(JSON.stringify(lc)).not.toContain('"data"');
    expect(Buffer.isBuffer(lc.macaroon)).toBe(true);
  });
});

describe('parseLndConnect: bad URIs are configuration errors that never echo the macaroon', () => {
  test.each([
    [
      'not lndconnect',
      `https://h:1?macaroon=${MAC}`,
      'HTLC_TAIL_LNDCONNECT: not an lndconnect URI (expected lndconnect://HOST:PORT?cert=...&macaroon=...)',
    ],
    [
      'no host',
      `lndconnect://:10009?macaroon=${MAC}`,
      'HTLC_TAIL_LNDCONNECT: lndconnect URI has no valid HOST:PORT after lndconnect://',
    ],
    [
      'bad port',
      `lndconnect://h:99999?macaroon=${MAC}`,
      'HTLC_TAIL_LNDCONNECT: lndconnect URI has no valid HOST:PORT after lndconnect://',
    ],
    [
      'user info',
      `lndconnect://me@h:1?macaroon=${MAC}`,
      'HTLC_TAIL_LNDCONNECT: lndconnect URI must not hold a user name',
    ],
    [
      'cert not base64',
      `lndconnect://h:1?cert=***&macaroon=${MAC}`,
      'HTLC_TAIL_LNDCONNECT: the cert parameter of the lndconnect URI is not base64url',
    ],
    [
      'cert not a certificate',
      `lndconnect://h:1?cert=${b64url(Buffer.from('hello world'))}&macaroon=${MAC}`,
      'HTLC_TAIL_LNDCONNECT: the cert parameter of the lndconnect URI is not a certificate',
    ],
    [
      'truncated cert',
      `lndconnect://h:1?cert=${CERT.slice(0, 100)}&macaroon=${MAC}`,
      'HTLC_TAIL_LNDCONNECT: the cert parameter of the lndconnect URI is not a certificate',
    ],
    [
      'macaroon not a macaroon',
      `lndconnect://h:1?macaroon=${b64url(Buffer.from('nope'))}`,
      'HTLC_TAIL_LNDCONNECT: the macaroon parameter of the lndconnect URI is not an lnd macaroon',
    ],
    [
      'empty macaroon',
      'lndconnect://h:1?macaroon=',
      'HTLC_TAIL_LNDCONNECT: the macaroon parameter of the lndconnect URI is not an lnd macaroon',
    ],
    [
      'bad %-encoding',
      `lndconnect://h:1?macaroon=${MAC}%zz`,
      'HTLC_TAIL_LNDCONNECT: lndconnect URI has a parameter with invalid %-encoding',
    ],
  ])('%s', (_name, uri, prefix) => {
    let err: unknown;
    try {
      parseLndConnect(uri, 'HTLC_TAIL_LNDCONNECT');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HtlcTailError);
    const e = err as HtlcTailError;
    expect(e.kind).toBe('config');
    expect(e.message.startsWith(prefix)).toBe(true);
    expect(e.message).toMatch(/check the URI given to HTLC_TAIL_LNDCONNECT/);
    expect(e.message).not.toContain(MAC.slice(0, 12));
    expect(e.message).not.toContain(MACAROON.toString('hex').slice(0, 12));
    expect(e.message).not.toContain('\n');
  });
});

describe('decodeBase64Lenient', () => {
  test.each([
    ['AQID', [1, 2, 3]],
    ['AQIDBA', [1, 2, 3, 4]],
    ['AQIDBA==', [1, 2, 3, 4]],
    ['-_8', [0xfb, 0xff]],
    ['+/8=', [0xfb, 0xff]],
  ])('%s', (s, bytes) => {
    expect([...decodeBase64Lenient(s)!]).toEqual(bytes);
  });
  test.each([[''], ['A'], ['AQI*'], ['AQ==='], ['A=B']])('rejects %j', (s) => {
    expect(decodeBase64Lenient(s)).toBeUndefined();
  });
});
