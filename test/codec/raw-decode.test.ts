import { describe, test, expect } from '@jest/globals';
import { decodeJsonEvent, isGapMarkerJson, JsonEventError } from '../../src/codec/raw/decode.js';
import { decodeHtlcEventWire } from '../../src/codec/wire/decode-htlc-event.js';
import type { HtlcEvent } from '../../src/events/model.js';
import { encodeRawEvent } from '../../src/codec/raw/encode.js';
import { IN, OUT, makeHtlc, makeHtlcInfo, RAW_HEAD as HEAD, RAW_INFO as INFO } from '../builders.js';

const MAX = '18446744073709551615';

/** lnd-shaped values, as lnd's REST gateway sends them under "result". */
const LND_VALUES: Array<[string, Record<string, unknown>]> = [
  [
    'subscribed',
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
  ['forward', { ...HEAD, event_type: 'FORWARD', forward_event: { info: INFO } }],
  ['forward, null info', { ...HEAD, event_type: 'SEND', forward_event: { info: null } }],
  ['forward_fail', { ...HEAD, event_type: 'FORWARD', forward_fail_event: {} }],
  [
    'settle',
    { ...HEAD, event_type: 'RECEIVE', settle_event: { preimage: 'q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=' } },
  ],
  ['settle, empty preimage', { ...HEAD, event_type: 'FORWARD', settle_event: { preimage: '' } }],
  [
    'link_fail',
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
    'link_fail, null info, unknown enums, multi-line non-ASCII text',
    {
      ...HEAD,
      event_type: 'FORWARD',
      link_fail_event: {
        info: null,
        wire_failure: 1234,
        failure_detail: 99,
        failure_string: 'línea 1 ⚡\nline 2\r\n\u001b[31m\u202e',
      },
    },
  ],
  [
    'link_fail, negative enums',
    {
      ...HEAD,
      event_type: -1,
      link_fail_event: { info: null, wire_failure: -2, failure_detail: -3, failure_string: '' },
    },
  ],
  [
    'final_htlc',
    {
      ...HEAD,
      outgoing_channel_id: '0',
      outgoing_htlc_id: '0',
      event_type: 'UNKNOWN',
      final_htlc_event: { settled: true, offchain: false },
    },
  ],
  ['no member, unknown event_type', { ...HEAD, event_type: 7 }],
  [
    'max uint64 everywhere, amounts above 2^53',
    {
      incoming_channel_id: MAX,
      outgoing_channel_id: MAX,
      incoming_htlc_id: MAX,
      outgoing_htlc_id: MAX,
      timestamp_ns: MAX,
      event_type: 'FORWARD',
      forward_event: {
        info: {
          incoming_timelock: 4294967295,
          outgoing_timelock: 0,
          incoming_amt_msat: MAX,
          outgoing_amt_msat: '9007199254740993',
        },
      },
    },
  ],
];

describe('raw(decodeJsonEvent(x)) deep-equals x for lnd-shaped x', () => {
  test.each(LND_VALUES)('%s', (_name, x) => {
    expect(JSON.parse(encodeRawEvent(decodeJsonEvent(x)))).toEqual(x);
  });
});

const MODEL_EVENTS: Array<[string, HtlcEvent]> = [
  ['forward', makeHtlc()],
  ['forward, null info', makeHtlc({ info: null })],
  ['forward_fail', makeHtlc({ event: 'forward_fail' })],
  ['settle', makeHtlc({ event: 'settle', preimage: Uint8Array.from([0xfb, 0xff, 0x00, 0x01]) })],
  ['settle, empty preimage', makeHtlc({ event: 'settle', preimage: new Uint8Array(0) })],
  ['link_fail', makeHtlc({ event: 'link_fail', wireFailure: 15, failureDetail: 6, failureString: 'a\nb' })],
  [
    'link_fail unknown enums',
    makeHtlc({ event: 'link_fail', info: null, wireFailure: 1234, failureDetail: -1, failureString: '' }),
  ],
  ['final_htlc', makeHtlc({ event: 'final_htlc', eventType: 0, settled: false, offchain: true })],
  ['subscribed', makeHtlc({ event: 'subscribed', eventType: 0, timestampNs: '0' })],
  ['unknown, event_type 7', makeHtlc({ event: 'unknown', eventType: 7 })],
  [
    'big numbers',
    makeHtlc({
      incomingChannelId: MAX,
      timestampNs: MAX,
      info: makeHtlcInfo({ incomingAmtMsat: '9007199254740993', outgoingAmtMsat: MAX, incomingTimelock: 4294967295 }),
    }),
  ],
];

describe('decodeJsonEvent(JSON.parse(raw(e))) equals e', () => {
  test.each(MODEL_EVENTS)('%s', (_name, e) => {
    expect(decodeJsonEvent(JSON.parse(encodeRawEvent(e)))).toEqual(e);
  });
});

// A tiny protobuf encoder, so the same event can come through the wire decoder too.
function varint(v: bigint): number[] {
  const out: number[] = [];
  let x = BigInt.asUintN(64, v);
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x > 0n) b |= 0x80;
    out.push(b);
  } while (x > 0n);
  return out;
}
const vfield = (n: number, v: bigint | number) => [...varint(BigInt(n << 3)), ...varint(BigInt(v))];
const lfield = (n: number, bytes: number[]) => [
  ...varint(BigInt((n << 3) | 2)),
  ...varint(BigInt(bytes.length)),
  ...bytes,
];

