/**
 * A small, hand-computed day of routing for the report tests. The expected
 * rows in report.test.ts were worked out by hand from this list (see the
 * comments), not by running the code under test.
 *
 * Channels: A 800000x1x0 (peer P1 "alpha"), B 800001x2x1 (peer P2 "beta"),
 * C 800002x3x0 (peer P2, no alias), X 900000x9x9 (not the node's: an
 * UNKNOWN_NEXT_PEER target).
 *
 *  F1 A#1 → B#10  2026-11-30 10:00     in 1,001,000 out 1,000,000  settle +500 ms
 *  F2 A#2 → B#11  2026-11-30 10:05     in 2,002,000 out 2,000,000  settle +1500 ms
 *  F3 B#5 → A#20  2026-11-30 11:00     in 5,000,500 out 5,000,000  forward_fail +200 ms
 *  F4 A#3 → C     2026-11-30 12:00     in 3,003,000 out 3,000,000  link_fail TEMPORARY_CHANNEL_FAILURE/INSUFFICIENT_BALANCE
 *  R1 A#30 receive 2026-11-30 14:00    settled
 *  S1 send B#40   2026-11-30 15:00     settled +800 ms
 *  F5 C#7 → B#12  2026-12-01 09:00     in 7,000,700 out 7,000,000  in flight
 *  F6 B#6 → A     2026-12-01 10:00     in 4,000,040 out 4,000,000  link_fail FEE_INSUFFICIENT/NO_DETAIL
 *  F7 A#4 → X     2026-12-01 11:00     in 1,500,015 out 1,500,000  link_fail UNKNOWN_NEXT_PEER/NO_DETAIL
 *  F8 C#8 → B#13  2026-12-01 12:00     in 9,000,900 out 9,000,000  settle +300 ms (plus the same settle
 *                                      message twice, and a replay 5 s later: counted once)
 *  F9 B#9 → C     2026-12-01 13:00     in 2,500,250 out 2,500,000  link_fail TEMPORARY_CHANNEL_FAILURE/INSUFFICIENT_BALANCE
 *  R2 A#31 receive 2026-12-01 16:00    link_fail (not settled)
 *  S2 send C (no htlc id) 2026-12-01 17:00  link_fail before the HTLC got an id: not an HTLC
 */
import type { OutputItem } from '../../src/events/model.js';
import type { ChannelInfo } from '../../src/history/apply.js';
import { at, chan, ev, info } from '../history/helpers.js';

export const A = chan(800000, 1, 0);
export const B = chan(800001, 2, 1);
export const C = chan(800002, 3, 0);
export const X = chan(900000, 9, 9);
export const P1 = '02' + '11'.repeat(32);
export const P2 = '03' + '22'.repeat(32);

export const CHANNELS: readonly ChannelInfo[] = [
  { channelId: A, peerPubkey: P1, alias: 'alpha' },
  { channelId: B, peerPubkey: P2, alias: 'beta' },
  { channelId: C, peerPubkey: P2, alias: '' },
];

const TCF = 15; // TEMPORARY_CHANNEL_FAILURE
const FEE_INSUFFICIENT = 12;
const UNKNOWN_NEXT_PEER = 18;
const INSUFFICIENT_BALANCE = 6;
const NO_DETAIL = 1;
const D1 = '2026-11-30T';
const D2 = '2026-12-01T';

const f1 = { inChan: A, inId: '1', outChan: B, outId: '10' };
const f2 = { inChan: A, inId: '2', outChan: B, outId: '11' };
const f3 = { inChan: B, inId: '5', outChan: A, outId: '20' };
const f5 = { inChan: C, inId: '7', outChan: B, outId: '12' };
const f8 = { inChan: C, inId: '8', outChan: B, outId: '13' };
const s1 = { outChan: B, outId: '40', type: 1 };

