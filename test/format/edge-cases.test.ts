/**
 * The edge cases every format must get right (one table, every format).
 */
import { describe, test, expect } from '@jest/globals';
import type { HtlcEvent } from '../../src/events/model.js';
import { PLAIN_COLORIZER, createColorizer } from '../../src/format/colorizer.js';
import { formatJsonl } from '../../src/format/jsonl.js';
import { formatRaw } from '../../src/format/raw.js';
import { formatPretty } from '../../src/format/pretty.js';
import { formatTable } from '../../src/format/table.js';
import { decodeJsonEvent } from '../../src/codec/raw/decode.js';
import { makeHtlc, makeHtlcInfo } from '../builders.js';

const NOW = Date.UTC(2023, 10, 14, 23, 0, 0);
const plain = { colorizer: PLAIN_COLORIZER, utc: true, now: () => NOW };
const colour = { colorizer: createColorizer(true), utc: true, now: () => NOW };
const MAX = '18446744073709551615';
const BIG = '9007199254740993'; // 2^53 + 1: not representable as a double
const ML = 'línea uno ⚡ \u001b[31mrojo\u001b[0m \u202eevil\nchannel update: {\n  fee_rate: 1\n}';

interface Case {
  name: string;
  ev: HtlcEvent;
  /** Substrings the jsonl line must contain, textually. */
  jsonl: string[];
  /** Key/values of the parsed jsonl object. */
  jsonlParsed: Record<string, unknown>;
  /** Substrings (of the raw line, textually). */
  raw: string[];
  /** Substrings both pretty and table must show (plain). */
  human: string[];
  /** Substrings neither pretty nor table may show. */
  notHuman?: string[];
}