describe('wire and JSON decoders agree', () => {
  const info = [...vfield(1, 830600), ...vfield(2, 830560), ...vfield(3, 9007199254740993n), ...vfield(4, 1250500)];
  const head = [
    ...vfield(1, BigInt(IN)),
    ...vfield(2, BigInt(MAX)),
    ...vfield(3, 42),
    ...vfield(4, 7),
    ...vfield(5, 1700000000123456789n),
  ];
  test.each([
    ['forward', [...head, ...vfield(6, 3), ...lfield(7, lfield(1, info))]],
    ['forward, unset info', [...head, ...vfield(6, 1), ...lfield(7, [])]],
    ['settle', [...head, ...vfield(6, 2), ...lfield(9, lfield(1, [0xfb, 0xff, 0xbf]))]],
    ['settle, empty', [...head, ...vfield(6, 2), ...lfield(9, [])]],
    [
      'link_fail',
      [
        ...head,
        ...vfield(6, 3),
        ...lfield(10, [
          ...lfield(1, info),
          ...vfield(2, 1234),
          ...vfield(3, -1),
          ...lfield(4, [...Buffer.from('a\nb ⚡')]),
        ]),
      ],
    ],
    ['final_htlc', [...head, ...lfield(12, [...vfield(1, 1)])]],
    ['subscribed', [...lfield(11, [])]],
    ['no member, type 7', [...head, ...vfield(6, 7)]],
  ] as Array<[string, number[]]>)('%s', (_name, bytes) => {
    const fromWire = decodeHtlcEventWire(Uint8Array.from(bytes));
    expect(decodeJsonEvent(JSON.parse(encodeRawEvent(fromWire)))).toEqual(fromWire);
  });
});