export const FIXTURE: readonly OutputItem[] = [
  ev.forward(at(D1 + '10:00:00Z'), f1, info('1001000', '1000000')),
  ev.forward(at(D1 + '10:05:00Z'), f2, info('2002000', '2000000')),
  ev.settle(at(D1 + '10:00:00Z', 500), f1),
  ev.final(at(D1 + '10:00:00Z', 510), A, '1', true),
  ev.settle(at(D1 + '10:05:00Z', 1500), f2),
  ev.forward(at(D1 + '11:00:00Z'), f3, info('5000500', '5000000')),
  ev.forwardFail(at(D1 + '11:00:00Z', 200), f3),
  ev.linkFail(
    at(D1 + '12:00:00Z'),
    { inChan: A, inId: '3', outChan: C },
    info('3003000', '3000000'),
    TCF,
    INSUFFICIENT_BALANCE,
    'insufficient bandwidth',
  ),
  ev.settle(at(D1 + '14:00:00Z'), { inChan: A, inId: '30', type: 2 }),
  ev.forward(at(D1 + '15:00:00Z'), s1, info('0', '20000000')),
  ev.settle(at(D1 + '15:00:00Z', 800), s1),
  {
    event: 'gap',
    fromMs: Date.parse(D1 + '20:00:00Z'),
    toMs: Date.parse(D1 + '20:10:00Z'),
    reason: 'htlc event subscription terminated',
  },
  ev.forward(at(D2 + '09:00:00Z'), f5, info('7000700', '7000000')),
  ev.linkFail(
    at(D2 + '10:00:00Z'),
    { inChan: B, inId: '6', outChan: A },
    info('4000040', '4000000'),
    FEE_INSUFFICIENT,
    NO_DETAIL,
    'fee insufficient',
  ),
  ev.linkFail(
    at(D2 + '11:00:00Z'),
    { inChan: A, inId: '4', outChan: X },
    info('1500015', '1500000'),
    UNKNOWN_NEXT_PEER,
    NO_DETAIL,
    'UnknownNextPeer',
  ),
  ev.forward(at(D2 + '12:00:00Z'), f8, info('9000900', '9000000')),
  ev.settle(at(D2 + '12:00:00Z', 300), f8),
  ev.settle(at(D2 + '12:00:00Z', 300), f8),
  ev.settle(at(D2 + '12:00:05Z', 300), f8),
  ev.linkFail(
    at(D2 + '13:00:00Z'),
    { inChan: B, inId: '9', outChan: C },
    info('2500250', '2500000'),
    TCF,
    INSUFFICIENT_BALANCE,
    'insufficient bandwidth',
  ),
  ev.linkFail(
    at(D2 + '16:00:00Z'),
    { inChan: A, inId: '31', type: 2 },
    info('50000000', '0'),
    1,
    19,
    'unknown invoice',
  ),
  ev.linkFail(
    at(D2 + '17:00:00Z'),
    { outChan: C, type: 1 },
    info('0', '30000000'),
    TCF,
    INSUFFICIENT_BALANCE,
    'insufficient bandwidth',
  ),
];

/** The channel keys in SPEC order, as jsonl gives them: in, out, out settled, failed here, failed downstream, in settled,
 * out amount, fee earned, fee missed, no liquidity (count, msat), settle p50, p90. */
export function fwd(
  v: [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number | null,
    number | null,
  ],
) {
  const [i, o, s, h, d, is, amt, earned, missed, nl, nlm, p50, p90] = v;
  return {
    in_forwards: i,
    out_forwards: o,
    out_settled: s,
    out_failed_here: h,
    out_failed_downstream: d,
    in_settled: is,
    out_amt_msat: amt,
    fee_earned_msat: earned,
    fee_missed_msat: missed,
    no_liquidity: nl,
    no_liquidity_msat: nlm,
    settle_p50_ms: p50,
    settle_p90_ms: p90,
  };
}

// By hand:
// A: in F1 F2 F4 F7; out F3 (down) F6 (here, fee 40). in_settled F1 F2.
// B: in F3 F6 F9; out F1 F2 F8 (settled: 1,000,000+2,000,000+9,000,000; fees 1000+2000+900) and F5 (in flight);
//    settle times 300, 500, 1500 ms: nearest-rank p50 = 2nd = 500, p90 = 3rd = 1500.
// C: in F5 F8 (F8 settled); out F4 F9 (here, no liquidity: 3,000,000 + 2,500,000, fees 3000 + 250).
// X: out F7 (here, fee 15).
export const ROW_B = fwd([3, 4, 3, 0, 0, 0, 12_000_000, 3900, 0, 0, 0, 500, 1500]);
export const ROW_A = fwd([4, 2, 0, 1, 1, 2, 0, 0, 40, 0, 0, null, null]);
export const ROW_C = fwd([2, 2, 0, 2, 0, 1, 0, 0, 3250, 2, 5_500_000, null, null]);
export const ROW_X = fwd([0, 1, 0, 1, 0, 0, 0, 0, 15, 0, 0, null, null]);
