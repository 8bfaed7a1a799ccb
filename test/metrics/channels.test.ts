/**
 * htlc_tail_channel_info from the alias book, and the bound on channel labels.
 */
import { describe, expect, test } from '@jest/globals';
import { AliasBook } from '../../src/events/aliases.js';
import { Correlator } from '../../src/events/correlate.js';
import { ChannelLabels } from '../../src/metrics/channel-labels.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { CH, chan, forward, fwdIds, htlcInfo, linkFail, settle } from '../builders.js';
import { promtool, PROMTOOL_MISSING } from '../helpers/prometheus.js';
import { sample, seriesLabels } from './read.js';

const PUB_B = '02' + 'b'.repeat(64);
const PUB_C = '03' + 'c'.repeat(64);
const PUB_D = '02' + 'd'.repeat(64);
const ALIAS_SCID = chan(16_000_000, 0, 1);

function book(): AliasBook {
  const b = new AliasBook();
  b.load(
    [
      { chan_id: CH.B, remote_pubkey: PUB_B, peer_alias: 'bob' },
      { chan_id: CH.C, remote_pubkey: PUB_C, peer_alias: '', alias_scids: [ALIAS_SCID] },
      { chan_id: CH.D, remote_pubkey: PUB_D, peer_alias: 'evil\u001b[31m\u202e' },
    ],
    new Map([[PUB_C, 'carol']]),
  );
  return b;
}

