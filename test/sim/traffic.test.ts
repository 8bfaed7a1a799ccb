import { describe, expect, test } from '@jest/globals';
import { decodeHtlcEventWire } from '../../src/codec/wire/decode-htlc-event.js';
import {
  encodeHtlcEvent,
  FloodMix,
  buildNode,
  FLOW_KINDS,
  TrafficGenerator,
  type FlowKind,
  type ScheduledEvent,
  fromProtoObject,
  toProtoObject,
  type WireHtlcEvent,
} from '@htlc-tail/lnd-sim';
import { FlowFactory, Rng, loadProtos } from '@htlc-tail/lnd-sim/internals';
import { Correlator } from '../../src/events/correlate.js';

const node = buildNode(42);
const START = 1_750_000_000_000_000_000n;

/** n complete flows of one kind, each in its own event order. */
function flowsOf(kind: FlowKind, n = 60): ScheduledEvent[][] {
  const factory = new FlowFactory(new Rng(9), node, START);
  return Array.from({ length: n }, (_, i) => factory.make(kind, i * 10, i));
}

/** The object protobufjs must get to write what Go writes: proto3 zero scalars left out. */
function withoutZeros(v: unknown): unknown {
  if (Buffer.isBuffer(v) || v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === 0 || x === '0' || x === false || x === '' || (Buffer.isBuffer(x) && x.length === 0)) continue;
    out[k] = withoutZeros(x);
  }
  return out;
}

const kinds = (f: ScheduledEvent[]) => f.map((e) => e.event.member.kind).join(' > ');
const types = (f: ScheduledEvent[]) => f.map((e) => e.event.eventType).join(',');
const key = (e: WireHtlcEvent) =>
  [e.incomingChannelId, e.incomingHtlcId, e.outgoingChannelId, e.outgoingHtlcId].join('/');

describe('the seven flows follow lnd order', () => {
  const table: Array<[FlowKind, string[], string[]]> = [
    ['forward_settle', ['forward > settle > final_htlc'], ['3,3,0']],
    ['forward_fail_downstream', ['forward > forward_fail > final_htlc'], ['3,3,0']],
    ['forward_fail_here', ['link_fail > final_htlc'], ['3,0']],
    ['receive_settle', ['settle > final_htlc'], ['2,0']],
    ['receive_fail', ['link_fail > final_htlc'], ['2,0']],
    ['send_settle', ['forward > settle'], ['1,1']],
    ['send_fail', ['forward > forward_fail', 'link_fail'], ['1,1', '1']],
  ];

  test.each(table)('%s: %j', (kind, orders, eventTypes) => {
    const flows = flowsOf(kind);
    expect(flows.length).toBeGreaterThan(20);
    const seenOrders = new Set<string>();
    for (const f of flows) {
      expect(orders).toContain(kinds(f));
      expect(eventTypes).toContain(types(f));
      seenOrders.add(kinds(f));
      const [first] = f;
      const e0 = first!.event;
      // Times never go backwards within a flow.
      for (let i = 1; i < f.length; i++) expect(f[i]!.event.timestampNs >= f[i - 1]!.event.timestampNs).toBe(true);
      for (const { event: e } of f) {
        if (e.member.kind === 'final_htlc') {
          // Only the incoming side, UNKNOWN type.
          expect([e.incomingChannelId, e.incomingHtlcId]).toEqual([e0.incomingChannelId, e0.incomingHtlcId]);
          expect([e.outgoingChannelId, e.outgoingHtlcId]).toEqual([0n, 0n]);
          expect(e.eventType).toBe(0);
          expect(e.member.settled).toBe(kind.endsWith('settle'));
        } else {
          expect(key(e)).toBe(key(e0));
        }
      }
      if (e0.eventType === 1) expect([e0.incomingChannelId, e0.incomingHtlcId]).toEqual([0n, 0n]);
      if (e0.eventType === 2) expect([e0.outgoingChannelId, e0.outgoingHtlcId]).toEqual([0n, 0n]);
      if (kind.startsWith('send') || kind.startsWith('forward')) {
        if (e0.member.kind !== 'link_fail' || e0.outgoingChannelId !== 0n) expect(e0.outgoingChannelId).not.toBe(0n);
      }
      if (e0.member.kind === 'link_fail' && e0.eventType !== 2) expect(e0.outgoingHtlcId).toBe(0n);
      if (kind.startsWith('forward') && e0.member.kind === 'forward') {
        const info = e0.member.info!;
        expect(info.incomingAmtMsat >= info.outgoingAmtMsat).toBe(true);
        expect(info.outgoingAmtMsat > 0n).toBe(true);
        expect(info.incomingTimelock).toBeGreaterThan(info.outgoingTimelock);
        expect(info.outgoingTimelock).toBeGreaterThan(node.blockHeight);
      }
    }
    expect(seenOrders.size).toBe(orders.length);
  });

  test('forward failures here carry lnd failure texts, including channel-update dumps', () => {
    const fails = flowsOf('forward_fail_here', 300)
      .map((f) => f[0]!.event.member)
      .filter((m) => m.kind === 'link_fail');
    const texts = fails.map((m) => (m.kind === 'link_fail' ? m.failureString : ''));
    expect(texts).toContain('insufficient bandwidth to route htlc');
    const dump = texts.find((t) => t.startsWith('FeeInsufficient(htlc_amt=='));
    expect(dump).toBeDefined();
    expect(dump!.split('\n').length).toBeGreaterThan(10);
    expect(dump).toMatch(/ShortChannelID: \(lnwire\.ShortChannelID\) \d+:\d+:\d+,/);
    const details = new Set(fails.map((m) => (m.kind === 'link_fail' ? m.failureDetail : -1)));
    expect(details.has(6)).toBe(true); // INSUFFICIENT_BALANCE
    expect(details.has(1)).toBe(true); // NO_DETAIL
  });
});

