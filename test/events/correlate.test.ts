import { describe, test, expect } from '@jest/globals';
import { Correlator } from '../../src/events/correlate.js';
import type { Correlation, HtlcEvent } from '../../src/events/model.js';
import { EVENT_TYPE } from '../../src/events/enums.js';
import {
  CH,
  MS,
  SEC,
  T0,
  at,
  final,
  forward,
  forwardFail,
  fwdIds,
  htlcInfo,
  linkFail,
  makeHtlc,
  recvIds,
  sendIds,
  settle,
  subscribed,
} from '../builders.js';

const { SEND, RECEIVE, FORWARD, UNKNOWN } = EVENT_TYPE;

function run(events: HtlcEvent[], c = new Correlator()): Array<Correlation | undefined> {
  return events.map((ev) => c.apply(ev).corr);
}

const fwdInfo = htlcInfo(1_001_000, 1_000_000, 800_100, 800_060);
const sendInfo = htlcInfo(0, 500_000, 0, 800_040);
const recvInfo = htlcInfo(250_000, 0, 800_030, 0);
const F = fwdIds(CH.A, 5, CH.B, 9);
const S = sendIds(CH.B, 3);
const R = recvIds(CH.A, 7);

describe('Correlator: every flow of LND-FACTS', () => {
  const cases: Array<[string, HtlcEvent[], Array<Correlation | undefined>]> = [
    [
      'FORWARD settled: forward → settle → final(settled)',
      [forward(F, 0n, fwdInfo), settle(F, 9_412_353n), final(CH.A, 5, 12n * MS, true)],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '9412353' },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '12000000' },
      ],
    ],
    [
      'FORWARD failed downstream: forward → forward_fail → final(not settled)',
      [forward(F, 0n, fwdInfo), forwardFail(F, 250n * MS), final(CH.A, 5, 251n * MS, false)],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '250000000' },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '251000000' },
      ],
    ],
    [
      'FORWARD failed here (outgoing side, htlc id 0): link_fail → final(not settled)',
      [linkFail(fwdIds(CH.A, 5, CH.B, 0), 0n, fwdInfo, 15, 6), final(CH.A, 5, 3n * MS, false)],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '3000000' },
      ],
    ],
    [
      'FORWARD failed here (incoming side, onion): link_fail → final',
      [linkFail(fwdIds(CH.A, 5, '0', 0), 0n, null, 24, 2), final(CH.A, 5, 1n * MS, false)],
      [{ firstEventType: FORWARD }, { firstEventType: FORWARD, durationNs: '1000000' }],
    ],
    [
      'RECEIVE settled: settle → final(settled)',
      [settle(R, 0n), final(CH.A, 7, 40n * MS, true)],
      [{ firstEventType: RECEIVE }, { firstEventType: RECEIVE, durationNs: '40000000' }],
    ],
    [
      'RECEIVE failed: link_fail → final(not settled)',
      [linkFail(R, 0n, recvInfo, 1, 19), final(CH.A, 7, 2n * MS, false)],
      [
        { firstEventType: RECEIVE, info: recvInfo },
        { firstEventType: RECEIVE, info: recvInfo, durationNs: '2000000' },
      ],
    ],
    [
      'SEND settled: forward → settle',
      [forward(S, 0n, sendInfo), settle(S, 812n * MS + 7n)],
      [
        { firstEventType: SEND, info: sendInfo },
        { firstEventType: SEND, info: sendInfo, durationNs: '812000007' },
      ],
    ],
    [
      'SEND failed downstream: forward → forward_fail',
      [forward(S, 0n, sendInfo), forwardFail(S, 1n * SEC)],
      [
        { firstEventType: SEND, info: sendInfo },
        { firstEventType: SEND, info: sendInfo, durationNs: '1000000000' },
      ],
    ],
    [
      'SEND failed here: link_fail alone (0,0,chan,0); two attempts are not replays',
      [linkFail(sendIds(CH.B, 0), 0n, sendInfo, 15, 6), linkFail(sendIds(CH.B, 0), 1n * MS, sendInfo, 15, 6)],
      [
        { firstEventType: SEND, info: sendInfo },
        { firstEventType: SEND, info: sendInfo },
      ],
    ],
    [
      'SEND with outgoing htlc id 0 (first htlc of a channel) still correlates',
      [forward(sendIds(CH.C, 0), 0n, sendInfo), settle(sendIds(CH.C, 0), 5n * MS)],
      [
        { firstEventType: SEND, info: sendInfo },
        { firstEventType: SEND, info: sendInfo, durationNs: '5000000' },
      ],
    ],
  ];

  test.each(cases)('%s', (_name, events, expected) => {
    const c = new Correlator();
    expect(run(events, c)).toEqual(expected);
    // Every one of these flows ends resolved: nothing left in flight.
    expect(c.inFlight(T0)).toEqual([]);
    expect(c.evicted).toBe(0);
  });
});

