/**
 * The hand-written wire decoder (src/codec/wire/decode-htlc-event.ts) against
 * the library it replaces: protobufjs, loading protos/routerrpc/router.proto,
 * decoding the same bytes with longs as decimal strings and enums as numbers.
 * Compared field by field: seeded random messages encoded by protobufjs, and
 * edge cases (uint64 max, values above 2^53, unknown fields of every wire
 * type, unknown and negative enum values, unset and empty oneof members,
 * fields out of order, fields given twice, wire-type mismatches, truncation).
 *
 * Where protobufjs departs from the protobuf encoding spec, the expectation
 * is the spec's (each such case says so): of two oneof members, the one given
 * last wins (protobufjs reports the one with the higher field number); a bool whose
 * varint has only bits above 32 set is true (protobufjs reads the low 32
 * bits); a known field sent with another wire type is an unknown field
 * (protobufjs reads it as the declared type).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import protobuf from 'protobufjs';
import { decodeHtlcEventWire, WireError } from '../../src/codec/wire/decode-htlc-event.js';
import type { EventKind, HtlcEvent } from '../../src/events/model.js';
import { mulberry32 } from '../prng.js';

const PROTOS = fileURLToPath(new URL('../../protos/', import.meta.url));
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTOS, target));
root.loadSync('routerrpc/router.proto', { keepCase: true });
const HtlcEventType = root.lookupType('routerrpc.HtlcEvent');

const U64_MAX = '18446744073709551615';
/** The members of the oneof `event`, as router.proto names them (the kind is the name without `_event`). */
const MEMBERS = new Set(HtlcEventType.oneofs['event']!.fieldsArray.map((f) => f.name));

type Plain = Record<string, unknown>;

/** protobufjs's decode of `bytes`, as the event model (field names and defaults as the model has them). */
function viaProtobufjs(bytes: Uint8Array): Plain {
  const o = HtlcEventType.toObject(HtlcEventType.decode(bytes), {
    longs: String,
    enums: Number,
    bytes: Array,
    defaults: true,
    oneofs: true,
  });
  const memberName = o['event'] as string | undefined;
  const kind = memberName === undefined ? 'unknown' : (memberName.replace(/_event$/, '') as EventKind);
  const m = (memberName === undefined ? {} : o[memberName]) as Plain;
  const info = (v: unknown) => {
    if (v === null || v === undefined) return null;
    const i = v as Plain;
    return {
      incomingTimelock: i['incoming_timelock'],
      outgoingTimelock: i['outgoing_timelock'],
      incomingAmtMsat: i['incoming_amt_msat'],
      outgoingAmtMsat: i['outgoing_amt_msat'],
    };
  };
  const ev: Plain = {
    event: kind,
    eventType: o['event_type'],
    timestampNs: o['timestamp_ns'],
    incomingChannelId: o['incoming_channel_id'],
    outgoingChannelId: o['outgoing_channel_id'],
    incomingHtlcId: o['incoming_htlc_id'],
    outgoingHtlcId: o['outgoing_htlc_id'],
  };
  switch (kind) {
    case 'forward':
      ev['info'] = info(m['info']);
      break;
    case 'settle':
      ev['preimage'] = Buffer.from(m['preimage'] as number[]).toString('hex');
      break;
    case 'link_fail':
      Object.assign(ev, {
        info: info(m['info']),
        wireFailure: m['wire_failure'],
        failureDetail: m['failure_detail'],
        failureString: m['failure_string'],
      });
      break;
    case 'final_htlc':
      Object.assign(ev, { settled: m['settled'], offchain: m['offchain'] });
      break;
  }
  return ev;
}

/** Our event, with the preimage as hex (the one field that is not plain data). */
function plain(ev: HtlcEvent): Plain {
  const o: Plain = { ...ev };
  if (ev.preimage !== undefined) o['preimage'] = Buffer.from(ev.preimage).toString('hex');
  return o;
}

