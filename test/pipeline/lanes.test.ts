/**
 * The pipeline's seam for several nodes: each node's lane (its own
 * correlator, statistics and hold) feeds one output in arrival order, with
 * one --count across them. (One node per run today; this pins the shape
 * several nodes will use.)
 */
import { describe, expect, test } from '@jest/globals';
import { NodeLane } from '../../src/pipeline/lane.js';
import { OutputStage } from '../../src/pipeline/output.js';
import type { LineWriter } from '../../src/output/writer.js';
import { makeHtlc as makeEvent } from '../builders.js';

function setup(count?: number) {
  const out: string[] = [];
  const writer: LineWriter = {
    write: (l) => (out.push(l), true),
    onDrain: (cb) => cb(),
    flush: async () => undefined,
    closed: false,
    pending: () => ({ lines: 0, bytes: 0 }),
    progress: 0,
  };
  let countReached = 0;
  const output = new OutputStage({
    format: 'jsonl',
    ctx: { colorizer: undefined as never, utc: true },
    ...(count !== undefined ? { count } : {}),
    writer,
    pause: () => undefined,
    resume: () => undefined,
    onCountReached: () => countReached++,
  });
  const lane = () => new NodeLane({ output, filter: () => true, pause: () => undefined, resume: () => undefined });
  const ids = () =>
    out.map((l) => JSON.parse(l)).map((o) => (o.event === 'gap' ? 'gap' : `${o.event}:${o.incoming_htlc_id}`));
  return { output, lane, ids, countReached: () => countReached };
}

describe('two lanes, one output', () => {
  test('arrival order across nodes; each lane correlates its own HTLCs (the same ids on two nodes never meet)', () => {
    const s = setup();
    const a = s.lane();
    const b = s.lane();
    a.push(makeEvent({ incomingHtlcId: '1', outgoingHtlcId: '1' }));
    b.push(makeEvent({ incomingHtlcId: '1', outgoingHtlcId: '1' }));
    a.push(makeEvent({ event: 'settle', eventType: 3, incomingHtlcId: '1', outgoingHtlcId: '1' }));
    b.gap(1_000, 2_000, 'connection lost');
    expect(s.ids()).toEqual(['forward:1', 'forward:1', 'settle:1', 'gap']);
    expect(a.correlator.inFlight(0n)).toHaveLength(0); // settled on node a
    expect(b.correlator.inFlight(0n)).toHaveLength(1); // still in flight on node b
    expect([a.stats.htlcEvents, b.stats.htlcEvents]).toEqual([2, 1]);
  });

  test("one node's hold (its first alias lookup) does not hold the other's lines", () => {
    const s = setup();
    const a = s.lane();
    const b = s.lane();
    a.hold();
    a.push(makeEvent({ incomingHtlcId: '1' }));
    b.push(makeEvent({ incomingHtlcId: '2' }));
    expect(s.ids()).toEqual(['forward:2']);
    a.release();
    expect(s.ids()).toEqual(['forward:2', 'forward:1']);
  });

  test('--count counts the lines of every node, once', () => {
    const s = setup(3);
    const a = s.lane();
    const b = s.lane();
    a.push(makeEvent({ incomingHtlcId: '1' }));
    b.push(makeEvent({ incomingHtlcId: '2' }));
    a.push(makeEvent({ incomingHtlcId: '3' }));
    b.push(makeEvent({ incomingHtlcId: '4' }));
    expect(s.ids()).toEqual(['forward:1', 'forward:2', 'forward:3']);
    expect(s.output.countReached).toBe(true);
    expect(s.countReached()).toBe(1);
  });
});
