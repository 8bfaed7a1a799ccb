import { describe, test, expect } from '@jest/globals';
import { AliasBook, type ChannelRow } from '../../src/events/aliases.js';
import { CH, chan, final, forward, fwdIds, htlcInfo, makeHtlc, sendIds, subscribed } from '../builders.js';

const PUB = {
  alice: '02' + 'a'.repeat(64),
  bob: '03' + 'b'.repeat(64),
  carol: '02' + 'c'.repeat(64),
  dave: '03' + 'd'.repeat(64),
};
const ALIAS_SCID = chan(16_000_000, 0, 1); // an scid-alias from lnd's reserved range

const ROWS: ChannelRow[] = [
  { chan_id: CH.A, remote_pubkey: PUB.alice, peer_alias: 'Alice⚡' },
  { chan_id: CH.B, remote_pubkey: PUB.bob, peer_alias: '' }, // no alias in ListChannels: GetNodeInfo
  { chan_id: CH.C, remote_pubkey: PUB.carol }, // peer_alias absent (old lnd, or lookup not requested)
  {
    chan_id: CH.D,
    remote_pubkey: PUB.alice,
    peer_alias: 'Alice⚡',
    alias_scids: [ALIAS_SCID],
    zero_conf_confirmed_scid: '0',
  },
];

function book(): AliasBook {
  const b = new AliasBook();
  expect(b.loadChannels(ROWS).sort()).toEqual([PUB.bob, PUB.carol].sort());
  b.setNodeAlias(PUB.bob, 'bob\u001b[31m\nnode'); // raw, untrusted: stored as is
  b.setNodeAlias(PUB.carol, ''); // the node has no alias
  return b;
}

describe('AliasBook.aliasOf', () => {
  const b = book();
  test.each<[string, string, string | undefined]>([
    ['ListChannels peer_alias', CH.A, 'Alice⚡'],
    ['GetNodeInfo alias when peer_alias is empty, raw', CH.B, 'bob\u001b[31m\nnode'],
    ['no alias anywhere: undefined, never the pubkey', CH.C, undefined],
    ['a second channel with the same peer', CH.D, 'Alice⚡'],
    ['an alias scid of a channel', ALIAS_SCID, 'Alice⚡'],
    ['an unknown channel', chan(1, 1, 1), undefined],
    ['channel 0', '0', undefined],
  ])('%s', (_name, id, expected) => {
    expect(b.aliasOf(id)).toBe(expected);
  });

  test('pubkeys needing GetNodeInfo: none once answered (an empty answer counts)', () => {
    expect(b.pubkeysNeedingNodeInfo()).toEqual([]);
    expect(b.pubkeyOf(CH.C)).toBe(PUB.carol);
  });

  test('a reload keeps node aliases and asks only for new peers', () => {
    const b2 = book();
    expect(
      b2.loadChannels([...ROWS, { chan_id: chan(800_010, 1, 0), remote_pubkey: PUB.dave, peer_alias: '' }]),
    ).toEqual([PUB.dave]);
    expect(b2.aliasOf(CH.B)).toBe('bob\u001b[31m\nnode');
  });

  test('ListChannels peer_alias wins over the node alias', () => {
    const b2 = new AliasBook();
    b2.setNodeAlias(PUB.alice, 'old name');
    b2.loadChannels([{ chan_id: CH.A, remote_pubkey: PUB.alice, peer_alias: 'new name' }]);
    expect(b2.aliasOf(CH.A)).toBe('new name');
  });
});

describe('AliasBook.enrich', () => {
  const b = book();
  test.each<[string, ReturnType<typeof makeHtlc>, { incomingAlias?: string; outgoingAlias?: string }]>([
    [
      'both sides known',
      forward(fwdIds(CH.A, 1, CH.B, 1), 0n, htlcInfo(2, 1)),
      { incomingAlias: 'Alice⚡', outgoingAlias: 'bob\u001b[31m\nnode' },
    ],
    [
      'outgoing peer without alias: left out',
      forward(fwdIds(CH.A, 1, CH.C, 1), 0n, null),
      { incomingAlias: 'Alice⚡' },
    ],
    ['send: no incoming side', forward(sendIds(CH.D, 1), 0n, null), { outgoingAlias: 'Alice⚡' }],
    [
      'final_htlc: incoming only',
      final(CH.B, 4, 0n, true),
      { outgoingAlias: undefined, incomingAlias: 'bob\u001b[31m\nnode' },
    ],
    ['unknown channels: nothing', forward(fwdIds(chan(9, 9, 9), 1, chan(9, 9, 8), 1), 0n, null), {}],
    ['subscribed: nothing', subscribed(), {}],
  ])('%s', (_name, ev, expected) => {
    const out = b.enrich(ev);
    expect(out).toBe(ev);
    expect({ incomingAlias: out.incomingAlias, outgoingAlias: out.outgoingAlias }).toEqual({
      incomingAlias: expected.incomingAlias,
      outgoingAlias: expected.outgoingAlias,
    });
  });
});