/** Decodes `bytes` both ways and compares field by field (same keys, same order, same values). */
function expectSameAsProtobufjs(bytes: Uint8Array, expectedFrom: Uint8Array = bytes): HtlcEvent {
  const ours = decodeHtlcEventWire(bytes);
  const want = viaProtobufjs(expectedFrom);
  expect(plain(ours)).toStrictEqual(want);
  expect(Object.keys(ours)).toEqual(Object.keys(want));
  return ours;
}

const encode = (obj: Plain): Uint8Array => HtlcEventType.encode(HtlcEventType.fromObject(obj)).finish();

/** A protobufjs writer for hand-made messages (`tag` is field number and wire type). */
const writer = () => protobuf.Writer.create();
const tag = (field: number, wireType: number) => ((field << 3) | wireType) >>> 0;
const concat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));

const HEAD = {
  incoming_channel_id: '913047649969438721',
  outgoing_channel_id: '913146605892009984',
  incoming_htlc_id: '42',
  outgoing_htlc_id: '7',
  timestamp_ns: '1700000000123456789',
  event_type: 3,
};
const INFO = {
  incoming_timelock: 830600,
  outgoing_timelock: 830560,
  incoming_amt_msat: '1251750',
  outgoing_amt_msat: '1250500',
};

describe('edge cases, compared with protobufjs', () => {
  test.each<[string, Plain]>([
    ['every kind: forward', { ...HEAD, forward_event: { info: INFO } }],
    ['forward_fail', { ...HEAD, forward_fail_event: {} }],
    ['settle', { ...HEAD, settle_event: { preimage: Buffer.alloc(32, 0xab) } }],
    [
      'link_fail',
      {
        ...HEAD,
        link_fail_event: {
          info: INFO,
          wire_failure: 15,
          failure_detail: 6,
          failure_string: 'insufficient bandwidth to route htlc',
        },
      },
    ],
    ['subscribed', { subscribed_event: {} }],
    ['final_htlc', { ...HEAD, event_type: 0, final_htlc_event: { settled: true, offchain: true } }],
    ['no member (unset oneof): unknown', { ...HEAD }],
    ['an empty message', {}],
    [
      'uint64 max everywhere',
      {
        incoming_channel_id: U64_MAX,
        outgoing_channel_id: U64_MAX,
        incoming_htlc_id: U64_MAX,
        outgoing_htlc_id: U64_MAX,
        timestamp_ns: U64_MAX,
        forward_event: { info: { ...INFO, incoming_amt_msat: U64_MAX, outgoing_amt_msat: U64_MAX } },
      },
    ],
    [
      '2^53 − 1, 2^53, 2^53 + 1, 2^63',
      {
        incoming_channel_id: '9007199254740991',
        outgoing_channel_id: '9007199254740992',
        incoming_htlc_id: '9007199254740993',
        outgoing_htlc_id: '9223372036854775808',
        timestamp_ns: '18446744073709551614',
      },
    ],
    [
      'values at the 2^32 boundary',
      {
        incoming_channel_id: '4294967295',
        outgoing_channel_id: '4294967296',
        incoming_htlc_id: '4294967297',
        timestamp_ns: '1099511627776',
      },
    ],
    [
      'uint32 max timelocks',
      { ...HEAD, forward_event: { info: { ...INFO, incoming_timelock: 4294967295, outgoing_timelock: 2147483648 } } },
    ],
    [
      'unknown enum values',
      { ...HEAD, event_type: 42, link_fail_event: { wire_failure: 12345, failure_detail: 999, failure_string: '' } },
    ],
    [
      'negative enum values (10-byte varints)',
      { ...HEAD, event_type: -1, link_fail_event: { wire_failure: -2147483648, failure_detail: -5 } },
    ],
    ['int32 max enum', { ...HEAD, event_type: 2147483647 }],
    ['forward with unset HtlcInfo', { ...HEAD, forward_event: {} }],
    ['link_fail with nothing set', { ...HEAD, link_fail_event: {} }],
    ['settle with an empty preimage', { ...HEAD, settle_event: {} }],
    ['final_htlc with nothing set', { ...HEAD, final_htlc_event: {} }],
    ['an empty HtlcInfo', { ...HEAD, forward_event: { info: {} } }],
    ['a failure text of 64 ASCII bytes', { ...HEAD, link_fail_event: { failure_string: 'x'.repeat(64) } }],
    ['a failure text of 65 ASCII bytes', { ...HEAD, link_fail_event: { failure_string: 'y'.repeat(65) } }],
    [
      'a failure text in UTF-8, short and long',
      { ...HEAD, link_fail_event: { failure_string: 'Zürich ⚡ 😀 日本 \u2028\u0000\u001b' } },
    ],
    ['a long UTF-8 failure text', { ...HEAD, link_fail_event: { failure_string: 'é😀'.repeat(300) } }],
  ])('%s', (_name, obj) => {
    expectSameAsProtobufjs(encode(obj));
  });

  test('fields out of order: the member first, the common fields last and reversed, HtlcInfo reversed', () => {
    const info = writer()
      .uint32(tag(4, 0))
      .uint64('1250500')
      .uint32(tag(3, 0))
      .uint64('1251750')
      .uint32(tag(2, 0))
      .uint32(830560)
      .uint32(tag(1, 0))
      .uint32(830600)
      .finish();
    const w = writer()
      .uint32(tag(10, 2))
      .fork()
      .uint32(tag(4, 2))
      .string('no')
      .uint32(tag(3, 0))
      .int32(6)
      .uint32(tag(2, 0))
      .int32(15)
      .uint32(tag(1, 2))
      .bytes(info)
      .ldelim();
    w.uint32(tag(6, 0))
      .int32(3)
      .uint32(tag(5, 0))
      .uint64(HEAD.timestamp_ns)
      .uint32(tag(4, 0))
      .uint64('7')
      .uint32(tag(3, 0))
      .uint64('42');
    w.uint32(tag(2, 0)).uint64(HEAD.outgoing_channel_id).uint32(tag(1, 0)).uint64(HEAD.incoming_channel_id);
    const ev = expectSameAsProtobufjs(w.finish());
    expect(ev).toMatchObject({
      event: 'link_fail',
      incomingChannelId: HEAD.incoming_channel_id,
      info: { incomingAmtMsat: '1251750' },
      failureString: 'no',
    });
  });

  test('unknown fields of every wire type, at the top, in a member and in HtlcInfo, are skipped', () => {
    const unknown = (w: protobuf.Writer) =>
      w
        .uint32(tag(13, 0))
        .uint64('18446744073709551615') // varint
        .uint32(tag(14, 1))
        .fixed64('123') // 64-bit
        .uint32(tag(15, 2))
        .bytes(Uint8Array.of(1, 2, 3)) // length-delimited
        .uint32(tag(16, 5))
        .fixed32(7) // 32-bit
        .uint32(tag(536870911, 0))
        .uint32(1); // the largest field number
    const info = unknown(writer().uint32(tag(3, 0)).uint64('5'))
      .uint32(tag(4, 0))
      .uint64('4')
      .finish();
    const member = unknown(writer().uint32(tag(1, 2)).bytes(info)).finish();
    const bytes = unknown(writer().uint32(tag(1, 0)).uint64(HEAD.incoming_channel_id))
      .uint32(tag(7, 2))
      .bytes(member)
      .uint32(tag(5, 0))
      .uint64('9')
      .finish();
    const ev = expectSameAsProtobufjs(bytes);
    expect(ev).toMatchObject({
      event: 'forward',
      timestampNs: '9',
      info: { incomingAmtMsat: '5', outgoingAmtMsat: '4' },
    });
    // The same unknown fields inside the members without fields.
    for (const f of [8, 11])
      expectSameAsProtobufjs(writer().uint32(tag(f, 2)).bytes(unknown(writer()).finish()).finish());
  });

  test('a scalar field given twice: the last one wins', () => {
    const bytes = concat(
      encode({ ...HEAD, event_type: 1 }),
      encode({ incoming_channel_id: U64_MAX, timestamp_ns: '5', event_type: 2 }),
    );
    const ev = expectSameAsProtobufjs(bytes);
    expect(ev).toMatchObject({
      incomingChannelId: U64_MAX,
      timestampNs: '5',
      eventType: 2,
      outgoingChannelId: HEAD.outgoing_channel_id,
    });
  });

  test('the same member given twice: the last one replaces it (as protobufjs does; lnd never sends this)', () => {
    const a = encode({ forward_event: { info: INFO } });
    const b = encode({ forward_event: { info: { ...INFO, incoming_amt_msat: '1' } } });
    expect(expectSameAsProtobufjs(concat(encode(HEAD), a, b)).info?.incomingAmtMsat).toBe('1');
    const f1 = encode({ final_htlc_event: { settled: true } });
    const f2 = encode({ final_htlc_event: { offchain: true } });
    expect(expectSameAsProtobufjs(concat(f1, f2))).toMatchObject({ settled: false, offchain: true });
  });

  test('another member after the first: the last one wins', () => {
    const fwd = encode({ forward_event: { info: INFO } });
    const settle = encode({ settle_event: { preimage: Buffer.alloc(32, 1) } });
    expect(expectSameAsProtobufjs(concat(encode(HEAD), fwd, settle)).event).toBe('settle');
    // settle, then forward: protobufjs reports the member with the higher field number
    // (settle); the encoding spec's last-wins gives the forward, as protobufjs decodes it alone.
    expect(expectSameAsProtobufjs(concat(encode(HEAD), settle, fwd), concat(encode(HEAD), fwd)).event).toBe('forward');
    expect(expectSameAsProtobufjs(concat(encode(HEAD), fwd, settle, fwd), concat(encode(HEAD), fwd)).event).toBe(
      'forward',
    );
  });

  test('HtlcInfo given twice in a member: the last one replaces it', () => {
    const i1 = writer().uint32(tag(1, 0)).uint32(100).uint32(tag(3, 0)).uint64('5').finish();
    const i2 = writer().uint32(tag(4, 0)).uint64('6').finish();
    const member = writer().uint32(tag(1, 2)).bytes(i1).uint32(tag(1, 2)).bytes(i2).finish();
    const ev = expectSameAsProtobufjs(writer().uint32(tag(10, 2)).bytes(member).finish());
    expect(ev.info).toEqual({ incomingTimelock: 0, outgoingTimelock: 0, incomingAmtMsat: '0', outgoingAmtMsat: '6' });
  });

  test('a scalar field in packed (length-delimited) form, or a member as a varint: unknown fields, skipped (the spec; protobufjs misreads them)', () => {
    const head = encode(HEAD);
    const packedId = writer().uint32(tag(1, 2)).fork().uint64('99').ldelim().finish();
    expectSameAsProtobufjs(concat(head, packedId), head);
    const memberAsVarint = writer().uint32(tag(7, 0)).uint32(1).finish();
    expect(expectSameAsProtobufjs(concat(head, memberAsVarint), head).event).toBe('unknown');
    const infoAsFixed = writer().uint32(tag(7, 2)).fork().uint32(tag(1, 5)).fixed32(1).ldelim().finish();
    expectSameAsProtobufjs(concat(head, infoAsFixed), concat(head, encode({ forward_event: {} })));
  });

  test('over-long varints: an int32 enum in 5 bytes, a uint32 in 10 bytes (its low 32 bits), as protobufjs reads them', () => {
    const bytes = writer()
      .uint32(tag(6, 0))
      .uint32(0xffffffff)
      .uint32(tag(7, 2))
      .fork()
      .uint32(tag(1, 2))
      .fork()
      .uint32(tag(1, 0))
      .uint64('18446744069414584321')
      .ldelim()
      .ldelim()
      .finish();
    expect(expectSameAsProtobufjs(bytes)).toMatchObject({ eventType: -1, info: { incomingTimelock: 1 } });
  });

  test('a bool is true for any non-zero varint, bits above 32 included (the spec; protobufjs reads only the low 32 bits)', () => {
    const member = writer().uint32(tag(1, 0)).uint64('4294967296').uint32(tag(2, 0)).uint32(2).finish();
    const ev = decodeHtlcEventWire(writer().uint32(tag(12, 2)).bytes(member).finish());
    expect(ev).toMatchObject({ event: 'final_htlc', settled: true, offchain: true });
  });

  test('a failure text that is not valid UTF-8 reads as Buffer#toString("utf8") reads it (U+FFFD)', () => {
    for (const raw of [
      [0xff],
      [0x61, 0xc3],
      [0xe2, 0x82],
      [0xed, 0xa0, 0x80],
      [0xf0, 0x9f, 0x98],
      [0x80, 0x61],
      Array(70).fill(0xc3),
    ]) {
      const text = Uint8Array.from(raw);
      const ev = decodeHtlcEventWire(
        writer().uint32(tag(10, 2)).fork().uint32(tag(4, 2)).bytes(text).ldelim().finish(),
      );
      expect(ev.failureString).toBe(Buffer.from(text).toString('utf8'));
    }
  });

  test('the preimage is a view of the message bytes', () => {
    const bytes = encode({ ...HEAD, settle_event: { preimage: Buffer.alloc(32, 9) } });
    const ev = decodeHtlcEventWire(bytes);
    expect(ev.preimage!.buffer).toBe(bytes.buffer);
  });
});