describe('traffic generator', () => {
  const gen = (seed: number, replayProbability?: number) =>
    new TrafficGenerator({ seed, node, startNs: START, rate: 100, replayProbability }).take(2000);

  test('is deterministic for a seed and differs across seeds', () => {
    const a = gen(5).map((e) => encodeHtlcEvent(e.event).toString('hex'));
    const b = gen(5).map((e) => encodeHtlcEvent(e.event).toString('hex'));
    const c = gen(6).map((e) => encodeHtlcEvent(e.event).toString('hex'));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  test('events come in time order, HTLCs interleave, all seven flows appear', () => {
    const events = gen(7);
    for (let i = 1; i < events.length; i++) expect(events[i]!.atMs).toBeGreaterThanOrEqual(events[i - 1]!.atMs);
    let interleaved = 0;
    for (let i = 2; i < events.length; i++) {
      const [a, b, c] = [events[i - 2]!, events[i - 1]!, events[i]!];
      if (a.flowId === c.flowId && b.flowId !== a.flowId) interleaved++;
    }
    expect(interleaved).toBeGreaterThan(10);
    expect(new Set(events.map((e) => e.flow))).toEqual(new Set(FLOW_KINDS));
    // About 100 events/s of virtual time.
    const spanS = (events[events.length - 1]!.atMs - events[0]!.atMs) / 1000;
    expect(events.length / spanS).toBeGreaterThan(60);
    expect(events.length / spanS).toBeLessThan(160);
  });

  test('channel ids are mainnet-like uint64 values above 2^53', () => {
    for (const { event: e } of gen(8)) {
      for (const id of [e.incomingChannelId, e.outgoingChannelId]) {
        if (id === 0n) continue;
        expect(id > 2n ** 53n).toBe(true);
        const block = Number(id >> 40n);
        expect(block).toBeGreaterThanOrEqual(800_000);
        expect(block).toBeLessThanOrEqual(870_000);
      }
    }
  });

  test('replays repeat an earlier event: same kind and four ids, later timestamp', () => {
    const events = gen(9, 0.05);
    const replays = events.filter((e) => e.replay);
    expect(replays.length).toBeGreaterThan(20);
    for (const r of replays) {
      const idx = events.indexOf(r);
      const original = events
        .slice(0, idx)
        .find((e) => !e.replay && e.event.member.kind === r.event.member.kind && key(e.event) === key(r.event));
      expect(original).toBeDefined();
      expect(r.event.timestampNs > original!.event.timestampNs).toBe(true);
    }
    expect(gen(9, 0).some((e) => e.replay)).toBe(false);
  });
});

describe('wire encoding', () => {
  test('encodeHtlcEvent is byte-identical to protobufjs and decodes back', async () => {
    const { routerrpc } = await loadProtos();
    const serialize = routerrpc.Router.service.SubscribeHtlcEvents!.responseSerialize as (v: unknown) => Buffer;
    const events = new TrafficGenerator({ seed: 3, node, startNs: START, rate: 100 }).take(1500).map((s) => s.event);
    const extra: WireHtlcEvent[] = [
      fromProtoObject({ subscribed_event: {}, timestamp_ns: '0' }, 0n),
      fromProtoObject({ timestamp_ns: '1' }, 0n), // no oneof member
      fromProtoObject(
        {
          incoming_channel_id: '18446744073709551615',
          timestamp_ns: '18446744073709551615',
          event_type: 7,
          link_fail_event: { info: null, wire_failure: -3, failure_detail: 99, failure_string: 'x'.repeat(20000) },
        },
        0n,
      ),
      fromProtoObject({ forward_event: { info: {} }, event_type: 'SEND' }, 5n),
      fromProtoObject({ settle_event: { preimage: Buffer.alloc(32, 0xee).toString('base64') } }, 5n),
      fromProtoObject({ final_htlc_event: { settled: true, offchain: false } }, 5n),
    ];
    for (const e of [...events, ...extra]) {
      const mine = encodeHtlcEvent(e);
      expect(mine.toString('hex')).toBe(serialize(withoutZeros(toProtoObject(e))).toString('hex'));
      const d = decodeHtlcEventWire(mine);
      expect(d.incomingChannelId).toBe(e.incomingChannelId.toString());
      expect(d.outgoingHtlcId).toBe(e.outgoingHtlcId.toString());
      expect(d.timestampNs).toBe(e.timestampNs.toString());
      expect(d.eventType).toBe(e.eventType);
      expect(d.event).toBe(e.member.kind === 'none' ? 'unknown' : e.member.kind);
    }
  });

  test('flood mix: later passes keep every event unique', () => {
    const mix = new FloodMix(node, 1, 64);
    const seen = new Set<string>();
    for (let i = 0; i < mix.events.length * 3; i++) {
      const { event, bytes } = mix.item(i);
      expect(bytes).toEqual(encodeHtlcEvent(event));
      // A send that fails at our own link has no htlc id at all (0/0/chan/0), as in lnd: not unique.
      if (event.incomingHtlcId === 0n && event.outgoingHtlcId === 0n) continue;
      const k = `${event.member.kind}|${key(event)}`;
      expect(seen.has(k)).toBe(false);
      seen.add(k);
    }
  });

  test('flood mix: whole flows only, so every HTLC it starts is resolved in each pass', () => {
    const mix = new FloodMix(node, 1, 512);
    expect(mix.events.length).toBeGreaterThan(256);
    const c = new Correlator();
    for (let i = 0; i < mix.events.length * 3; i++) {
      c.apply(decodeHtlcEventWire(mix.item(i).bytes));
      if ((i + 1) % mix.events.length === 0) expect(c.unresolvedCount()).toBe(0);
    }
    expect(c.evicted + c.expired).toBe(0);
  });
});
