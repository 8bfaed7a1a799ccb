/** What each line of a capture is taken for, and why a bad one is bad. */
import { describe, expect, test } from '@jest/globals';
import { detectLine } from '../../src/replay/detect.js';

const RAW =
  '{"incoming_channel_id":"930524387182051330","outgoing_channel_id":"0","incoming_htlc_id":"3","outgoing_htlc_id":"0","timestamp_ns":"1714979289123456789","event_type":"RECEIVE","settle_event":{"preimage":"AAEC"}}';

describe('detectLine', () => {
  test.each([
    ['a raw line', RAW, 'raw'],
    ['a raw line with protojson spacing', RAW.replace(/,"/g, ', "'), 'raw'],
    [
      'a raw line in JSON names (camelCase)',
      '{"incomingChannelId":"930524387182051330","eventType":"RECEIVE","settleEvent":{"preimage":"AAEC"},"timestampNs":"1714979289123456789","incomingHtlcId":"3"}',
      'raw',
    ],
    ['an lnd REST line', `{"result":${RAW}}`, 'rest'],
    ['an lnd REST line with a UTF-8 BOM (first line of a file)', `\ufeff{"result":${RAW}}`, 'rest'],
    ['CR left over', `${RAW}\r`, 'raw'],
  ])('%s is an event', (_name, line, format) => {
    const d = detectLine(line);
    expect(d).toMatchObject({
      kind: 'event',
      format,
      event: { event: 'settle', incomingChannelId: '930524387182051330', incomingHtlcId: '3', eventType: 2 },
    });
  });

  test.each([[''], ['   '], ['\t']])('blank %j', (line) => {
    expect(detectLine(line)).toEqual({ kind: 'blank' });
  });

  test('a gap line comes back as the same gap', () => {
    expect(
      detectLine(
        '{"event":"gap","from":"2024-05-06T07:08:09.123Z","to":"2024-05-06T07:08:19.456Z","reason":"htlc event subscription terminated"}',
      ),
    ).toEqual({
      kind: 'gap',
      gap: {
        event: 'gap',
        fromMs: Date.UTC(2024, 4, 6, 7, 8, 9, 123),
        toMs: Date.UTC(2024, 4, 6, 7, 8, 19, 456),
        reason: 'htlc event subscription terminated',
      },
    });
  });

  test('a gap with null times keeps them unknown', () => {
    const d = detectLine('{"event":"gap","from":null,"to":null,"reason":""}');
    expect(d.kind).toBe('gap');
    expect(Number.isNaN((d as { gap: { fromMs: number } }).gap.fromMs)).toBe(true);
  });

  test.each([
    [
      'error chunk',
      '{"error":{"code":2,"message":"htlc event subscription terminated","details":[]}}',
      2,
      'htlc event subscription terminated',
    ],
    [
      'HTTP error body',
      '{"code":2, "message":"wallet locked, unlock it to enable full RPC access", "details":[]}',
      2,
      'wallet locked, unlock it to enable full RPC access',
    ],
  ])('lnd %s', (_name, line, code, message) => {
    expect(detectLine(line)).toEqual({ kind: 'lnd-error', code, message });
  });

  test.each([
    ['not JSON', 'hello', /not JSON/],
    ['cut off inside a string', RAW.slice(0, 80), /not JSON \(unterminated string/],
    ['cut off after a value', RAW.slice(0, 56), /not JSON/],
    ['a number', '42', /expected a JSON object/],
    ['an array', '[1]', /expected a JSON object/],
    [
      'a jsonl line of htlc-tail',
      '{"event":"settle","event_type":"RECEIVE","timestamp_ns":"1"}',
      /--format jsonl line/,
    ],
    ['a bad field', RAW.replace('"1714979289123456789"', '"-5"'), /timestamp_ns/],
    [
      'a uint64 as a rounded JSON number',
      RAW.replace('"930524387182051330"', '930524387182051330'),
      /incoming_channel_id.*2\^53/,
    ],
    [
      'two oneof members',
      RAW.replace('"settle_event"', '"forward_fail_event":{},"settle_event"'),
      /more than one member/,
    ],
    ['a REST line whose result is not an object', '{"result":"x"}', /expected a JSON object/],
    ['a gap with a bad time', '{"event":"gap","from":"yesterday","to":null,"reason":""}', /"from"/],
    ['control characters in a bad value are escaped', RAW.replace('"RECEIVE"', '"\\u001b[31m"'), /\\u001b/],
  ])('bad: %s', (_name, line, reason) => {
    const d = detectLine(line);
    expect(d.kind).toBe('bad');
    expect((d as { reason: string }).reason).toMatch(reason);
    expect((d as { reason: string }).reason).not.toMatch(/[\u0000-\u001f]/);
  });
});