describe('malformed input', () => {
  test.each<[string, number[], string]>([
    ['a truncated varint', [0x08, 0xff], 'truncated varint'],
    ['a varint of 11 bytes', [0x08, ...Array(10).fill(0xff), 0x01], 'varint too long'],
    ['a tag varint of 11 bytes', [...Array(10).fill(0x80), 0x01], 'varint too long'],
    ['a length past the end', [0x3a, 0x05, 0x0a], 'truncated length-delimited field'],
    [
      'a member whose HtlcInfo runs past the member',
      [0x3a, 0x02, 0x0a, 0x05, 0x08, 0x01, 0x10, 0x02, 0x18],
      'truncated length-delimited field',
    ],
    ['a truncated fixed64', [0x69, 1, 2, 3], 'truncated fixed-width field'],
    ['a truncated fixed32', [0x6d, 1, 2], 'truncated fixed-width field'],
    ['a group (wire type 3)', [0x6b, 0x6c], 'unsupported wire type 3'],
    ['wire type 7', [0x0f], 'unsupported wire type 7'],
  ])('%s: WireError', (_name, bytes, message) => {
    expect(() => decodeHtlcEventWire(Uint8Array.from(bytes))).toThrow(new WireError(message));
  });

  // protobufjs reads past the end of a cut uint64 varint without noticing (as zero bytes): where it
  // decodes a cut, this decoder may refuse it; where it refuses one, this decoder refuses it too.
  test('every cut of a message: refused with a WireError whenever protobufjs refuses it, else decoded as protobufjs decodes it or refused', () => {
    const messages = [
      encode({
        ...HEAD,
        link_fail_event: {
          info: { ...INFO, incoming_amt_msat: U64_MAX },
          wire_failure: -1,
          failure_detail: 6,
          failure_string: 'Zürich ⚡',
        },
      }),
      encode({ ...HEAD, settle_event: { preimage: Buffer.alloc(32, 7) } }),
      encode({ ...HEAD, final_htlc_event: { settled: true, offchain: true } }),
    ];
    for (const m of messages) {
      for (let n = 0; n < m.length; n++) {
        const cut = m.subarray(0, n);
        let theirs: unknown;
        try {
          HtlcEventType.decode(cut);
        } catch (e) {
          theirs = e;
        }
        let ours: unknown;
        try {
          decodeHtlcEventWire(cut);
        } catch (e) {
          ours = e;
        }
        if (ours !== undefined) expect(ours).toBeInstanceOf(WireError);
        else if (theirs === undefined) expectSameAsProtobufjs(cut);
        else throw new Error(`a cut protobufjs refuses was decoded: ${Buffer.from(cut).toString('hex')}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------
// Random messages

function generator(r: () => number) {
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const u32 = () => String(int(2 ** 32));
  const u64 = (): string =>
    pick([
      () => '0',
      () => String(int(128)),
      () => String(int(2 ** 21)),
      () => u32(),
      () => U64_MAX,
      () => '9007199254740992',
      () => '9007199254740993',
      () => ((BigInt(u32()) << 32n) | BigInt(u32())).toString(),
      () => ((BigInt(600_000 + int(300_000)) << 40n) | (BigInt(int(4000)) << 16n) | BigInt(int(4))).toString(), // a channel id
      () => (1_700_000_000_000_000_000n + BigInt(int(2 ** 30)) * 1_000_003n).toString(), // a timestamp
    ])();
  const enumv = () => pick([0, 1, 2, 3, 6, 15, 18, 27, 28, 999, -1, -2147483648, 2147483647, int(2 ** 31)]);
  const chars = [
    'a',
    'Z',
    ' ',
    '\n',
    '\u0000',
    '\u001b',
    '\u007f',
    '\u0085',
    'é',
    'ÿ',
    '⚡',
    '😀',
    '𝄞',
    '\u2028',
    '"',
    '\\',
  ];
  const text = () => Array.from({ length: pick([0, 1, 5, 40, 64, 65, 200]) }, () => pick(chars)).join('');
  const info = () =>
    r() < 0.15
      ? undefined
      : {
          incoming_timelock: Number(u32()),
          outgoing_timelock: r() < 0.3 ? 0 : Number(u32()),
          incoming_amt_msat: u64(),
          outgoing_amt_msat: u64(),
        };
  const drop = (o: Plain) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && r() < 0.9));
  return (): Plain => {
    const head = drop({
      incoming_channel_id: u64(),
      outgoing_channel_id: u64(),
      incoming_htlc_id: u64(),
      outgoing_htlc_id: u64(),
      timestamp_ns: u64(),
      event_type: enumv(),
    });
    switch (int(7)) {
      case 0:
        return { ...head, forward_event: drop({ info: info() }) };
      case 1:
        return { ...head, forward_fail_event: {} };
      case 2:
        return {
          ...head,
          settle_event: drop({
            preimage: Buffer.from(Array.from({ length: pick([0, 1, 31, 32, 33]) }, () => int(256))),
          }),
        };
      case 3:
        return {
          ...head,
          link_fail_event: drop({
            info: info(),
            wire_failure: enumv(),
            failure_detail: enumv(),
            failure_string: text(),
          }),
        };
      case 4:
        return { ...head, subscribed_event: {} };
      case 5:
        return { ...head, final_htlc_event: drop({ settled: r() < 0.5, offchain: r() < 0.5 }) };
      default:
        return head;
    }
  };
}

const memberOf = (o: Plain) => Object.keys(o).find((k) => MEMBERS.has(k));
const withoutMember = (o: Plain) => Object.fromEntries(Object.entries(o).filter(([k]) => !MEMBERS.has(k)));

describe('random messages encoded by protobufjs', () => {
  test.each([1, 2, 3])('seed %i: 3,000 messages decode field by field as protobufjs decodes them', (seed) => {
    const r = mulberry32(seed);
    const next = generator(r);
    for (let i = 0; i < 3000; i++) {
      const obj = next();
      let bytes = encode(obj);
      let expected = bytes;
      // Now and then two messages in one (a merge: the last scalar and member win; protobufjs
      // decodes the same when the first message's member is left out).
      if (r() < 0.1) {
        const second = next();
        bytes = concat(bytes, encode(second));
        expected = concat(encode(memberOf(second) ? withoutMember(obj) : obj), encode(second));
      }
      try {
        expectSameAsProtobufjs(bytes, expected);
      } catch (e) {
        throw new Error(
          `message ${i} (${Buffer.from(bytes).toString('hex')}) of ${JSON.stringify(obj)}: ${(e as Error).message}`,
        );
      }
    }
  });
});