describe('lenient like protojson', () => {
  const base = decodeJsonEvent({ ...HEAD, event_type: 'FORWARD', forward_event: { info: INFO } });
  test.each([
    [
      'JSON (camelCase) names',
      {
        incomingChannelId: IN,
        outgoingChannelId: OUT,
        incomingHtlcId: '42',
        outgoingHtlcId: '7',
        timestampNs: '1700000000123456789',
        eventType: 'FORWARD',
        forwardEvent: {
          info: {
            incomingTimelock: 830600,
            outgoingTimelock: 830560,
            incomingAmtMsat: '1251750',
            outgoingAmtMsat: '1250500',
          },
        },
      },
    ],
    [
      'uint64 as safe JSON numbers, uint32 as strings',
      {
        ...HEAD,
        incoming_htlc_id: 42,
        outgoing_htlc_id: 7,
        event_type: 'FORWARD',
        forward_event: { info: { ...INFO, incoming_timelock: '830600', incoming_amt_msat: 1251750 } },
      },
    ],
    ['enum as number', { ...HEAD, event_type: 3, forward_event: { info: INFO } }],
    ['enum as numeric string', { ...HEAD, event_type: '3', forward_event: { info: INFO } }],
    [
      'integral exponent and fraction forms',
      {
        ...HEAD,
        incoming_htlc_id: '4.2e1',
        outgoing_htlc_id: '7.000',
        event_type: 'FORWARD',
        forward_event: { info: { ...INFO, outgoing_amt_msat: '1.2505e6' } },
      },
    ],
    ['leading zeros', { ...HEAD, incoming_htlc_id: '0042', event_type: 'FORWARD', forward_event: { info: INFO } }],
    [
      'unknown fields ignored',
      { ...HEAD, event_type: 'FORWARD', forward_event: { info: { ...INFO, future: 1 }, extra: true }, new_field: 'x' },
    ],
  ])('%s', (_name, value) => {
    expect(decodeJsonEvent(value)).toEqual(base);
  });

  test.each([
    [
      'missing everything',
      {},
      {
        event: 'unknown',
        eventType: 0,
        timestampNs: '0',
        incomingChannelId: '0',
        outgoingChannelId: '0',
        incomingHtlcId: '0',
        outgoingHtlcId: '0',
      },
    ],
    [
      'nulls are defaults',
      { incoming_channel_id: null, event_type: null, forward_event: { info: null } },
      {
        event: 'forward',
        eventType: 0,
        timestampNs: '0',
        incomingChannelId: '0',
        outgoingChannelId: '0',
        incomingHtlcId: '0',
        outgoingHtlcId: '0',
        info: null,
      },
    ],
    [
      'a null member is not set',
      { forward_event: null, settle_event: { preimage: null } },
      {
        event: 'settle',
        eventType: 0,
        timestampNs: '0',
        incomingChannelId: '0',
        outgoingChannelId: '0',
        incomingHtlcId: '0',
        outgoingHtlcId: '0',
        preimage: new Uint8Array(0),
      },
    ],
    [
      'empty link_fail',
      { link_fail_event: {} },
      {
        event: 'link_fail',
        eventType: 0,
        timestampNs: '0',
        incomingChannelId: '0',
        outgoingChannelId: '0',
        incomingHtlcId: '0',
        outgoingHtlcId: '0',
        info: null,
        wireFailure: 0,
        failureDetail: 0,
        failureString: '',
      },
    ],
    [
      'empty final_htlc',
      { final_htlc_event: {} },
      {
        event: 'final_htlc',
        eventType: 0,
        timestampNs: '0',
        incomingChannelId: '0',
        outgoingChannelId: '0',
        incomingHtlcId: '0',
        outgoingHtlcId: '0',
        settled: false,
        offchain: false,
      },
    ],
  ])('%s', (_name, value, want) => {
    expect(decodeJsonEvent(value)).toEqual(want);
  });

  test.each([
    ['std, padded', '+/+/', [0xfb, 0xff, 0xbf]],
    ['url-safe', '-_-_', [0xfb, 0xff, 0xbf]],
    ['std, unpadded', 'AQ', [1]],
    ['url-safe, padded', '-w==', [0xfb]],
    ['empty', '', []],
  ])('preimage base64 %s', (_name, b64, bytes) => {
    const ev = decodeJsonEvent({ settle_event: { preimage: b64 } });
    expect(ev.preimage).toEqual(Uint8Array.from(bytes));
    expect(ev.preimage).toBeInstanceOf(Uint8Array);
  });
});

