/**
 * How each line of lnd's REST stream is read, how HTTP answers map to gRPC
 * statuses (and so to exit codes), WebSocket close codes, and the wording of
 * REST errors.
 */
import { describe, expect, test } from '@jest/globals';
import { classifyStatus, classifyStepTimeout, classifyTlsText } from '../../../src/transport/classify.js';
import { GRPC_PORT, REST_PORT, type PortWords } from '../../../src/transport/port-words.js';
import { exitCodeFor } from '../../../src/errors.js';
import { classifyRestLine } from '../../../src/transport/rest/rest-line.js';
import { statusFromHttp } from '../../../src/transport/rest/request.js';
import { closeStatus } from '../../../src/transport/rest/ws-stream.js';
import { streamLine } from '../../../src/transport/rest/stream-lines.js';

describe('classifyRestLine', () => {
  test.each([
    ['blank', '', { kind: 'blank' }],
    ['spaces', '  \t ', { kind: 'blank' }],
    ['result', '{"result":{"a":1}}', { kind: 'result', value: { a: 1 } }],
    ['result with protojson spacing', '{"result": {"a":1}, "x":2}', { kind: 'result', value: { a: 1 } }],
    ['result null', '{"result":null}', { kind: 'result', value: null }],
    [
      'error chunk',
      '{"error":{"code":2,"message":"htlc event subscription terminated","details":[]}}',
      { kind: 'error', code: 2, message: 'htlc event subscription terminated' },
    ],
    [
      'HTTP error body',
      '{"code":2, "message":"wallet locked, unlock it to enable full RPC access", "details":[]}',
      { kind: 'error', code: 2, message: 'wallet locked, unlock it to enable full RPC access' },
    ],
    [
      'grpc-gateway v1 error body',
      '{"error":"permission denied","code":2,"message":"permission denied"}',
      { kind: 'error', code: 2, message: 'permission denied' },
    ],
    ['error object without code', '{"error":{"message":"boom"}}', { kind: 'error', code: 2, message: 'boom' }],
    ['raw event', '{"incoming_channel_id":"1"}', { kind: 'other', value: { incoming_channel_id: '1' } }],
    ['array', '[1,2]', { kind: 'other', value: [1, 2] }],
    [
      'object with code but other keys',
      '{"code":2,"message":"m","extra":1}',
      { kind: 'other', value: { code: 2, message: 'm', extra: 1 } },
    ],
  ])('%s', (_name, line, want) => {
    expect(classifyRestLine(line)).toEqual(want);
  });

  test.each([
    ['cut off', '{"result":{"a":', /ends in the middle/],
    ['garbage', 'hello', /not JSON \(unexpected token 'h'\)/],
    ['trailing junk', '{"a":1}}', /column 8/],
    ['control characters are escaped', '\u001b[31m', /\\u001b/],
  ])('invalid: %s', (_name, line, reason) => {
    const c = classifyRestLine(line);
    expect(c.kind).toBe('invalid');
    expect((c as { reason: string }).reason).toMatch(reason);
    expect((c as { reason: string }).reason).not.toMatch(/\u001b/);
  });
});

describe('streamLine (one line of a live stream)', () => {
  test('a result becomes an event', () => {
    const out = streamLine('{"result":{"incoming_channel_id":"7","event_type":"SEND","forward_fail_event":{}}}');
    expect(out).toMatchObject({
      kind: 'event',
      event: { event: 'forward_fail', eventType: 1, incomingChannelId: '7' },
    });
  });
  test.each([
    [
      'an error line ends the stream with its status',
      '{"error":{"code":2,"message":"routerrpc server shutting down"}}',
      2,
      /routerrpc server shutting down/,
    ],
    ['an undecodable event is INTERNAL', '{"result":{"timestamp_ns":"-1"}}', 13, /cannot be decoded.*timestamp_ns/],
    ['a non-JSON line is INTERNAL', '<html>', 13, /not JSON/],
    ['a raw event (no envelope) is INTERNAL', '{"incoming_channel_id":"1"}', 13, /neither/],
  ])('%s', (_name, line, code, details) => {
    const out = streamLine(line);
    expect(out.kind).toBe('end');
    const st = (out as { status: { code: number; details: string } }).status;
    expect(st.code).toBe(code);
    expect(st.details).toMatch(details);
  });
  test('blank lines are skipped', () => {
    expect(streamLine('')).toEqual({ kind: 'skip' });
  });
});

