/**
 * The simulator's REST encoding (written like lnd's gateway, independently of
 * the client) against the client's side: for generated traffic and edge
 * cases, decoding the REST JSON gives exactly the event the gRPC bytes give,
 * and `-f raw` writes the same JSON value lnd puts under "result".
 */
import { describe, expect, test } from '@jest/globals';
import { decodeJsonEvent } from '../../../src/codec/raw/decode.js';
import { decodeHtlcEventWire } from '../../../src/codec/wire/decode-htlc-event.js';
import { formatRaw } from '../../../src/format/raw.js';
import {
  buildNode,
  encodeHtlcEvent,
  fromProtoObject,
  TrafficGenerator,
  type WireHtlcEvent,
  errorBody,
  errorLine,
  goJsonString,
  resultLine,
} from '@htlc-tail/lnd-sim';
import { classifyRestLine } from '../../../src/transport/rest/rest-line.js';

function generated(n: number): WireHtlcEvent[] {
  const node = buildNode(3, 'regtest');
  const g = new TrafficGenerator({ seed: 3, node, startNs: 1_700_000_000_000_000_000n, rate: 200 });
  return Array.from({ length: n }, () => g.next().event);
}

const EDGE: WireHtlcEvent[] = [
  fromProtoObject(
    {
      incoming_channel_id: '18446744073709551615',
      outgoing_channel_id: '18446744073709551615',
      incoming_htlc_id: '18446744073709551615',
      outgoing_htlc_id: '1',
      timestamp_ns: '18446744073709551615',
      event_type: 9,
    },
    0n,
  ),
  fromProtoObject({ event_type: 'FORWARD', timestamp_ns: '1', forward_event: { info: null } }, 0n),
  fromProtoObject({ event_type: 'RECEIVE', timestamp_ns: '1', settle_event: { preimage: '' } }, 0n),
  fromProtoObject(
    {
      event_type: 'FORWARD',
      timestamp_ns: '2',
      link_fail_event: {
        wire_failure: 999,
        failure_detail: 27,
        failure_string: '<a href="x">&</a>\u2028\u2029\n\t"\\ ⚡😀 \u0000\u001b',
      },
    },
    0n,
  ),
  fromProtoObject(
    {
      event_type: 'FORWARD',
      timestamp_ns: '3',
      link_fail_event: {
        wire_failure: 1234,
        failure_detail: 4321,
        info: { incoming_amt_msat: '18446744073709551615' },
      },
    },
    0n,
  ),
  fromProtoObject({ timestamp_ns: '0', subscribed_event: {} }, 0n),
  fromProtoObject(
    { timestamp_ns: '5', event_type: 'UNKNOWN', final_htlc_event: { settled: false, offchain: false } },
    0n,
  ),
];

describe('sim REST encoding vs the client', () => {
  test.each([
    ['generated traffic', generated(400)],
    ['edge cases', EDGE],
  ])(
    '%s: REST JSON decodes to the same event as the wire bytes, and -f raw is the same JSON value',
    (_name, events) => {
      for (const e of events) {
        const line = resultLine(e);
        const c = classifyRestLine(line);
        expect(c.kind).toBe('result');
        const fromJson = decodeJsonEvent((c as { value: unknown }).value);
        const fromWire = decodeHtlcEventWire(encodeHtlcEvent(e));
        expect(fromJson).toEqual(fromWire);
        expect(JSON.parse(formatRaw(fromWire))).toEqual(JSON.parse(line).result);
      }
    },
  );

  test("Go's HTML-safe escaping is used, and JSON.parse reads it back", () => {
    const s = '<b>&</b>\u2028';
    expect(goJsonString(s)).toBe('"\\u003cb\\u003e\\u0026\\u003c/b\\u003e\\u2028"');
    expect(JSON.parse(goJsonString(s))).toBe(s);
  });

  test('error line and error body are what the client reads as lnd errors', () => {
    expect(classifyRestLine(errorLine(2, 'htlc event subscription terminated'))).toEqual({
      kind: 'error',
      code: 2,
      message: 'htlc event subscription terminated',
    });
    expect(classifyRestLine(errorBody(2, 'permission denied'))).toEqual({
      kind: 'error',
      code: 2,
      message: 'permission denied',
    });
  });
});
