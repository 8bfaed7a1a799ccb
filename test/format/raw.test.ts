import { describe, test, expect } from '@jest/globals';
import type { OutputItem } from '../../src/events/model.js';
import { formatRaw } from '../../src/format/raw.js';
import { PLAIN_COLORIZER } from '../../src/format/colorizer.js';
import { makeHtlc, makeHtlcInfo, RAW_HEAD as HEAD, RAW_INFO as INFO } from '../builders.js';

const ctx = { colorizer: PLAIN_COLORIZER, utc: false };

// Hand-written: what lnd's REST gateway (protojson, UseProtoNames, EmitUnpopulated) sends under "result".
const cases: Array<[string, OutputItem, unknown]> = [
  ['forward', makeHtlc(), { ...HEAD, event_type: 'FORWARD', forward_event: { info: INFO } }],
  [
    'forward with unset HtlcInfo',
    makeHtlc({ info: null }),
    { ...HEAD, event_type: 'FORWARD', forward_event: { info: null } },
  ],
  ['forward_fail', makeHtlc({ event: 'forward_fail' }), { ...HEAD, event_type: 'FORWARD', forward_fail_event: {} }],
  [
    'settle',
    makeHtlc({
      event: 'settle',
      eventType: 2,
      outgoingChannelId: '0',
      outgoingHtlcId: '0',
      preimage: Uint8Array.from([0xfb, 0xff, 0xfe]),
    }),
    {
      ...HEAD,
      outgoing_channel_id: '0',
      outgoing_htlc_id: '0',
      event_type: 'RECEIVE',
      settle_event: { preimage: '+//+' },
    },
  ],
  [
    'settle, empty preimage',
    makeHtlc({ event: 'settle', preimage: new Uint8Array(0) }),
    { ...HEAD, event_type: 'FORWARD', settle_event: { preimage: '' } },
  ],
  [
    'link_fail',
    makeHtlc({
      event: 'link_fail',
      wireFailure: 15,
      failureDetail: 6,
      failureString: 'insufficient bandwidth to route htlc',
    }),
    {
      ...HEAD,
      event_type: 'FORWARD',
      link_fail_event: {
        info: INFO,
        wire_failure: 'TEMPORARY_CHANNEL_FAILURE',
        failure_detail: 'INSUFFICIENT_BALANCE',
        failure_string: 'insufficient bandwidth to route htlc',
      },
    },
  ],
  [
    'link_fail with defaults',
    makeHtlc({ event: 'link_fail', info: null }),
    {
      ...HEAD,
      event_type: 'FORWARD',
      link_fail_event: { info: null, wire_failure: 'RESERVED', failure_detail: 'UNKNOWN', failure_string: '' },
    },
  ],
  [
    'subscribed',
    makeHtlc({
      event: 'subscribed',
      eventType: 0,
      timestampNs: '0',
      incomingChannelId: '0',
      outgoingChannelId: '0',
      incomingHtlcId: '0',
      outgoingHtlcId: '0',
    }),
    {
      incoming_channel_id: '0',
      outgoing_channel_id: '0',
      incoming_htlc_id: '0',
      outgoing_htlc_id: '0',
      timestamp_ns: '0',
      event_type: 'UNKNOWN',
      subscribed_event: {},
    },
  ],
  [
    'final_htlc',
    makeHtlc({ event: 'final_htlc', eventType: 0, settled: true, offchain: false }),
    { ...HEAD, event_type: 'UNKNOWN', final_htlc_event: { settled: true, offchain: false } },
  ],
  [
    'correlation and aliases never appear',
    makeHtlc({
      event: 'settle',
      preimage: new Uint8Array(0),
      incomingAlias: 'ACINQ',
      outgoingAlias: 'x',
      corr: { info: makeHtlcInfo(), firstEventType: 3, durationNs: '5', replayed: true },
    }),
    { ...HEAD, event_type: 'FORWARD', settle_event: { preimage: '' } },
  ],
  [
    'gap marker: the jsonl gap line',
    { event: 'gap', fromMs: 1700000000123, toMs: 1700000007000, reason: 'stream lost' },
    { event: 'gap', from: '2023-11-14T22:13:20.123Z', to: '2023-11-14T22:13:27.000Z', reason: 'stream lost' },
  ],
];

describe('raw: lnd REST "result" values', () => {
  test.each(cases)('%s', (_name, item, want) => {
    const line = formatRaw(item, ctx);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(want);
  });

  test('field order is field-number order, oneof member last', () => {
    const line = formatRaw(
      makeHtlc({ event: 'link_fail', wireFailure: 15, failureDetail: 6, failureString: 'x' }),
      ctx,
    );
    expect(Object.keys(JSON.parse(line))).toEqual([
      'incoming_channel_id',
      'outgoing_channel_id',
      'incoming_htlc_id',
      'outgoing_htlc_id',
      'timestamp_ns',
      'event_type',
      'link_fail_event',
    ]);
    expect(Object.keys(JSON.parse(line).link_fail_event)).toEqual([
      'info',
      'wire_failure',
      'failure_detail',
      'failure_string',
    ]);
    expect(Object.keys(JSON.parse(line).link_fail_event.info)).toEqual([
      'incoming_timelock',
      'outgoing_timelock',
      'incoming_amt_msat',
      'outgoing_amt_msat',
    ]);
  });
});