const CTX = {
  address: 'node:8080',
  certSource: '/l/tls.cert',
  macaroonSource: '/l/readonly.macaroon',
  call: 'SubscribeHtlcEvents',
  permission: 'offchain:read',
};

describe('HTTP answers: status and exit code', () => {
  test.each([
    [
      '500 with lnd status body: wallet locked',
      500,
      '{"code":2,"message":"wallet locked, unlock it to enable full RPC access","details":[]}',
      2,
      5,
      /wallet locked/,
    ],
    [
      '500 with error line body',
      500,
      '{"error":{"code":2,"message":"permission denied","details":[]}}\n',
      2,
      5,
      /lacks offchain:read/,
    ],
    [
      '500 signature mismatch',
      500,
      '{"code":2, "message":"verification failed: signature mismatch after caveat verification", "details":[]}',
      2,
      5,
      /rejected the macaroon/,
    ],
    ['401 from a proxy', 401, '<html>no</html>', 16, 5, /refused the credentials/],
    ['404 page', 404, 'Not Found', 12, 5, /does not serve SubscribeHtlcEvents/],
    ['503 proxy', 503, '', 14, 4, /cannot reach/],
    ['502 gateway', 502, 'bad gateway', 14, 4, /cannot reach/],
    ['418 other', 418, '', 2, 5, /HTTP 418/],
  ])('%s', (_name, status, body, code, exit, msg) => {
    const st = statusFromHttp(status, undefined, body);
    expect(st.code).toBe(code);
    const c = classifyStatus(st.code, st.details, CTX);
    expect(exitCodeFor(c.error)).toBe(exit);
    expect(c.error.message).toMatch(msg);
  });
});

describe('WebSocket close codes', () => {
  test.each([
    [1000, '', 0],
    [1006, '', 14],
    [1001, 'going away', 14],
    [1011, 'internal', 14],
  ])('close %d', (code, reason, want) => {
    expect(closeStatus(code, reason).code).toBe(want);
  });
  test('1006 is described as a lost connection', () => {
    expect(closeStatus(1006, '').details).toMatch(/connection lost.*1006/);
  });
});

describe('REST wording: each message names the port the caller passes in (REST_PORT), no rewriting', () => {
  const at = (words: PortWords) => ({ ...CTX, address: 'h:8080', words });
  test.each<[string, (words: PortWords) => string, string, string]>([
    [
      'unreachable',
      (w) => classifyStatus(14, 'ECONNREFUSED connect ECONNREFUSED 10.0.0.1:8080', at(w)).error.message,
      'cannot reach lnd at h:8080 (connection refused): check that lnd runs and --rpcserver is right',
      'cannot reach lnd at h:8080 (connection refused): check that lnd runs and --restserver is right',
    ],
    [
      'a TLS handshake that fails',
      (w) => classifyTlsText('EPROTO ECONNRESET', at(w))!,
      "TLS handshake with h:8080 failed (connection reset): is that lnd's gRPC port (rpclisten), and not its REST port or a plain-text service?",
      "TLS handshake with h:8080 failed (connection reset): is that lnd's REST port (restlisten), and not its gRPC port or a plain-text service?",
    ],
    [
      'a TLS step that times out',
      (w) =>
        classifyStepTimeout(
          { code: 14, details: 'TLS handshake with h:8080 did not finish within 10 s', cause: 'timeout', step: 'tls' },
          w,
        ).error.message,
      "TLS handshake with h:8080 did not finish within 10 s: is that lnd's gRPC port?",
      "TLS handshake with h:8080 did not finish within 10 s: is that lnd's REST port?",
    ],
    [
      'a TCP step that times out',
      (w) =>
        classifyStepTimeout(
          { code: 14, details: 'no TCP connection to h:8080 within 10 s', cause: 'timeout', step: 'tcp' },
          w,
        ).error.message,
      'cannot reach lnd: no TCP connection to h:8080 within 10 s; check --rpcserver and firewalls, or raise --connect-timeout',
      'cannot reach lnd: no TCP connection to h:8080 within 10 s; check --restserver and firewalls, or raise --connect-timeout',
    ],
    [
      'no port in it',
      (w) => classifyStatus(2, 'wallet locked', at(w)).notice!,
      'lnd at h:8080: wallet locked: unlock it (lncli unlock)',
      'lnd at h:8080: wallet locked: unlock it (lncli unlock)',
    ],
  ])('%s', (_name, message, grpc, rest) => {
    expect(message(GRPC_PORT)).toBe(grpc);
    expect(message(REST_PORT)).toBe(rest);
  });
});
