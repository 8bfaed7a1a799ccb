/**
 * Property test: generated HtlcEvents with arbitrary field values go through
 * every format without a crash; jsonl and raw stay valid JSON, and raw decodes
 * back to the same event. Random bytes into the wire decoder either decode or
 * throw its WireError, never anything else. Seeded, so a failure reproduces.
 */
import { describe, test, expect } from '@jest/globals';
import { getFormatter } from '../../src/format/index.js';
import { FORMATS } from '../../src/format/names.js';
import { createColorizer } from '../../src/format/colorizer.js';
import { decodeJsonEvent } from '../../src/codec/raw/decode.js';
import { decodeHtlcEventWire, WireError } from '../../src/codec/wire/decode-htlc-event.js';
import { EVENT_KINDS, type HtlcEvent, type HtlcInfo } from '../../src/events/model.js';
import { mulberry32 } from '../prng.js';
import { parse as parseCsv } from 'csv-parse/sync';

const rng = mulberry32;

function gen(r: () => number) {
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const u64 = () =>
    pick([
      () => '0',
      () => '18446744073709551615',
      () => String(int(1000)),
      () => ((BigInt(int(2 ** 32)) << 32n) | BigInt(int(2 ** 32))).toString(),
      () => '9007199254740993',
    ])();
  const u32 = () => pick([0, 1, 4294967295, int(2 ** 32)]);
  const enumv = () => pick([0, 1, 2, 3, 7, 99, 997, 1234, -1, -2147483648, 2147483647]);
  const chars = [
    'a',
    'Z',
    ' ',
    '\n',
    '\r',
    '\t',
    '\x00',
    '\x1b',
    '\x7f',
    '\u0085',
    '\u202e',
    '\u2028',
    'é',
    '⚡',
    '𝄞',
    '"',
    '\\',
    '\ud800',
  ];
  const str = () => Array.from({ length: int(40) }, () => pick(chars)).join('');
  const info = (): HtlcInfo | null =>
    r() < 0.2
      ? null
      : { incomingTimelock: u32(), outgoingTimelock: u32(), incomingAmtMsat: u64(), outgoingAmtMsat: u64() };
  return (): HtlcEvent => {
    const event = pick(EVENT_KINDS);
    const base = {
      event,
      eventType: enumv(),
      timestampNs: u64(),
      incomingChannelId: u64(),
      outgoingChannelId: u64(),
      incomingHtlcId: u64(),
      outgoingHtlcId: u64(),
    };
    const extra: Partial<HtlcEvent> =
      event === 'forward'
        ? { info: info() }
        : event === 'link_fail'
          ? { info: info(), wireFailure: enumv(), failureDetail: enumv(), failureString: str() }
          : event === 'settle'
            ? { preimage: Uint8Array.from({ length: pick([0, 1, 32]) }, () => int(256)) }
            : event === 'final_htlc'
              ? { settled: r() < 0.5, offchain: r() < 0.5 }
              : {};
    const ev: HtlcEvent = { ...base, ...extra };
    if (r() < 0.5) {
      ev.corr = {
        info: info() ?? undefined,
        firstEventType: enumv(),
        durationNs: pick(['0', '-5', '9412353', '18446744073709551615']),
        replayed: r() < 0.2,
      };
    }
    if (r() < 0.3) ev.incomingAlias = str();
    if (r() < 0.3) ev.outgoingAlias = str();
    return ev;
  };
}

const CTXS = [
  { colorizer: createColorizer(false), utc: true, now: () => 0 },
  { colorizer: createColorizer(true), utc: false, now: () => Date.now() },
];

describe('every format survives arbitrary events', () => {
  test.each([1, 2, 3, 4, 5])('seed %i: 1,000 events', (seed) => {
    const next = gen(rng(seed));
    for (let i = 0; i < 1000; i++) {
      const ev = next();
      for (const name of FORMATS) {
        const f = getFormatter(name);
        for (const ctx of CTXS) {
          const line = f.format(ev, ctx);
          expect(typeof line).toBe('string');
          if (name === 'jsonl' || name === 'raw') {
            expect(line).not.toMatch(/\n/);
            JSON.parse(line);
          } else if (name === 'csv') {
            // Data, not terminal text: the exact values, one RFC 4180 record of 29 fields.
            expect(parseCsv(line + '\n', { relax_column_count: false })).toEqual([expect.any(Array)]);
            expect(parseCsv(line + '\n')[0]).toHaveLength(29);
          } else if (!ctx.colorizer.enabled) {
            // Text from the node can never put a raw control character on the terminal.
            expect(line).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
          }
        }
      }
      const raw = getFormatter('raw').format(ev, CTXS[0]!);
      const back = decodeJsonEvent(JSON.parse(raw));
      expect(getFormatter('raw').format(back, CTXS[0]!)).toBe(raw);
    }
  });
});

describe('the wire decoder on random bytes', () => {
  test('decodes or throws WireError, never anything else', () => {
    const r = rng(42);
    for (let i = 0; i < 20_000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256));
      try {
        const ev = decodeHtlcEventWire(bytes);
        expect(EVENT_KINDS).toContain(ev.event);
        expect(ev.timestampNs).toMatch(/^\d+$/);
      } catch (e) {
        expect(e).toBeInstanceOf(WireError);
      }
    }
  });
});
