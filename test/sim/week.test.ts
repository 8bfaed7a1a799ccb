/**
 * The simulated week (lnd-sim's week.ts, in the model through src/history/fill-week.ts): deterministic for a seed and end
 * time, spread over the days with a daily cycle, every flow present
 * (forwards settled and failed both ways, insufficient balance with amounts,
 * receives, sends, lnd's replays), gaps with no events inside them; its
 * direct conversion to the model equals decoding the protobuf bytes the sim
 * sends.
 */
import { describe, expect, test } from '@jest/globals';
import { Correlator } from '../../src/events/correlate.js';
import { decodeHtlcEventWire } from '../../src/codec/wire/decode-htlc-event.js';
import type { GapMarker, HtlcEvent } from '../../src/events/model.js';
import { formatJsonl } from '../../src/format/jsonl.js';
import { formatRaw } from '../../src/format/raw.js';
import { buildNode, encodeHtlcEvent, generateWeek, TrafficGenerator } from '@htlc-tail/lnd-sim';
import { modelItems, toModel } from '../../src/history/fill-week.js';

const END = Date.UTC(2026, 11, 5, 18, 30);
const DAY = 86_400_000;

describe('generateWeek', () => {
  const week = generateWeek({ seed: 7, events: 20_000, endMs: END });
  const items = [...modelItems(week)];
  const events = items.filter((i): i is HtlcEvent => i.event !== 'gap');
  const gaps = items.filter((i): i is GapMarker => i.event === 'gap');
  const ms = (e: HtlcEvent) => Number(BigInt(e.timestampNs) / 1_000_000n);

  test('the same seed and end give the same events', () => {
    const again = [...modelItems(generateWeek({ seed: 7, events: 20_000, endMs: END }))];
    expect(again.map((i) => formatRaw(i))).toEqual(items.map((i) => formatRaw(i)));
    const other = [...modelItems(generateWeek({ seed: 8, events: 20_000, endMs: END }))].slice(0, 50);
    expect(other.map((i) => formatRaw(i))).not.toEqual(items.slice(0, 50).map((i) => formatRaw(i)));
  });

  test('about the events asked for, spread over seven days, busier by day (UTC) than by night', () => {
    expect(events.length).toBeGreaterThan(18_000);
    expect(events.length).toBeLessThan(22_000);
    expect(week.endMs - week.startMs).toBe(7 * DAY);
    for (const e of events) {
      expect(ms(e)).toBeGreaterThanOrEqual(week.startMs);
      expect(ms(e)).toBeLessThan(week.endMs + 120_000);
    }
    const perDay = new Array(8).fill(0);
    for (const e of events) perDay[Math.floor((ms(e) - week.startMs) / DAY)]++;
    expect(perDay.slice(0, 7).every((n) => n > 1500)).toBe(true);
    const hour = (e: HtlcEvent) => new Date(ms(e)).getUTCHours();
    const afternoon = events.filter((e) => hour(e) >= 12 && hour(e) < 18).length;
    const night = events.filter((e) => hour(e) >= 0 && hour(e) < 6).length;
    expect(afternoon).toBeGreaterThan(night * 1.8);
  });

  test('every flow: forwards settled and failed both ways, insufficient balance with amounts, receives, sends, replays', () => {
    const c = new Correlator();
    const correlated = events.map((e) => c.apply({ ...e }));
    const has = (pred: (e: HtlcEvent) => boolean) => correlated.filter(pred).length;
    expect(has((e) => e.event === 'forward' && e.eventType === 3)).toBeGreaterThan(1000);
    expect(has((e) => e.event === 'settle' && e.eventType === 3)).toBeGreaterThan(500);
    expect(has((e) => e.event === 'forward_fail' && e.eventType === 3)).toBeGreaterThan(200);
    expect(
      has(
        (e) =>
          e.event === 'link_fail' &&
          e.eventType === 3 &&
          e.failureDetail === 6 &&
          e.info != null &&
          e.info.outgoingAmtMsat !== '0',
      ),
    ).toBeGreaterThan(100);
    expect(has((e) => e.event === 'settle' && e.eventType === 2)).toBeGreaterThan(100);
    expect(has((e) => e.event === 'settle' && e.eventType === 1)).toBeGreaterThan(100);
    expect(has((e) => e.event === 'final_htlc')).toBeGreaterThan(1000);
    expect(has((e) => e.corr?.replayed === true)).toBeGreaterThan(20);
    expect(new Set(correlated.flatMap((e) => [e.incomingChannelId, e.outgoingChannelId])).size).toBeGreaterThan(6);
  });

  test('gaps: two, in time order, with no events inside them', () => {
    expect(gaps).toHaveLength(2);
    expect(gaps[0]!.toMs).toBeLessThan(gaps[1]!.fromMs);
    for (const g of gaps) {
      expect(g.toMs).toBeGreaterThan(g.fromMs);
      expect(events.filter((e) => ms(e) > g.fromMs && ms(e) < g.toMs)).toEqual([]);
      const before = items.indexOf(g);
      expect(ms(items[before - 1] as HtlcEvent)).toBeLessThanOrEqual(g.fromMs);
      expect(ms(items[before + 1] as HtlcEvent)).toBeGreaterThanOrEqual(g.toMs);
    }
  });

  test('toModel equals decoding the bytes the sim sends', () => {
    const node = buildNode(3, 'mainnet');
    const traffic = new TrafficGenerator({ seed: 3, node, startNs: 1_800_000_000_000_000_000n, rate: 10 });
    for (const s of traffic.take(3000)) {
      const direct = toModel(s.event);
      const decoded = decodeHtlcEventWire(encodeHtlcEvent(s.event));
      expect(formatRaw(direct)).toBe(formatRaw(decoded));
      expect(formatJsonl(direct)).toBe(formatJsonl(decoded));
    }
  });
});