describe('Correlator: replays', () => {
  const cases: Array<[string, HtlcEvent[], Array<Correlation | undefined>]> = [
    [
      'a replayed forward does not restart the clock',
      [forward(F, 0n, fwdInfo), forward(F, 5n * MS, fwdInfo), settle(F, 10n * MS)],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo, replayed: true },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '10000000' },
      ],
    ],
    [
      'a replayed forward with other info does not overwrite the first event',
      [forward(F, 0n, fwdInfo), forward(F, 5n * MS, htlcInfo(9, 8)), settle(F, 10n * MS)],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo, replayed: true },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '10000000' },
      ],
    ],
    [
      'settle and final replayed after the HTLC resolved',
      [
        forward(F, 0n, fwdInfo),
        settle(F, 10n * MS),
        final(CH.A, 5, 11n * MS, true),
        settle(F, 60n * SEC),
        final(CH.A, 5, 61n * SEC, true),
        forward(F, 62n * SEC, fwdInfo),
      ],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '10000000' },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '11000000' },
        { firstEventType: FORWARD, info: fwdInfo, replayed: true },
        { firstEventType: FORWARD, info: fwdInfo, replayed: true },
        { firstEventType: FORWARD, info: fwdInfo, replayed: true },
      ],
    ],
    [
      'a replayed SEND settle',
      [forward(S, 0n, sendInfo), settle(S, 1n * MS), settle(S, 2n * MS)],
      [
        { firstEventType: SEND, info: sendInfo },
        { firstEventType: SEND, info: sendInfo, durationNs: '1000000' },
        { firstEventType: SEND, info: sendInfo, replayed: true },
      ],
    ],
    [
      'a replayed RECEIVE settle',
      [settle(R, 0n), settle(R, 1n * MS), final(CH.A, 7, 3n * MS, true)],
      [
        { firstEventType: RECEIVE },
        { firstEventType: RECEIVE, replayed: true },
        { firstEventType: RECEIVE, durationNs: '3000000' },
      ],
    ],
    [
      'a replayed link_fail',
      [linkFail(F, 0n, fwdInfo, 15, 6), linkFail(F, 1n * MS, fwdInfo, 15, 6)],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo, replayed: true },
      ],
    ],
  ];

  test.each(cases)('%s', (_name, events, expected) => {
    expect(run(events)).toEqual(expected);
  });
});

