import { describe, test, expect } from '@jest/globals';
import { rfc3339FromNs } from '../../src/format/pieces/rfc3339-ns.js';
import { rfc3339FromMs } from '../../src/format/pieces/rfc3339-ms.js';
import { nsToMsDecimal } from '../../src/format/pieces/ns-to-ms.js';
import { subtractDecimal } from '../../src/format/pieces/decimal-sub.js';
import { msatToSat } from '../../src/format/pieces/msat-to-sat.js';
import { humanDuration } from '../../src/format/pieces/human-duration.js';
import { firstLine } from '../../src/format/pieces/first-line.js';
import { displayWidth } from '../../src/format/pieces/display-width.js';
import { fitWidth, padWidth } from '../../src/format/pieces/fit-width.js';
import { clockText, eventClock, msFromNs, NO_TIME } from '../../src/format/pieces/clock.js';
import { scidOf } from '../../src/format/pieces/scid.js';
import { eventTypeJson, failureCodeJson, failureDetailJson } from '../../src/codec/json/enum-json.js';
import { effectiveEventType, forwardFeeMsat, htlcInfoOf } from '../../src/format/pieces/htlc-info.js';
import { toHex } from '../../src/format/pieces/hex.js';
import { toBase64 } from '../../src/codec/json/base64.js';
import { makeHtlc, makeHtlcInfo } from '../builders.js';

describe('rfc3339FromNs', () => {
  test.each([
    ['0', null],
    ['1', '1970-01-01T00:00:00.000000001Z'],
    ['999999999', '1970-01-01T00:00:00.999999999Z'],
    ['1000000000', '1970-01-01T00:00:01.000000000Z'],
    ['1700000000123456789', '2023-11-14T22:13:20.123456789Z'],
    ['1700000000000000000', '2023-11-14T22:13:20.000000000Z'],
    ['1700000001000000001', '2023-11-14T22:13:21.000000001Z'],
    ['18446744073709551615', '2554-07-21T23:34:33.709551615Z'],
  ])('%s → %s', (ns, want) => {
    expect(rfc3339FromNs(ns)).toBe(want);
  });

  test('the per-second cache gives the right prefix when seconds alternate', () => {
    expect(rfc3339FromNs('1700000000000000001')).toBe('2023-11-14T22:13:20.000000001Z');
    expect(rfc3339FromNs('1600000000000000002')).toBe('2020-09-13T12:26:40.000000002Z');
    expect(rfc3339FromNs('1700000000000000003')).toBe('2023-11-14T22:13:20.000000003Z');
  });
});

describe('rfc3339FromMs', () => {
  test.each([
    [0, '1970-01-01T00:00:00.000Z'],
    [1700000000123, '2023-11-14T22:13:20.123Z'],
    [NaN, null],
    [9e15, null],
  ])('%s → %s', (ms, want) => expect(rfc3339FromMs(ms)).toBe(want));
});

describe('nsToMsDecimal: exact decimal shift', () => {
  test.each([
    ['0', '0'],
    ['1', '0.000001'],
    ['1000', '0.001'],
    ['9412353', '9.412353'],
    ['5000000', '5'],
    ['5100000', '5.1'],
    ['123456789012345678901', '123456789012345.678901'],
    ['-1500', '-0.0015'],
    ['-9412353', '-9.412353'],
    ['-5000000', '-5'],
    ['-0', '0'],
    ['18446744073709551615', '18446744073709.551615'],
  ])('%s ns → %s ms', (ns, want) => expect(nsToMsDecimal(ns)).toBe(want));
});

describe('subtractDecimal: exact', () => {
  test.each([
    ['1251750', '1250500', '1250'],
    ['1000', '1001', '-1'],
    ['0', '0', '0'],
    ['9007199254740993', '1', '9007199254740992'],
    ['9007199254740993', '9007199254740992', '1'],
    ['18446744073709551615', '18446744073709551614', '1'],
    ['1', '18446744073709551615', '-18446744073709551614'],
    ['999999999999999', '1', '999999999999998'],
  ])('%s − %s = %s', (a, b, want) => expect(subtractDecimal(a, b)).toBe(want));
});

