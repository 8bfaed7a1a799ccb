import { describe, test, expect } from '@jest/globals';
import type { OutputItem } from '../../src/events/model.js';
import { formatJsonl } from '../../src/format/jsonl.js';
import { PLAIN_COLORIZER } from '../../src/format/colorizer.js';
import { IN as CHAN_IN, OUT as CHAN_OUT, makeHtlc, makeHtlcInfo } from '../builders.js';

const ctx = { colorizer: PLAIN_COLORIZER, utc: false };
const info = makeHtlcInfo();
const T = '"time":"2023-11-14T22:13:20.123456789Z","timestamp_ns":"1700000000123456789"';
const IN = `"incoming_channel_id":"${CHAN_IN}","incoming_scid":"830412x1903x1"`;
const OUT = `"outgoing_channel_id":"${CHAN_OUT}","outgoing_scid":"830502x12x0"`;
const IDS = `${IN},"incoming_htlc_id":"42",${OUT},"outgoing_htlc_id":"7"`;
const AMTS =
  '"incoming_amt_msat":1251750,"outgoing_amt_msat":1250500,"incoming_timelock":830600,"outgoing_timelock":830560';

const cases: Array<[string, OutputItem, string]> = [
  [
    'forward (FORWARD) with fee',
    makeHtlc(),
    `{"event":"forward","event_type":"FORWARD",${T},${IDS},${AMTS},"fee_msat":1250}`,
  ],
  [
    'aliases after each scid, JSON-escaped',
    makeHtlc({ incomingAlias: 'ACINQ', outgoingAlias: 'a"b\\c\n\u001b ⚡' }),
    `{"event":"forward","event_type":"FORWARD",${T},${IN},"incoming_alias":"ACINQ","incoming_htlc_id":"42",${OUT},"outgoing_alias":"a\\"b\\\\c\\n\\u001b ⚡","outgoing_htlc_id":"7",${AMTS},"fee_msat":1250}`,
  ],
  [
    'empty alias is left out',
    makeHtlc({ incomingAlias: '' }),
    `{"event":"forward","event_type":"FORWARD",${T},${IDS},${AMTS},"fee_msat":1250}`,
  ],
  [
    'SEND forward: the zero incoming side is left out, no fee',
    makeHtlc({
      eventType: 1,
      incomingChannelId: '0',
      incomingHtlcId: '0',
      info: makeHtlcInfo({ incomingAmtMsat: '0', incomingTimelock: 0 }),
    }),
    `{"event":"forward","event_type":"SEND",${T},"incoming_channel_id":"0","incoming_htlc_id":"0",${OUT},"outgoing_htlc_id":"7","outgoing_amt_msat":1250500,"outgoing_timelock":830560}`,
  ],
  [
    'RECEIVE link_fail: the zero outgoing side is left out',
    makeHtlc({
      event: 'link_fail',
      eventType: 2,
      outgoingChannelId: '0',
      outgoingHtlcId: '0',
      info: makeHtlcInfo({ outgoingAmtMsat: '0', outgoingTimelock: 0 }),
      wireFailure: 1,
      failureDetail: 19,
      failureString: 'invoice not found',
    }),
    `{"event":"link_fail","event_type":"RECEIVE",${T},${IN},"incoming_htlc_id":"42","outgoing_channel_id":"0","outgoing_htlc_id":"0","incoming_amt_msat":1251750,"incoming_timelock":830600,"wire_failure":"INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS","failure_detail":"UNKNOWN_INVOICE","failure_string":"invoice not found"}`,
  ],
  [
    'FORWARD link_fail on the outgoing side (outgoing htlc id 0)',
    makeHtlc({
      event: 'link_fail',
      outgoingHtlcId: '0',
      wireFailure: 15,
      failureDetail: 6,
      failureString: 'insufficient bandwidth to route htlc',
    }),
    `{"event":"link_fail","event_type":"FORWARD",${T},${IN},"incoming_htlc_id":"42",${OUT},"outgoing_htlc_id":"0",${AMTS},"fee_msat":1250,"wire_failure":"TEMPORARY_CHANNEL_FAILURE","failure_detail":"INSUFFICIENT_BALANCE","failure_string":"insufficient bandwidth to route htlc"}`,
  ],
  [
    'settle after its forward: amounts from correlation, preimage hex, duration',
    makeHtlc({
      event: 'settle',
      preimage: Uint8Array.from([0x00, 0xab, 0xcd, 0xef]),
      corr: { info, firstEventType: 3, durationNs: '9412353' },
    }),
    `{"event":"settle","event_type":"FORWARD",${T},${IDS},${AMTS},"fee_msat":1250,"preimage":"00abcdef","duration_ms":9.412353}`,
  ],
  [
    'settle without correlation: ids only',
    makeHtlc({ event: 'settle', preimage: Uint8Array.from([1]) }),
    `{"event":"settle","event_type":"FORWARD",${T},${IDS},"preimage":"01"}`,
  ],
  [
    'forward_fail with a whole-ms duration',
    makeHtlc({ event: 'forward_fail', corr: { info, firstEventType: 3, durationNs: '5000000' } }),
    `{"event":"forward_fail","event_type":"FORWARD",${T},${IDS},${AMTS},"fee_msat":1250,"duration_ms":5}`,
  ],
  [
    'final_htlc of a forward: type UNKNOWN, fee by the first event type',
    makeHtlc({
      event: 'final_htlc',
      eventType: 0,
      outgoingChannelId: '0',
      outgoingHtlcId: '0',
      settled: true,
      offchain: true,
      corr: { info, firstEventType: 3, durationNs: '1234567890' },
    }),
    `{"event":"final_htlc","event_type":"UNKNOWN",${T},${IN},"incoming_htlc_id":"42","outgoing_channel_id":"0","outgoing_htlc_id":"0",${AMTS},"fee_msat":1250,"settled":true,"offchain":true,"duration_ms":1234.56789}`,
  ],
  [
    'final_htlc on chain, not settled, no correlation',
    makeHtlc({
      event: 'final_htlc',
      eventType: 0,
      outgoingChannelId: '0',
      outgoingHtlcId: '0',
      settled: false,
      offchain: false,
    }),
    `{"event":"final_htlc","event_type":"UNKNOWN",${T},${IN},"incoming_htlc_id":"42","outgoing_channel_id":"0","outgoing_htlc_id":"0","settled":false,"offchain":false}`,
  ],
  [
    'replayed: no duration',
    makeHtlc({
      event: 'settle',
      preimage: new Uint8Array(0),
      corr: { info, firstEventType: 3, durationNs: '10', replayed: true },
    }),
    `{"event":"settle","event_type":"FORWARD",${T},${IDS},${AMTS},"fee_msat":1250,"replayed":true}`,
  ],
  [
    'negative duration (lnd clock stepped back)',
    makeHtlc({ event: 'settle', preimage: new Uint8Array(0), corr: { durationNs: '-1500' } }),
    `{"event":"settle","event_type":"FORWARD",${T},${IDS},"duration_ms":-0.0015}`,
  ],
  [
    'negative fee (outgoing above incoming)',
    makeHtlc({ info: makeHtlcInfo({ incomingAmtMsat: '1000', outgoingAmtMsat: '1001' }) }),
    `{"event":"forward","event_type":"FORWARD",${T},${IDS},"incoming_amt_msat":1000,"outgoing_amt_msat":1001,"incoming_timelock":830600,"outgoing_timelock":830560,"fee_msat":-1}`,
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
    '{"event":"subscribed","event_type":"UNKNOWN","time":null,"timestamp_ns":"0","incoming_channel_id":"0","incoming_htlc_id":"0","outgoing_channel_id":"0","outgoing_htlc_id":"0"}',
  ],
  [
    'gap marker',
    { event: 'gap', fromMs: 1700000000123, toMs: 1700000007000, reason: 'stream lost: 14 UNAVAILABLE: "x"' },
    '{"event":"gap","from":"2023-11-14T22:13:20.123Z","to":"2023-11-14T22:13:27.000Z","reason":"stream lost: 14 UNAVAILABLE: \\"x\\""}',
  ],
];

describe('jsonl: exact lines', () => {
  test.each(cases)('%s', (_name, item, want) => {
    const line = formatJsonl(item, ctx);
    expect(line).toBe(want);
    expect(line).not.toContain('\n');
    expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('jsonl: key order follows the schema', () => {
  const ORDER = [
    'event',
    'event_type',
    'time',
    'timestamp_ns',
    'incoming_channel_id',
    'incoming_scid',
    'incoming_alias',
    'incoming_htlc_id',
    'outgoing_channel_id',
    'outgoing_scid',
    'outgoing_alias',
    'outgoing_htlc_id',
    'incoming_amt_msat',
    'outgoing_amt_msat',
    'incoming_timelock',
    'outgoing_timelock',
    'fee_msat',
    'wire_failure',
    'failure_detail',
    'failure_string',
    'preimage',
    'settled',
    'offchain',
    'duration_ms',
    'replayed',
  ];
  test.each(cases.filter(([, item]) => item.event !== 'gap'))('%s', (_name, item) => {
    const keys = Object.keys(JSON.parse(formatJsonl(item, ctx)));
    const positions = keys.map((k) => ORDER.indexOf(k));
    expect(positions).not.toContain(-1);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});