describe('Correlator: out of order and odd streams', () => {
  const cases: Array<[string, HtlcEvent[], Array<Correlation | undefined>]> = [
    [
      'final_htlc before settle: both correlated with the forward',
      [forward(F, 0n, fwdInfo), final(CH.A, 5, 20n * MS, true), settle(F, 10n * MS)],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '20000000' },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '10000000' },
      ],
    ],
    [
      'final_htlc before forward_fail',
      [forward(F, 0n, fwdInfo), final(CH.A, 5, 7n * MS, false), forwardFail(F, 6n * MS)],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '7000000' },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '6000000' },
      ],
    ],
    [
      'final_htlc with nothing before it: uncorrelated; a later settle is not given a duration',
      [final(CH.A, 7, 0n, true), settle(R, 1n * MS)],
      [{ firstEventType: UNKNOWN }, { firstEventType: RECEIVE }],
    ],
    [
      'settle whose forward was not seen (started mid-flight): own info only; final measured from it',
      [settle(F, 0n), final(CH.A, 5, 4n * MS, true)],
      [{ firstEventType: FORWARD }, { firstEventType: FORWARD, durationNs: '4000000' }],
    ],
    [
      'settle with other outgoing ids than the forward: not the same HTLC (four-id rule)',
      [forward(F, 0n, fwdInfo), settle(fwdIds(CH.A, 5, CH.C, 9), 1n * MS), settle(F, 2n * MS)],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '2000000' },
      ],
    ],
    [
      'subscribed events pass through untouched and do not interfere',
      [forward(F, 0n, fwdInfo), subscribed(), settle(F, 3n * MS), subscribed()],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        undefined,
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '3000000' },
        undefined,
      ],
    ],
    [
      'unknown events pass through untouched',
      [makeHtlc({ event: 'unknown', eventType: UNKNOWN, info: undefined }), forward(F, 0n, fwdInfo)],
      [undefined, { firstEventType: FORWARD, info: fwdInfo }],
    ],
    [
      'a forward with unset HtlcInfo (null): no info anywhere',
      [forward(F, 0n, null), settle(F, 1n * MS)],
      [{ firstEventType: FORWARD }, { firstEventType: FORWARD, durationNs: '1000000' }],
    ],
    [
      'a settle timestamped before its forward: negative duration, kept',
      [forward(F, 5n * MS, fwdInfo), settle(F, 2n * MS)],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '-3000000' },
      ],
    ],
    [
      'interleaved HTLCs keep their own clocks',
      [
        forward(fwdIds(CH.A, 1, CH.B, 1), 0n, fwdInfo),
        forward(fwdIds(CH.A, 2, CH.B, 2), 1n * MS, fwdInfo),
        forward(fwdIds(CH.C, 1, CH.B, 3), 2n * MS, fwdInfo),
        settle(fwdIds(CH.A, 2, CH.B, 2), 10n * MS),
        settle(fwdIds(CH.C, 1, CH.B, 3), 10n * MS),
        settle(fwdIds(CH.A, 1, CH.B, 1), 10n * MS),
      ],
      [
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '9000000' },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '8000000' },
        { firstEventType: FORWARD, info: fwdInfo, durationNs: '10000000' },
      ],
    ],
  ];

  test.each(cases)('%s', (_name, events, expected) => {
    expect(run(events)).toEqual(expected);
  });

  test('apply mutates and returns the same object', () => {
    const ev = forward(F, 0n, fwdInfo);
    expect(new Correlator().apply(ev)).toBe(ev);
    expect(ev.corr).toBeDefined();
  });
});

describe('Correlator: in flight', () => {
  test('unresolved HTLCs, oldest first, with age, ids and info', () => {
    const c = new Correlator();
    run(
      [
        forward(F, 0n, fwdInfo),
        forward(S, 1n * SEC, sendInfo),
        forward(fwdIds(CH.C, 2, CH.D, 4), 2n * SEC, fwdInfo),
        settle(fwdIds(CH.C, 2, CH.D, 4), 3n * SEC),
        forward(fwdIds(CH.D, 3, CH.A, 8), 4n * SEC, null),
        final(CH.D, 3, 5n * SEC, false), // final before forward_fail: no longer in flight
      ],
      c,
    );
    expect(c.inFlight(T0 + 10n * SEC)).toEqual([
      {
        eventType: FORWARD,
        firstSeenNs: at(0n),
        ageNs: '10000000000',
        incomingChannelId: CH.A,
        incomingHtlcId: '5',
        outgoingChannelId: CH.B,
        outgoingHtlcId: '9',
        info: fwdInfo,
      },
      {
        eventType: SEND,
        firstSeenNs: at(1n * SEC),
        ageNs: '9000000000',
        incomingChannelId: '0',
        incomingHtlcId: '0',
        outgoingChannelId: CH.B,
        outgoingHtlcId: '3',
        info: sendInfo,
      },
    ]);
    expect(c.unresolvedCount()).toBe(2);
  });
});