describe('bad input throws JsonEventError naming the field', () => {
  test.each([
    ['not an object', 'x', ''],
    ['an array', [], ''],
    ['null', null, ''],
    ['REST envelope', { result: {} }, ''],
    ['REST error', { error: { code: 2, message: 'boom' } }, ''],
    ['a jsonl line', { event: 'forward', event_type: 'FORWARD' }, 'event'],
    ['a gap line', { event: 'gap', from: 'x' }, 'event'],
    ['uint64 not a number', { incoming_channel_id: 'abc' }, 'incoming_channel_id'],
    ['uint64 negative', { incoming_channel_id: '-1' }, 'incoming_channel_id'],
    ['uint64 too big', { outgoing_channel_id: '18446744073709551616' }, 'outgoing_channel_id'],
    // eslint-disable-next-line no-loss-of-precision -- the imprecise number is what is being refused
    ['uint64 unsafe JSON number', { timestamp_ns: 1700000000123456789 }, 'timestamp_ns'],
    ['uint64 fraction', { incoming_htlc_id: '1.5' }, 'incoming_htlc_id'],
    ['uint64 boolean', { outgoing_htlc_id: true }, 'outgoing_htlc_id'],
    ['uint64 with spaces', { incoming_htlc_id: ' 1' }, 'incoming_htlc_id'],
    ['unknown enum name', { event_type: 'TELEPORT' }, 'event_type'],
    ['enum out of int32 range', { event_type: 2147483648 }, 'event_type'],
    ['enum fraction', { event_type: 1.5 }, 'event_type'],
    ['member not an object', { forward_event: 5 }, 'forward_event'],
    ['two members', { forward_event: {}, settle_event: {} }, 'settle_event'],
    ['same field twice', { incoming_channel_id: '1', incomingChannelId: '1' }, 'incoming_channel_id'],
    ['info not an object', { forward_event: { info: 'x' } }, 'forward_event.info'],
    [
      'uint32 too big',
      { forward_event: { info: { incoming_timelock: 4294967296 } } },
      'forward_event.info.incoming_timelock',
    ],
    [
      'uint32 negative',
      { link_fail_event: { info: { outgoing_timelock: -1 } } },
      'link_fail_event.info.outgoing_timelock',
    ],
    [
      'amount bad',
      { link_fail_event: { info: { incoming_amt_msat: '1e30' } } },
      'link_fail_event.info.incoming_amt_msat',
    ],
    ['wire_failure unknown name', { link_fail_event: { wire_failure: 'NOPE' } }, 'link_fail_event.wire_failure'],
    ['failure_detail object', { link_fail_event: { failure_detail: {} } }, 'link_fail_event.failure_detail'],
    ['failure_string number', { link_fail_event: { failure_string: 5 } }, 'link_fail_event.failure_string'],
    ['preimage not base64', { settle_event: { preimage: 'not base64!' } }, 'settle_event.preimage'],
    ['preimage bad length', { settle_event: { preimage: 'AAAAA' } }, 'settle_event.preimage'],
    ['preimage mixed alphabets', { settle_event: { preimage: '+-AA' } }, 'settle_event.preimage'],
    ['preimage number', { settle_event: { preimage: 1 } }, 'settle_event.preimage'],
    ['settled as string', { final_htlc_event: { settled: 'true' } }, 'final_htlc_event.settled'],
    ['offchain as number', { final_htlc_event: { offchain: 1 } }, 'final_htlc_event.offchain'],
  ])('%s', (_name, value, field) => {
    let err: unknown;
    try {
      decodeJsonEvent(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonEventError);
    expect((err as JsonEventError).field).toBe(field);
    if (field) expect((err as Error).message).toContain(field);
  });

  test('error messages do not carry raw control characters from the input', () => {
    try {
      decodeJsonEvent({ incoming_channel_id: '\u001b[31m\u009b\u202e' });
      throw new Error('no error');
    } catch (e) {
      expect((e as Error).message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    }
  });
});

describe('isGapMarkerJson', () => {
  test.each([
    [{ event: 'gap', from: 'a', to: 'b', reason: 'r' }, true],
    [{ event: 'forward' }, false],
    [{ ...HEAD }, false],
    [null, false],
    ['gap', false],
  ])('%j → %s', (v, want) => expect(isGapMarkerJson(v)).toBe(want));
});