describe('msatToSat', () => {
  test.each([
    ['0', '0', '0.000'],
    ['1', '0.001', '0.001'],
    ['999', '0.999', '0.999'],
    ['1000', '1', '1.000'],
    ['1250500', '1,250.5', '1,250.500'],
    ['1250000', '1,250', '1,250.000'],
    ['123456789', '123,456.789', '123,456.789'],
    ['9007199254740993', '9,007,199,254,740.993', '9,007,199,254,740.993'],
    ['18446744073709551615', '18,446,744,073,709,551.615', '18,446,744,073,709,551.615'],
    ['-1', '-0.001', '-0.001'],
    ['-1250', '-1.25', '-1.250'],
    ['-1000000', '-1,000', '-1,000.000'],
  ])('%s msat → %s / %s', (msat, trimmed, fixed) => {
    expect(msatToSat(msat, false)).toBe(trimmed);
    expect(msatToSat(msat, true)).toBe(fixed);
  });
});

describe('humanDuration', () => {
  test.each([
    ['0', '0 ns'],
    ['850', '850 ns'],
    ['42000', '42 µs'],
    ['9412353', '9.4 ms'],
    ['5000000', '5 ms'],
    ['250400000', '250 ms'],
    ['1234567890', '1.23 s'],
    ['12500000000', '12.5 s'],
    ['125000000000', '2m 05s'],
    ['3720000000000', '1h 02m'],
    ['-9412353', '-9.4 ms'],
  ])('%s ns → %s', (ns, want) => expect(humanDuration(ns)).toBe(want));
});

describe('firstLine', () => {
  test.each([
    ['', ''],
    ['one line', 'one line'],
    ['first\nsecond', 'first …'],
    ['first\r\nsecond', 'first …'],
    ['first\rsecond', 'first …'],
    ['first  \n', 'first'],
    ['\nsecond', ' …'],
    ['insufficient bandwidth to route htlc', 'insufficient bandwidth to route htlc'],
  ])('%j → %j', (s, want) => expect(firstLine(s)).toBe(want));
});

describe('displayWidth', () => {
  test.each([
    ['', 0],
    ['ACINQ', 5],
    ['café', 4],
    ['cafe\u0301', 4], // combining acute
    ['节点', 4],
    ['한국', 4],
    ['ＡＢ', 4], // fullwidth
    ['⚡', 2], // emoji presentation
    ['⚡\ufe0f', 2],
    ['🐙', 2],
    ['👨‍👩‍👧', 2], // ZWJ sequence
    ['🇩🇪', 2], // flag
    ['☺', 1], // text presentation
    ['a\u200bb', 2], // zero-width space
  ])('%j → %d', (s, want) => expect(displayWidth(s)).toBe(want));
});

describe('fitWidth / padWidth', () => {
  test.each([
    ['abc', 5, 'left', 'abc  '],
    ['abc', 5, 'right', '  abc'],
    ['abcdef', 5, 'left', 'abcd…'],
    ['abcde', 5, 'left', 'abcde'],
    ['节点节点', 5, 'left', '节点…'], // 2+2+1
    ['a节点节点', 5, 'left', 'a节… '], // cut before a wide char that does not fit, then pad
    ['🐙🐙🐙', 4, 'left', '🐙… '],
  ] as const)('fit %j in %d (%s) → %j', (s, w, align, want) => {
    const out = fitWidth(s, w, align);
    expect(out).toBe(want);
    expect(displayWidth(out)).toBe(w);
  });

  test('padWidth never cuts', () => {
    expect(padWidth('1,234', 8, 'right')).toBe('   1,234');
    expect(padWidth('18,446,744,073,709,551.615', 15, 'right')).toBe('18,446,744,073,709,551.615');
  });
});

describe('clock', () => {
  const now = Date.UTC(2023, 10, 14, 23, 0, 0); // 2023-11-14T23:00:00Z
  test.each([
    [Date.UTC(2023, 10, 14, 22, 13, 20, 123), 'pretty', '22:13:20.123Z'], // UTC says its zone
    [Date.UTC(2023, 10, 14, 22, 13, 20, 123), 'table', '22:13:20.123'],
    [Date.UTC(2023, 10, 13, 1, 2, 3, 4), 'pretty', '2023-11-13 01:02:03.004Z'],
    [Date.UTC(2023, 10, 13, 1, 2, 3, 4), 'table', '11-13 01:02:03'],
    [NaN, 'pretty', NO_TIME],
  ] as const)('utc %d (%s) → %s', (ms, style, want) => {
    expect(clockText(ms, true, now, style)).toBe(want);
  });

  test("local time: the process time zone (jest cannot switch TZ at runtime, so compare with Date's local getters)", () => {
    const ms = Date.UTC(2023, 10, 14, 10, 0, 0, 5);
    const d = new Date(ms);
    const p = (n: number) => String(n).padStart(2, '0');
    const hms = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    expect(clockText(ms, false, ms, 'pretty')).toBe(`${hms}.005`);
    const dayBefore = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
    expect(clockText(ms, false, ms + 86_400_000, 'pretty')).toBe(`${dayBefore} ${hms}.005`);
    expect(clockText(ms, false, ms + 86_400_000, 'table')).toBe(`${p(d.getMonth() + 1)}-${p(d.getDate())} ${hms}`);
  });

  test('eventClock: timestamp 0 is a placeholder; ns are floored to ms', () => {
    expect(eventClock('0', true, now, 'pretty')).toBe(NO_TIME);
    expect(eventClock('1700000000123999999', true, now, 'pretty')).toBe('22:13:20.123Z');
    expect(msFromNs('999999')).toBe(0);
    expect(msFromNs('1700000000123999999')).toBe(1700000000123);
  });
});