describe('AliasBook refresh policy', () => {
  const NEW = chan(800_020, 5, 0);
  const FOREIGN = chan(700_000, 1, 1); // e.g. named by an UNKNOWN_NEXT_PEER link_fail

  test('unknownChannel is true only for non-zero ids not in the book', () => {
    const b = book();
    expect(b.unknownChannel(forward(fwdIds(CH.A, 1, CH.B, 1), 0n, null))).toBe(false);
    expect(b.unknownChannel(forward(sendIds(CH.C, 1), 0n, null))).toBe(false);
    expect(b.unknownChannel(subscribed())).toBe(false);
    expect(b.unknownChannel(forward(fwdIds(CH.A, 1, NEW, 1), 0n, null))).toBe(true);
  });

  test('shouldRefresh: at most once per 30 s', () => {
    const b = new AliasBook();
    const decisions = [0, 1, 29_999, 30_000, 30_001, 59_999, 60_000].map((t) => [t, b.shouldRefresh(1_000_000 + t)]);
    expect(decisions).toEqual([
      [0, true],
      [1, false],
      [29_999, false],
      [30_000, true],
      [30_001, false],
      [59_999, false],
      [60_000, true],
    ]);
  });

  test('a clock that steps back allows one refresh', () => {
    const b = new AliasBook();
    expect(b.shouldRefresh(100_000)).toBe(true);
    expect(b.shouldRefresh(50_000)).toBe(true);
    expect(b.shouldRefresh(50_001)).toBe(false);
  });

  test('the interval is configurable', () => {
    const b = new AliasBook({ refreshIntervalMs: 1000 });
    expect([0, 999, 1000].map((t) => b.shouldRefresh(t))).toEqual([true, false, true]);
  });

  test('an id a refresh did not find stops triggering; one it found is known', () => {
    const b = book();
    const ev = forward(fwdIds(CH.A, 1, NEW, 1), 0n, null);
    const foreign = forward(fwdIds(CH.A, 2, FOREIGN, 0), 0n, null);
    expect(b.unknownChannel(ev)).toBe(true);
    expect(b.unknownChannel(foreign)).toBe(true);
    expect(b.shouldRefresh(0)).toBe(true);
    // While the refresh is under way, the rate limit holds off another one.
    expect(b.unknownChannel(ev)).toBe(true);
    expect(b.shouldRefresh(1)).toBe(false);
    b.loadChannels([...ROWS, { chan_id: NEW, remote_pubkey: PUB.dave, peer_alias: 'Dave' }]);
    expect(b.aliasOf(NEW)).toBe('Dave');
    expect(b.unknownChannel(ev)).toBe(false);
    expect(b.unknownChannel(foreign)).toBe(false);
  });

  test('an id first seen during a refresh is not judged by that refresh', () => {
    const b = book();
    expect(b.shouldRefresh(0)).toBe(true);
    const ev = forward(fwdIds(CH.A, 1, NEW, 1), 0n, null);
    expect(b.unknownChannel(ev)).toBe(true); // noted after the refresh began
    b.loadChannels(ROWS); // that refresh's answer (without NEW)
    expect(b.unknownChannel(ev)).toBe(true); // still a candidate for the next one
  });

  test('a failed refresh leaves its ids for the next one', () => {
    const b = book();
    const ev = forward(fwdIds(CH.A, 1, NEW, 1), 0n, null);
    b.unknownChannel(ev);
    expect(b.shouldRefresh(0)).toBe(true);
    b.refreshFailed();
    expect(b.unknownChannel(ev)).toBe(true);
    expect(b.shouldRefresh(10_000)).toBe(false);
    expect(b.shouldRefresh(30_000)).toBe(true);
    b.loadChannels(ROWS);
    expect(b.unknownChannel(ev)).toBe(false); // judged missing by that refresh
  });

  test("without refreshFailed, a failed refresh's ids are settled by the next successful load", () => {
    const b = book();
    const ev = forward(fwdIds(CH.A, 1, NEW, 1), 0n, null);
    b.unknownChannel(ev);
    expect(b.shouldRefresh(0)).toBe(true); // ...and ListChannels fails
    expect(b.unknownChannel(ev)).toBe(true);
    expect(b.shouldRefresh(30_000)).toBe(true);
    b.loadChannels(ROWS);
    expect(b.unknownChannel(ev)).toBe(false);
  });

  test('load(rows, nodeAliases) sets both', () => {
    const b = new AliasBook();
    expect(b.load(ROWS, new Map([[PUB.bob, 'Bob']]))).toEqual([PUB.carol]);
    expect(b.aliasOf(CH.B)).toBe('Bob');
    expect(b.isLoaded).toBe(true);
  });

  test('a missing id that later appears in a refresh becomes known', () => {
    const b = book();
    const ev = forward(fwdIds(CH.A, 1, NEW, 1), 0n, null);
    b.unknownChannel(ev);
    b.shouldRefresh(0);
    b.loadChannels(ROWS);
    b.loadChannels([...ROWS, { chan_id: NEW, remote_pubkey: PUB.dave, peer_alias: 'Dave' }]);
    expect(b.aliasOf(NEW)).toBe('Dave');
  });
});

describe('AliasBook.channelsForAlias (case-insensitive exact match)', () => {
  const b = book();
  test.each<[string, string[]]>([
    ['Alice⚡', [CH.A, CH.D, ALIAS_SCID]],
    ['alice⚡', [CH.A, CH.D, ALIAS_SCID]],
    ['ALICE⚡', [CH.A, CH.D, ALIAS_SCID]],
    ['Alice', []], // no partial match
    [' Alice⚡', []], // no trimming
    ['BOB\u001b[31m\nNODE', [CH.B]],
    ['', []], // an empty alias names nobody
  ])('%j', (alias, expected) => {
    expect(b.channelsForAlias(alias)).toEqual(expected);
  });

  test('NFC: a decomposed é matches a composed one', () => {
    const b2 = new AliasBook();
    b2.loadChannels([{ chan_id: CH.A, remote_pubkey: PUB.alice, peer_alias: 'Caf\u00e9' }]);
    expect(b2.channelsForAlias('CAFE\u0301')).toEqual([CH.A]);
    expect(b2.aliasMatches(CH.A, 'café')).toBe(true);
    expect(b2.aliasMatches(CH.B, 'café')).toBe(false);
  });
});
