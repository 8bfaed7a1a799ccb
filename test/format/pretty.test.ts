import { describe, test, expect } from '@jest/globals';
import type { OutputItem } from '../../src/events/model.js';
import { PLAIN_COLORIZER, createColorizer } from '../../src/format/colorizer.js';
import { formatPretty } from '../../src/format/pretty.js';
import { makeHtlc, makeHtlcInfo } from '../builders.js';

const NOW = Date.UTC(2023, 10, 14, 23, 0, 0); // same UTC day as the events
const ctx = { colorizer: PLAIN_COLORIZER, utc: true, now: () => NOW };
const info = makeHtlcInfo();
const forwardCorr = { info, firstEventType: 3 };

// --utc times are marked Z (issue 11: they show their zone).
const cases: Array<[string, OutputItem, string]> = [
  [
    'forward with aliases',
    makeHtlc({ incomingAlias: 'ACINQ', outgoingAlias: 'Kraken 🐙' }),
    '22:13:20.123Z FORWARD forward      830412x1903x1 (ACINQ) → 830502x12x0 (Kraken 🐙)  1,250.5 sat  fee 1.25 sat',
  ],
  [
    'settle with duration',
    makeHtlc({
      event: 'settle',
      preimage: new Uint8Array(32),
      incomingAlias: 'ACINQ',
      corr: { ...forwardCorr, durationNs: '9412353' },
    }),
    '22:13:20.123Z FORWARD settle       830412x1903x1 (ACINQ) → 830502x12x0  1,250.5 sat  fee 1.25 sat  9.4 ms  settled',
  ],
  [
    'forward_fail',
    makeHtlc({ event: 'forward_fail', corr: { ...forwardCorr, durationNs: '1234567890' } }),
    '22:13:20.123Z FORWARD forward_fail 830412x1903x1 → 830502x12x0  1,250.5 sat  fee 1.25 sat  1.23 s  failed: an error came back from further along the route',
  ],
  [
    'link_fail with detail and lnd text',
    makeHtlc({
      event: 'link_fail',
      outgoingHtlcId: '0',
      wireFailure: 15,
      failureDetail: 6,
      failureString: 'insufficient bandwidth to route htlc',
    }),
    '22:13:20.123Z FORWARD link_fail    830412x1903x1 → 830502x12x0  1,250.5 sat  fee 1.25 sat  failed TEMPORARY_CHANNEL_FAILURE/INSUFFICIENT_BALANCE: not enough outbound liquidity on the outgoing channel — lnd: insufficient bandwidth to route htlc',
  ],
  [
    'RECEIVE link_fail: the outgoing side is this node',
    makeHtlc({
      event: 'link_fail',
      eventType: 2,
      outgoingChannelId: '0',
      outgoingHtlcId: '0',
      info: makeHtlcInfo({ outgoingAmtMsat: '0', outgoingTimelock: 0, incomingAmtMsat: '50000000' }),
      wireFailure: 1,
      failureDetail: 19,
      failureString: 'invoice not found',
    }),
    '22:13:20.123Z RECEIVE link_fail    830412x1903x1 → this node  50,000 sat  failed INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS/UNKNOWN_INVOICE: no invoice for this payment hash on this node — lnd: invoice not found',
  ],
  [
    'SEND forward: the incoming side is this node',
    makeHtlc({
      eventType: 1,
      incomingChannelId: '0',
      incomingHtlcId: '0',
      info: makeHtlcInfo({ incomingAmtMsat: '0', incomingTimelock: 0, outgoingAmtMsat: '1' }),
    }),
    '22:13:20.123Z SEND    forward      this node → 830502x12x0  0.001 sat',
  ],
  [
    'final_htlc of a forward, settled',
    makeHtlc({
      event: 'final_htlc',
      eventType: 0,
      outgoingChannelId: '0',
      outgoingHtlcId: '0',
      settled: true,
      offchain: true,
      corr: { ...forwardCorr, durationNs: '125000000000' },
    }),
    '22:13:20.123Z FORWARD final_htlc   830412x1903x1  1,250.5 sat  fee 1.25 sat  2m 05s  settled',
  ],
  [
    'final_htlc on chain, uncorrelated',
    makeHtlc({
      event: 'final_htlc',
      eventType: 0,
      outgoingChannelId: '0',
      outgoingHtlcId: '0',
      settled: false,
      offchain: false,
    }),
    '22:13:20.123Z UNKNOWN final_htlc   830412x1903x1  failed on chain',
  ],
  [
    'replayed: marker, no duration',
    makeHtlc({
      event: 'settle',
      preimage: new Uint8Array(0),
      corr: { ...forwardCorr, durationNs: '5', replayed: true },
    }),
    '22:13:20.123Z FORWARD settle       830412x1903x1 → 830502x12x0  1,250.5 sat  fee 1.25 sat  settled  [replayed]',
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
    "--:--:--.--- subscribed to lnd's HTLC events",
  ],
  [
    'unknown member, unknown type, another day',
    makeHtlc({ event: 'unknown', eventType: 7, timestampNs: '1600000000000000000' }),
    '2020-09-13 12:26:40.000Z #7      unknown      830412x1903x1 → 830502x12x0  an event of a kind this version of htlc-tail does not know',
  ],
  [
    'untrusted alias is sanitized',
    makeHtlc({ incomingAlias: '\u001b]0;pwned\u0007\u202eKNIQA' }),
    '22:13:20.123Z FORWARD forward      830412x1903x1 (\\x1b]0;pwned\\x07\\u{202e}KNIQA) → 830502x12x0  1,250.5 sat  fee 1.25 sat',
  ],
  [
    'gap marker',
    {
      event: 'gap',
      fromMs: Date.UTC(2023, 10, 14, 12, 0, 1, 234),
      toMs: Date.UTC(2023, 10, 14, 12, 0, 7),
      reason: 'stream lost: 14 UNAVAILABLE\nmore',
    },
    '──── gap 12:00:01.234Z → 12:00:07.000Z (stream lost: 14 UNAVAILABLE …): events in between may be missing ────',
  ],
];

