/**
 * htlc-tail's own jsonl read back (src/codec/jsonl/read-line.ts): exact numbers
 * from the line's digits, the fields lnd sent restored, what correlation
 * added kept as recorded, and bad lines named by key.
 */
import { describe, expect, test } from '@jest/globals';
import { decodeJsonlLine, JsonlLineError, msTextToNs } from '../../src/codec/jsonl/read-line.js';
import { formatJsonl } from '../../src/format/jsonl.js';
import { Correlator } from '../../src/events/correlate.js';

describe('msTextToNs: duration_ms to integer ns, exact', () => {
  test.each([
    ['9.412353', '9412353'],
    ['12', '12000000'],
    ['0', '0'],
    ['-0.0015', '-1500'],
    ['0.000001', '1'],
    ['123456789012345.678901', '123456789012345678901'],
    ['2e-3', '2000'],
    ['1.5E2', '150000000'],
    ['-0', '0'],
    ['0.0000001', undefined],
    ['abc', undefined],
  ])('%s → %s', (text, ns) => {
    expect(msTextToNs(text)).toBe(ns);
  });
});

const FWD =
  '{"event":"forward","event_type":"FORWARD","time":"2024-05-06T07:08:09.124457039Z","timestamp_ns":"1714979289124457039","incoming_channel_id":"18446744073709551615","incoming_scid":"16777215x16777215x65535","incoming_alias":"ACINQ ⚡","incoming_htlc_id":"18446744073709551615","outgoing_channel_id":"936690448531324928","outgoing_scid":"851915x2358x0","outgoing_htlc_id":"201","incoming_amt_msat":18446744073709551615,"outgoing_amt_msat":9007199254740993001,"incoming_timelock":4294967295,"outgoing_timelock":870160,"fee_msat":9439544818968558614}';

describe('decodeJsonlLine', () => {
  test('amounts above 2^53 and max uint64 ids exact; the recorded alias kept; the line written back the same', () => {
    const ev = decodeJsonlLine(FWD);
    expect(ev.info).toEqual({
      incomingTimelock: 4294967295,
      outgoingTimelock: 870160,
      incomingAmtMsat: '18446744073709551615',
      outgoingAmtMsat: '9007199254740993001',
    });
    expect(ev.incomingChannelId).toBe('18446744073709551615');
    expect(ev.incomingAlias).toBe('ACINQ ⚡');
    expect(ev.recorded).toEqual({ firstEventType: 3 });
    expect(formatJsonl(new Correlator().apply(ev))).toBe(FWD);
  });

  test('a settle with recorded amounts, duration and preimage', () => {
    const line =
      '{"event":"settle","event_type":"FORWARD","time":"2024-05-06T07:08:09.125457289Z","timestamp_ns":"1714979289125457289","incoming_channel_id":"908944272499277826","incoming_scid":"826680x754x2","incoming_htlc_id":"101","outgoing_channel_id":"936690448531324928","outgoing_scid":"851915x2358x0","outgoing_htlc_id":"201","incoming_amt_msat":1000500,"outgoing_amt_msat":1000000,"incoming_timelock":870200,"outgoing_timelock":870160,"fee_msat":500,"preimage":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f","duration_ms":1.00025}';
    const ev = decodeJsonlLine(line);
    expect(Buffer.from(ev.preimage!).toString('hex')).toBe(
      '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
    );
    expect(ev.recorded).toMatchObject({ durationNs: '1000250', firstEventType: 3 });
    // No forward before it here: correlation alone would give no amounts and no duration; the record wins.
    expect(formatJsonl(new Correlator().apply(ev))).toBe(line);
  });

  test('a RECEIVE final_htlc: its type from the amounts shown (outgoing left out)', () => {
    const line =
      '{"event":"final_htlc","event_type":"UNKNOWN","time":"2024-05-06T07:08:09.136459539Z","timestamp_ns":"1714979289136459539","incoming_channel_id":"908944272499277826","incoming_scid":"826680x754x2","incoming_htlc_id":"105","outgoing_channel_id":"0","outgoing_htlc_id":"0","incoming_amt_msat":21000000,"incoming_timelock":870500,"settled":false,"offchain":true,"duration_ms":1.00025}';
    const ev = decodeJsonlLine(line);
    expect(ev.recorded?.firstEventType).toBe(2);
    expect(formatJsonl(new Correlator().apply(ev))).toBe(line);
  });

  test('a link_fail with unknown enum numbers and no HtlcInfo', () => {
    const line =
      '{"event":"link_fail","event_type":"FORWARD","time":"2024-05-06T07:08:09.142461789Z","timestamp_ns":"1714979289142461789","incoming_channel_id":"908944272499277826","incoming_scid":"826680x754x2","incoming_htlc_id":"107","outgoing_channel_id":"936690448531324928","outgoing_scid":"851915x2358x0","outgoing_htlc_id":"0","wire_failure":1234,"failure_detail":99,"failure_string":"a\\nb \\u001b[31m"}';
    const ev = decodeJsonlLine(line);
    expect(ev).toMatchObject({ info: null, wireFailure: 1234, failureDetail: 99, failureString: 'a\nb \u001b[31m' });
    expect(formatJsonl(new Correlator().apply(ev))).toBe(line);
  });

  test('replayed: kept, with no duration', () => {
    const ev = decodeJsonlLine(FWD.replace(/}$/, ',"replayed":true}'));
    expect(ev.recorded).toEqual({ firstEventType: 3, replayed: true });
  });

  test.each([
    ['{"event":"forward","event_type":"FORWARD"}', /"timestamp_ns" is missing/],
    [
      FWD.replace('"incoming_htlc_id":"18446744073709551615"', '"incoming_htlc_id":"18446744073709551616"'),
      /"incoming_htlc_id" is out of range/,
    ],
    [
      FWD.replace('"event_type":"FORWARD"', '"event_type":"FORWARDED"'),
      /"event_type" is not a name this version knows/,
    ],
    [FWD.replace('"outgoing_timelock":870160', '"outgoing_timelock":-1'), /"outgoing_timelock" is not a uint32/],
    [FWD.replace('"event":"forward"', '"event":"forwarded"'), /"event" is not an event kind/],
    [
      '{"event":"settle","event_type":1,"timestamp_ns":"1","incoming_channel_id":"0","outgoing_channel_id":"0","incoming_htlc_id":"0","outgoing_htlc_id":"0","preimage":"zz"}',
      /"preimage" is not hex/,
    ],
    [
      '{"event":"settle","event_type":1,"timestamp_ns":"1","incoming_channel_id":"0","outgoing_channel_id":"0","incoming_htlc_id":"0","outgoing_htlc_id":"0","duration_ms":"5"}',
      /"duration_ms" is not a number/,
    ],
    ['{"event":"forward",', /not JSON/],
  ])('bad: %s', (line, msg) => {
    expect(() => decodeJsonlLine(line)).toThrow(JsonlLineError);
    expect(() => decodeJsonlLine(line)).toThrow(msg);
  });
});
