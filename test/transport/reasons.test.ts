/** One wording per cause, whatever the transport; step timeouts name the step. */
import { describe, expect, test } from '@jest/globals';
import { lossReason, stepTimeoutText, type StreamStatus } from '../../src/transport/reasons.js';
import { proxyNotice } from '../../src/transport/proxy-env.js';

describe('lossReason', () => {
  test.each<[StreamStatus, string]>([
    [{ code: 0, details: '' }, 'lnd ended the stream'],
    [{ code: 2, details: 'htlc event subscription terminated' }, 'htlc event subscription terminated'],
    [{ code: 2, details: 'line one\nline two' }, 'line one'],
    [{ code: 2, details: 'a\u2028b\u0007c' }, 'a?b?c'],
    [{ code: 14, details: '' }, 'lnd ended the stream (status 14)'],
    [{ code: 14, details: 'Connection dropped', cause: 'lost' }, 'connection lost'],
    [{ code: 14, details: 'connection lost: the REST stream was cut off', cause: 'lost' }, 'connection lost'],
    [
      { code: 14, details: 'connection lost: the WebSocket closed abnormally (1006)', cause: 'lost' },
      'connection lost',
    ],
    [
      { code: 14, details: 'keepalive: no answer from lnd within 20 s (connection lost)', cause: 'silent' },
      'connection lost: no sign of life from lnd (keepalive)',
    ],
    [
      { code: 14, details: 'connection lost: no ping from lnd for 90 s', cause: 'silent' },
      'connection lost: no sign of life from lnd (keepalive)',
    ],
    [
      { code: 13, details: 'lnd sent an HtlcEvent that cannot be decoded (x)', cause: 'undecodable' },
      'lnd sent data that cannot be read',
    ],
  ])('%j → %s', (status, reason) => {
    expect(lossReason(status)).toBe(reason);
  });
  test("at most 200 characters of lnd's text", () => {
    expect(lossReason({ code: 2, details: 'x'.repeat(500) })).toHaveLength(200);
  });
});

describe('stepTimeoutText', () => {
  test.each([
    ['tcp', 'grpc', 'no TCP connection to h:1 within 2 s'],
    ['tls', 'rest', 'TCP connected but the TLS handshake with h:1 did not finish within 2 s'],
    ['protocol', 'grpc', 'TLS done but no HTTP/2 SETTINGS from h:1 within 2 s'],
    ['protocol', 'rest', 'TLS done but no HTTP response from h:1 within 2 s'],
    ['protocol', 'ws', 'TLS done but no answer to the WebSocket upgrade from h:1 within 2 s'],
    ['answer', 'grpc', 'HTTP/2 up but h:1 sent no response headers to SubscribeHtlcEvents within 2 s'],
  ] as const)('%s over %s', (step, transport, text) => {
    expect(stepTimeoutText(step, transport, 'h:1', 2_000)).toBe(text);
  });
});

describe('proxyNotice', () => {
  test('names the proxy variables that are set; nothing when none is (no_proxy alone changes nothing)', () => {
    expect(proxyNotice({})).toBeUndefined();
    expect(proxyNotice({ no_proxy: 'localhost', https_proxy: ' ' })).toBeUndefined();
    expect(proxyNotice({ HTTPS_PROXY: 'http://p:3128' })).toBe(
      'HTTPS_PROXY is set but ignored: htlc-tail connects to lnd directly, or through the SOCKS5 proxy of --socks5 (gRPC, REST and WebSocket alike)',
    );
    expect(proxyNotice({ grpc_proxy: 'x', https_proxy: 'y' })).toMatch(/^grpc_proxy, https_proxy are set but ignored/);
  });
});