describe('pretty: exact lines (plain, UTC)', () => {
  test.each(cases)('%s', (_name, item, want) => {
    expect(formatPretty(item, ctx)).toBe(want);
  });
});

describe('pretty in colour', () => {
  const colour = { colorizer: createColorizer(true), utc: true, now: () => NOW };
  test.each(cases)('%s: same text once the SGR codes are removed', (_name, item, want) => {
    const line = formatPretty(item, colour);
    expect(line.replace(/\u001b\[\d+m/g, '')).toBe(want);
  });
  test.each([
    ['settle is green', makeHtlc({ event: 'settle', preimage: new Uint8Array(0) }), '\u001b[32msettle'],
    ['link_fail is red', makeHtlc({ event: 'link_fail', wireFailure: 15, failureDetail: 6 }), '\u001b[31mlink_fail'],
    ['forward_fail is red', makeHtlc({ event: 'forward_fail' }), '\u001b[31mforward_fail'],
    ['forward is cyan', makeHtlc(), '\u001b[36mforward'],
    ['FORWARD is yellow', makeHtlc(), '\u001b[33mFORWARD'],
    ['SEND is magenta', makeHtlc({ eventType: 1 }), '\u001b[35mSEND'],
    ['RECEIVE is blue', makeHtlc({ eventType: 2 }), '\u001b[34mRECEIVE'],
  ])('%s', (_name, ev, want) => {
    expect(formatPretty(ev, colour)).toContain(want);
  });
});

describe('pretty: ctx.utc and ctx.now', () => {
  test('another day shows the date', () => {
    const line = formatPretty(makeHtlc(), { ...ctx, now: () => NOW + 2 * 86_400_000 });
    expect(line.startsWith('2023-11-14 22:13:20.123Z FORWARD')).toBe(true);
  });
  test('local time is used without utc', () => {
    const d = new Date(1700000000123);
    const p = (n: number) => String(n).padStart(2, '0');
    const line = formatPretty(makeHtlc(), { colorizer: PLAIN_COLORIZER, utc: false, now: () => 1700000000123 });
    expect(line.startsWith(`${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.123 FORWARD`)).toBe(true);
  });
});