describe('Correlator: memory bounds', () => {
  const N = 1_000_000;
  /** A cheap FORWARD event for the million-event runs (the builders' spreads would dominate the time). */
  function fast(event: 'forward' | 'settle', i: number): HtlcEvent {
    const id = String(i);
    return {
      event,
      eventType: FORWARD,
      timestampNs: (T0 + BigInt(i) * MS).toString(),
      incomingChannelId: CH.A,
      outgoingChannelId: CH.B,
      incomingHtlcId: id,
      outgoingHtlcId: id,
      info: event === 'forward' ? fwdInfo : undefined,
    };
  }

  test.each([
    ['default cap (100,000)', undefined, 100_000],
    ['cap 1,000', 1_000, 1_000],
  ])('1e6 forwards that never resolve, %s: size stays at the cap, the rest evicted', (_name, cap, expectCap) => {
    const c = new Correlator(cap === undefined ? {} : { maxUnresolved: cap });
    let maxSize = 0;
    for (let i = 0; i < N; i++) {
      c.apply(fast('forward', i));
      if ((i & 0xfff) === 0) maxSize = Math.max(maxSize, c.size());
    }
    maxSize = Math.max(maxSize, c.size());
    expect(maxSize).toBe(expectCap);
    expect(c.size()).toBe(expectCap);
    expect(c.evicted).toBe(N - expectCap);
    // Oldest out first: the survivors are the newest.
    const inFlight = c.inFlight(T0 + BigInt(N) * MS);
    expect(inFlight).toHaveLength(expectCap);
    expect(inFlight[0]!.incomingHtlcId).toBe(String(N - expectCap));
    expect(inFlight[inFlight.length - 1]!.incomingHtlcId).toBe(String(N - 1));
  });

  test('1e6 forwards settled without final_htlc (a node older than v0.16): nothing unresolved, recent set capped', () => {
    const c = new Correlator({ maxRecent: 5_000 });
    for (let i = 0; i < N; i++) {
      c.apply(fast('forward', i));
      const s = c.apply(fast('settle', i));
      if (s.corr?.durationNs !== '0') throw new Error(`settle ${i} not correlated`);
    }
    expect(c.unresolvedCount()).toBe(0);
    expect(c.size()).toBe(5_000);
    expect(c.evicted).toBe(0);
  });

  test('an evicted forward, settled later, is simply uncorrelated', () => {
    const c = new Correlator({ maxUnresolved: 2 });
    const [a, b, d] = [1, 2, 3].map((i) => fwdIds(CH.A, i, CH.B, i));
    expect(
      run([forward(a!, 0n, fwdInfo), forward(b!, 1n, fwdInfo), forward(d!, 2n, fwdInfo), settle(a!, 3n)], c)[3],
    ).toEqual({
      firstEventType: FORWARD,
    });
    expect(c.evicted).toBe(1);
  });

  test('unresolved HTLCs older than maxAgeNs (lnd clock) are expired', () => {
    const c = new Correlator({ maxAgeNs: 3600n * SEC });
    run([forward(fwdIds(CH.A, 1, CH.B, 1), 0n, fwdInfo), forward(fwdIds(CH.A, 2, CH.B, 2), 10n * SEC, fwdInfo)], c);
    expect(c.unresolvedCount()).toBe(2);
    run([forward(fwdIds(CH.A, 3, CH.B, 3), 3605n * SEC, fwdInfo)], c);
    expect(c.expired).toBe(1);
    expect(c.evicted).toBe(0);
    expect(c.inFlight(T0).map((h) => h.incomingHtlcId)).toEqual(['2', '3']);
  });
});