const CASES: Case[] = [
  {
    name: 'event_type 7 (unknown)',
    ev: makeHtlc({ eventType: 7 }),
    jsonl: ['"event_type":7,'],
    jsonlParsed: { event_type: 7, event: 'forward' },
    raw: ['"event_type":7,'],
    human: ['#7'],
    notHuman: ['fee'], // not a FORWARD: no fee
  },
  {
    name: 'wire_failure 1234, failure_detail 99',
    ev: makeHtlc({ event: 'link_fail', wireFailure: 1234, failureDetail: 99, failureString: 'x' }),
    jsonl: ['"wire_failure":1234,"failure_detail":99,'],
    jsonlParsed: { wire_failure: 1234, failure_detail: 99, failure_string: 'x' },
    raw: ['"wire_failure":1234,"failure_detail":99,'],
    human: ['#1234/#99', 'failure code 1234 and failure detail 99 unknown to this version of htlc-tail'],
  },
  {
    name: 'negative enum values',
    ev: makeHtlc({ event: 'link_fail', eventType: -1, wireFailure: -2, failureDetail: -3, failureString: '' }),
    jsonl: ['"event_type":-1,', '"wire_failure":-2,"failure_detail":-3,'],
    jsonlParsed: { event_type: -1, wire_failure: -2, failure_detail: -3, failure_string: '' },
    raw: ['"event_type":-1,', '"wire_failure":-2,"failure_detail":-3,'],
    human: ['#-1', '#-2/#-3'],
  },
  {
    name: 'no oneof member',
    ev: makeHtlc({ event: 'unknown' }),
    jsonl: ['{"event":"unknown",'],
    jsonlParsed: { event: 'unknown', event_type: 'FORWARD', incoming_scid: '830412x1903x1' },
    raw: ['"event_type":"FORWARD"}'],
    human: ['unknown', '830412x1903x1', 'does not know'],
  },
  {
    name: 'max uint64 ids',
    ev: makeHtlc({ incomingChannelId: MAX, outgoingChannelId: MAX, incomingHtlcId: MAX, outgoingHtlcId: MAX }),
    jsonl: [
      `"incoming_channel_id":"${MAX}","incoming_scid":"16777215x16777215x65535","incoming_htlc_id":"${MAX}"`,
      `"outgoing_channel_id":"${MAX}","outgoing_scid":"16777215x16777215x65535","outgoing_htlc_id":"${MAX}"`,
    ],
    jsonlParsed: { incoming_channel_id: MAX, incoming_htlc_id: MAX, outgoing_scid: '16777215x16777215x65535' },
    raw: [
      `"incoming_channel_id":"${MAX}","outgoing_channel_id":"${MAX}","incoming_htlc_id":"${MAX}","outgoing_htlc_id":"${MAX}"`,
    ],
    human: ['16777215x16777215x65535'],
  },
  {
    name: 'amounts above 2^53 msat',
    ev: makeHtlc({ info: makeHtlcInfo({ incomingAmtMsat: MAX, outgoingAmtMsat: BIG }) }),
    jsonl: [`"incoming_amt_msat":${MAX},"outgoing_amt_msat":${BIG},`, '"fee_msat":18437736874454810622'],
    jsonlParsed: { incoming_timelock: 830600 },
    raw: [`"incoming_amt_msat":"${MAX}","outgoing_amt_msat":"${BIG}"`],
    human: ['9,007,199,254,740.993', '18,437,736,874,454,810.622'],
  },
  {
    name: 'multi-line, non-ASCII failure string with control characters',
    ev: makeHtlc({ event: 'link_fail', wireFailure: 12, failureDetail: 1, failureString: ML }),
    jsonl: [
      '"failure_string":"línea uno ⚡ \\u001b[31mrojo\\u001b[0m \u202eevil\\nchannel update: {\\n  fee_rate: 1\\n}"',
    ],
    jsonlParsed: { failure_string: ML, wire_failure: 'FEE_INSUFFICIENT', failure_detail: 'NO_DETAIL' },
    raw: [
      '"failure_string":"línea uno ⚡ \\u001b[31mrojo\\u001b[0m \u202eevil\\nchannel update: {\\n  fee_rate: 1\\n}"',
    ],
    human: ['lnd: línea uno ⚡ \\x1b[31mrojo\\x1b[0m \\u{202e}evil …', 'FEE_INSUFFICIENT/NO_DETAIL', 'fee policy'],
    notHuman: ['channel update:', 'fee_rate'],
  },
  {
    name: 'settle with empty preimage',
    ev: makeHtlc({ event: 'settle', preimage: new Uint8Array(0) }),
    jsonl: ['{"event":"settle",'],
    jsonlParsed: { event: 'settle' },
    raw: ['"settle_event":{"preimage":""}'],
    human: ['settle', 'settled'],
  },
  {
    name: 'link_fail with null info',
    ev: makeHtlc({ event: 'link_fail', info: null, wireFailure: 18, failureDetail: 1, failureString: '' }),
    jsonl: [
      '"outgoing_htlc_id":"7","wire_failure":"UNKNOWN_NEXT_PEER","failure_detail":"NO_DETAIL","failure_string":""}',
    ],
    jsonlParsed: { wire_failure: 'UNKNOWN_NEXT_PEER' },
    raw: [
      '"link_fail_event":{"info":null,"wire_failure":"UNKNOWN_NEXT_PEER","failure_detail":"NO_DETAIL","failure_string":""}',
    ],
    human: ['UNKNOWN_NEXT_PEER/NO_DETAIL', 'the next channel of the route is unknown here'],
    notHuman: ['sat', 'lnd:'],
  },
  {
    name: 'timestamp 0',
    ev: makeHtlc({ timestampNs: '0' }),
    jsonl: ['"time":null,"timestamp_ns":"0",'],
    jsonlParsed: { time: null, timestamp_ns: '0' },
    raw: ['"timestamp_ns":"0",'],
    human: ['--:--:--.---'],
  },
];

describe.each(CASES)('$name', (c) => {
  test('jsonl: exact digits textually, valid JSON, values', () => {
    const line = formatJsonl(c.ev, plain);
    for (const s of c.jsonl) expect(line).toContain(s);
    expect(line).not.toMatch(/[\n\r\u001b]/);
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject(c.jsonlParsed);
    // The parsed object has the same ids as the event, whatever their size.
    expect(parsed.incoming_channel_id).toBe(c.ev.incomingChannelId);
    expect(parsed.outgoing_htlc_id).toBe(c.ev.outgoingHtlcId);
  });

  test('raw: textual, and decodes back to the same event', () => {
    const line = formatRaw(c.ev, plain);
    for (const s of c.raw) expect(line).toContain(s);
    expect(line).not.toMatch(/[\n\r\u001b]/);
    const { incomingAlias: _a, outgoingAlias: _b, corr: _c, ...lndPart } = c.ev;
    expect(decodeJsonEvent(JSON.parse(line))).toEqual(lndPart);
  });

  test.each([
    ['pretty', formatPretty],
    ['table', formatTable],
  ] as const)('%s: one line, sanitized, shows what matters', (_f, format) => {
    const line = format(c.ev, plain);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    for (const s of c.human) expect(line).toContain(s);
    for (const s of c.notHuman ?? []) expect(line).not.toContain(s);
    // In colour, the only ESC bytes are SGR sequences added by the colorizer.
    const coloured = format(c.ev, colour);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(line);
  });
});