describe('scidOf', () => {
  test.each([
    ['913047649969438721', '830412x1903x1'],
    ['18446744073709551615', '16777215x16777215x65535'],
    ['1', '0x0x1'],
  ])('%s → %s (twice, through the cache)', (id, want) => {
    expect(scidOf(id)).toBe(want);
    expect(scidOf(id)).toBe(want);
  });
});

describe('enum JSON', () => {
  test.each([
    [eventTypeJson, 3, '"FORWARD"'],
    [eventTypeJson, 7, '7'],
    [eventTypeJson, -1, '-1'],
    [failureCodeJson, 997, '"INTERNAL_FAILURE"'],
    [failureCodeJson, 1234, '1234'],
    [failureDetailJson, 27, '"EXTERNAL_VALIDATION_FAILED"'],
    [failureDetailJson, 99, '99'],
    [failureDetailJson, -5, '-5'],
  ])('%p(%d) → %s', (fn, n, want) => expect(fn(n)).toBe(want));
});

describe('htlc info, event type and fee of an event', () => {
  const info = makeHtlcInfo();
  const corrInfo = makeHtlcInfo({ incomingAmtMsat: '2000', outgoingAmtMsat: '1000' });
  test.each([
    ['own info', makeHtlc({ info }), info],
    ['null info, even with corr.info', makeHtlc({ info: null, corr: { info: corrInfo } }), undefined],
    ['settle: corr.info', makeHtlc({ event: 'settle', corr: { info: corrInfo } }), corrInfo],
    ['settle without correlation', makeHtlc({ event: 'settle' }), undefined],
  ])('%s', (_name, ev, want) => expect(htlcInfoOf(ev)).toEqual(want));

  test.each([
    [makeHtlc({ eventType: 1 }), 1],
    [makeHtlc({ event: 'final_htlc', eventType: 0, corr: { firstEventType: 3 } }), 3],
    [makeHtlc({ event: 'final_htlc', eventType: 0 }), 0],
    [makeHtlc({ eventType: 7, corr: { firstEventType: 3 } }), 7],
  ])('effective type %#', (ev, want) => expect(effectiveEventType(ev)).toBe(want));

  test.each([
    ['forward', makeHtlc(), '1250'],
    ['send', makeHtlc({ eventType: 1 }), undefined],
    ['final of a forward', makeHtlc({ event: 'final_htlc', eventType: 0, corr: { firstEventType: 3, info } }), '1250'],
    ['zero side', makeHtlc({ info: makeHtlcInfo({ outgoingAmtMsat: '0' }) }), undefined],
    ['negative', makeHtlc({ info: makeHtlcInfo({ incomingAmtMsat: '1000', outgoingAmtMsat: '1001' }) }), '-1'],
    [
      'above 2^53',
      makeHtlc({ info: makeHtlcInfo({ incomingAmtMsat: '9007199254740993', outgoingAmtMsat: '9007199254740992' }) }),
      '1',
    ],
  ])('fee: %s', (_name, ev, want) => expect(forwardFeeMsat(ev, htlcInfoOf(ev))).toBe(want));
});

describe('bytes', () => {
  const b = Buffer.from('00ff10abcdef', 'hex');
  const sub = new Uint8Array(b.buffer, b.byteOffset + 1, 3); // a view into a larger buffer
  test.each([
    [new Uint8Array(0), '', ''],
    [new Uint8Array(b), '00ff10abcdef', 'AP8Qq83v'],
    [sub, 'ff10ab', '/xCr'],
    [new Uint8Array([1]), '01', 'AQ=='],
  ])('%#', (bytes, hex, b64) => {
    expect(toHex(bytes)).toBe(hex);
    expect(toBase64(bytes)).toBe(b64);
  });
});
