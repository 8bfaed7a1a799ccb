import { describe, expect, test } from '@jest/globals';
import { classifyStatus, type ClassifyContext } from '../../src/transport/classify.js';
import { decodeGrpcMessage } from '../../src/transport/grpc/h2-status.js';

const CTX: ClassifyContext = {
  address: 'node:10009',
  certSource: '/lnd/tls.cert',
  macaroonSource: '/lnd/readonly.macaroon',
  call: 'SubscribeHtlcEvents',
  permission: 'offchain:read',
};

describe('classifyStatus: what the HTTP/2 stream reports', () => {
  test.each<[string, number, string, RegExp, boolean]>([
    [
      'a reset connection',
      14,
      'connection lost: ECONNRESET read ECONNRESET',
      /^the connection to lnd at node:10009 was lost \(connection reset\)$/,
      true,
    ],
    [
      'a dropped connection',
      14,
      'Connection dropped',
      /^the connection to lnd at node:10009 was lost \(connection lost\)$/,
      true,
    ],
    [
      'no answer to keepalive',
      14,
      'keepalive: no answer from lnd within 20 s (connection lost)',
      /was lost \(no answer from lnd within 20 s\)$/,
      true,
    ],
    [
      'GOAWAY too_many_pings',
      14,
      'connection lost: lnd sent GOAWAY 11 (too_many_pings)',
      /keepalive pings \(lnd before 0\.17 allows one per 5 minutes\)/,
      true,
    ],
    [
      'another GOAWAY',
      14,
      'connection lost: lnd sent GOAWAY 2 (shutting down)',
      /^lnd at node:10009 ended the stream/,
      true,
    ],
    [
      'an undecodable message',
      13,
      'lnd sent an HtlcEvent that cannot be decoded (varint too long)',
      /sent data htlc-tail cannot read .*gRPC port/,
      true,
    ],
    [
      'a compressed message',
      13,
      'lnd sent a compressed message, which was not asked for',
      /sent data htlc-tail cannot read/,
      true,
    ],
  ])('%s', (_name, code, details, message, streamLost) => {
    const c = classifyStatus(code, details, CTX);
    expect(c.error.message).toMatch(message);
    expect(c.streamLost).toBe(streamLost);
  });

  test('a TLS failure on the stream connection is a TLS problem, not a lost stream', () => {
    const c = classifyStatus(
      14,
      "connection lost: ERR_TLS_CERT_ALTNAME_INVALID Hostname/IP does not match certificate's altnames",
      CTX,
    );
    expect(c.error.message).toMatch(/^TLS: the certificate of node:10009/);
    expect(c.streamLost).toBe(false);
  });

  test.each([
    ['HTTP 403 (a proxy)', 'Received HTTP status code 403'],
    ['RST_STREAM INADEQUATE_SECURITY', 'Received RST_STREAM with code 12'],
  ])('PERMISSION_DENIED from %s is not blamed on the macaroon', (_name, details) => {
    const c = classifyStatus(7, details, CTX);
    expect(c.error.message).not.toMatch(/macaroon/);
    expect(c.error.message).toContain(details);
  });

  test("lnd's own permission denied names the macaroon and the permission", () => {
    const c = classifyStatus(2, 'permission denied', CTX);
    expect(c.error.message).toMatch(/macaroon \/lnd\/readonly\.macaroon lacks offchain:read/);
  });
});

describe('decodeGrpcMessage', () => {
  test.each<[string | string[] | undefined, string]>([
    ['htlc%20event%20subscription%20terminated', 'htlc event subscription terminated'],
    ['caf%C3%A9', 'café'],
    ['100%', '100%'], // malformed: shown as sent
    ['a%1B%5B31mred%0Dline%0Anext%09tab', 'a?[31mred?line\nnext\ttab'], // no ESC or CR reaches the terminal
    [['first', 'second'], 'first'],
    [undefined, ''],
  ])('%j → %j', (raw, want) => {
    expect(decodeGrpcMessage(raw)).toBe(want);
  });
});
