/**
 * The sink seam (pipeline/sink.ts): a node's sinks (history, metrics) see
 * every event of the node, correlated, before the output filters, and gap
 * markers in their place, also for events held for the first alias lookup.
 */
import { describe, expect, test } from '@jest/globals';
import { NodeLane } from '../../src/pipeline/lane.js';
import { OutputStage } from '../../src/pipeline/output.js';
import type { NodeSink } from '../../src/pipeline/sink.js';
import type { LineWriter } from '../../src/output/writer.js';
import type { GapMarker, HtlcEvent } from '../../src/events/model.js';
import { makeHtlc } from '../builders.js';

function setup(filter: (ev: unknown) => boolean) {
  const printed: string[] = [];
  const writer: LineWriter = {
    write: (l) => (printed.push(l), true),
    onDrain: (cb) => cb(),
    flush: async () => undefined,
    closed: false,
    pending: () => ({ lines: 0, bytes: 0 }),
    progress: 0,
  };
  const output = new OutputStage({
    format: 'jsonl',
    ctx: { colorizer: undefined as never, utc: true },
    writer,
    pause: () => undefined,
    resume: () => undefined,
    onCountReached: () => undefined,
  });
  const seen: string[] = [];
  const sink: NodeSink = {
    event: (ev: HtlcEvent) => {
      seen.push(`${ev.event}:${ev.incomingHtlcId}${ev.corr?.info ? ':info' : ''}`);
    },
    gap: (g: GapMarker) => {
      seen.push(`gap:${g.reason}`);
    },
    subscribed: () => undefined,
    lost: () => undefined,
    close: async () => undefined,
  };
  const lane = new NodeLane({ output, filter, sinks: [sink], pause: () => undefined, resume: () => undefined });
  return { lane, seen, printed };
}

describe('a node sink', () => {
  test.each([
    ['a filter that keeps nothing (gap lines always pass)', () => false, 1],
    ['a filter that keeps everything', () => true, 4],
  ])('sees every event and gap, correlated, whatever the filters (%s)', (_name, filter, lines) => {
    const s = setup(filter);
    s.lane.push(makeHtlc({ incomingHtlcId: '1', outgoingHtlcId: '1' }));
    s.lane.gap(1_000, 2_000, 'connection lost');
    // The settle carries no HtlcInfo of its own: the sink sees the forward's, from correlation.
    s.lane.push(makeHtlc({ event: 'settle', incomingHtlcId: '1', outgoingHtlcId: '1' }));
    s.lane.push(makeHtlc({ event: 'forward_fail', incomingHtlcId: '2', outgoingHtlcId: '2' }));
    expect(s.seen).toEqual(['forward:1:info', 'gap:connection lost', 'settle:1:info', 'forward_fail:2']);
    expect(s.printed).toHaveLength(lines);
  });

  test('events and gaps held for the first alias lookup reach the sink in their order on release', () => {
    const s = setup(() => true);
    s.lane.hold();
    s.lane.push(makeHtlc({ incomingHtlcId: '1' }));
    s.lane.gap(1_000, 2_000, 'connection lost');
    s.lane.push(makeHtlc({ incomingHtlcId: '2' }));
    expect(s.seen).toEqual([]);
    s.lane.release();
    expect(s.seen).toEqual(['forward:1:info', 'gap:connection lost', 'forward:2:info']);
  });
});