describe('htlc_tail_channel_info', () => {
  test('one series of value 1 per channel id of the book, with scid, peer pubkey and alias', async () => {
    const m = await createMetrics({ processMetrics: false });
    m.node('n').setAliases(book());
    const rows = await seriesLabels(m, 'htlc_tail_channel_info');
    expect(rows).toEqual([
      { node: 'n', channel: CH.B, scid: '800001x2x1', peer_pubkey: PUB_B, peer_alias: 'bob' },
      { node: 'n', channel: CH.C, scid: '800002x3x0', peer_pubkey: PUB_C, peer_alias: 'carol' },
      { node: 'n', channel: ALIAS_SCID, scid: '16000000x0x1', peer_pubkey: PUB_C, peer_alias: 'carol' },
      { node: 'n', channel: CH.D, scid: '800003x4x1', peer_pubkey: PUB_D, peer_alias: 'evil\\x1b[31m\\u{202e}' },
    ]);
    expect(await sample(m, 'htlc_tail_channel_info')).toBe(4);
  });

  test('follows the book as it is reloaded; no book (--no-aliases): no series', async () => {
    const m = await createMetrics({ processMetrics: false });
    const b = book();
    m.node('n').setAliases(b);
    m.node('other');
    b.load([{ chan_id: CH.B, remote_pubkey: PUB_B, peer_alias: 'bobby' }]);
    expect(await seriesLabels(m, 'htlc_tail_channel_info')).toEqual([
      { node: 'n', channel: CH.B, scid: '800001x2x1', peer_pubkey: PUB_B, peer_alias: 'bobby' },
    ]);
    m.node('n').setAliases(undefined);
    expect(await seriesLabels(m, 'htlc_tail_channel_info')).toEqual([]);
  });

  test('aliases appear on channel_info only, never on the counters', async () => {
    const m = await createMetrics({ processMetrics: false });
    m.node('n').setAliases(book());
    m.node('n').event(new Correlator().apply(linkFail(fwdIds(CH.A, 1, CH.B, 0), 0n, htlcInfo(2000, 1000), 15, 6)));
    const text = await m.text();
    const withAlias = text.split('\n').filter((l) => l.includes('bob'));
    expect(withAlias).toHaveLength(1);
    expect(withAlias[0]).toMatch(/^htlc_tail_channel_info\{/);
  });
});

describe('channel label bound', () => {
  test.each([
    ['0 always has its own label', '0', true],
    ['a channel the book lists always has its own label', CH.B, true],
  ])('%s', (_n, id, own) => {
    const labels = new ChannelLabels({ withBook: 0, withoutBook: 0 });
    labels.setDirectory(book());
    expect(labels.label(id) === id).toBe(own);
  });

  test('unlisted ids get their own label up to the bound, then "other"; a later listed channel still gets its own', () => {
    const b = book();
    const labels = new ChannelLabels({ withBook: 2, withoutBook: 3 });
    labels.setDirectory(b);
    const ids = ['111', '222', '333', '444'];
    expect(ids.map((id) => labels.label(id))).toEqual(['111', '222', 'other', 'other']);
    expect(labels.label('111')).toBe('111');
    b.load([{ chan_id: '444', remote_pubkey: PUB_B }]);
    expect(labels.label('444')).toBe('444');
    expect(labels.label('333')).toBe('other');
    expect(labels.size).toBe(3);
  });

  test('without a book the bound is the larger one', () => {
    const labels = new ChannelLabels({ withBook: 1, withoutBook: 3 });
    expect(['1', '2', '3', '4'].map((id) => labels.label(id))).toEqual(['1', '2', '3', 'other']);
  });

  test('probing with made-up outgoing channels (UNKNOWN_NEXT_PEER) cannot mint series without bound', async () => {
    const m = await createMetrics({ processMetrics: false, maxUnlistedChannels: { withBook: 3, withoutBook: 3 } });
    const n = m.node('n');
    n.setAliases(book());
    const c = new Correlator();
    for (let i = 0; i < 50; i++) {
      n.event(c.apply(linkFail(fwdIds(CH.B, i + 1, String(1_000_000 + i), 0), BigInt(i), htlcInfo(2000, 1000), 18, 1)));
    }
    const lf = await seriesLabels(m, 'htlc_tail_link_failures_total');
    expect(lf.map((l) => l.out_channel)).toEqual(['1000000', '1000001', '1000002', 'other']);
    expect(await sample(m, 'htlc_tail_link_failures_total', { out_channel: 'other' })).toBe(47);
    expect(await sample(m, 'htlc_tail_forwards_total', { outcome: 'failed_here' })).toBe(50);
    expect(await sample(m, 'htlc_tail_fees_missed_msat_total')).toBe(50_000);
  });
});

describe('channel pair bound', () => {
  test('beyond the bound, new pairs count under in_channel "other"; sums per outgoing channel stay whole', async () => {
    const m = await createMetrics({ processMetrics: false, maxChannelPairs: 2 });
    const n = m.node('n');
    const c = new Correlator();
    const pairs: Array<[string, string]> = [
      [CH.A, CH.B],
      [CH.A, CH.C],
      [CH.D, CH.B],
      [CH.C, CH.B],
      [CH.A, CH.B],
    ];
    pairs.forEach(([i, o], k) => {
      const ids = fwdIds(i, k + 1, o, k + 1);
      n.event(c.apply(forward(ids, BigInt(k), htlcInfo(2000, 1000))));
      n.event(c.apply(settle(ids, BigInt(k) + 1000n)));
    });
    const rows = (await seriesLabels(m, 'htlc_tail_forwards_total')).map((l) => `${l.in_channel}>${l.out_channel}`);
    expect(rows).toEqual([`${CH.A}>${CH.B}`, `${CH.A}>${CH.C}`, `other>${CH.B}`]);
    expect(await sample(m, 'htlc_tail_forwards_total', { in_channel: CH.A, out_channel: CH.B })).toBe(2);
    expect(await sample(m, 'htlc_tail_forwards_total', { in_channel: 'other', out_channel: CH.B })).toBe(2);
    expect(await sample(m, 'htlc_tail_forwards_total', { out_channel: CH.B })).toBe(4);
    expect(await sample(m, 'htlc_tail_fees_earned_msat_total', { out_channel: CH.B })).toBe(4000);
  });
});

describe('label values from the network are escaped', () => {
  test('quotes, backslashes and control characters in a node name or alias', async () => {
    const m = await createMetrics({ processMetrics: false });
    const n = m.node('my "node" \\ 1');
    const b = new AliasBook();
    b.load([{ chan_id: CH.B, remote_pubkey: PUB_B, peer_alias: 'q"uo\\te\nline' }]);
    n.setAliases(b);
    const text = await m.text();
    expect(text).toContain('htlc_tail_stream_up{node="my \\"node\\" \\\\ 1"} 0\n');
    expect(text).toContain('peer_alias="q\\"uo\\\\te\\\\x0aline"');
    expect(await seriesLabels(m, 'htlc_tail_channel_info')).toEqual([
      {
        node: 'my "node" \\ 1',
        channel: CH.B,
        scid: '800001x2x1',
        peer_pubkey: PUB_B,
        peer_alias: 'q"uo\\te\\x0aline',
      },
    ]);
    if (!PROMTOOL_MISSING) {
      const own = text
        .split('\n')
        .filter((l) => /^(# (HELP|TYPE) )?htlc_tail_/.test(l))
        .join('\n');
      expect(promtool(['check', 'metrics'], `${own}\n`)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    }
  });
});
