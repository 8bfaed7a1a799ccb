/**
 * Backpressure from a node's sinks (pipeline/sink.ts, lane.ts): a sink whose
 * `event()` returns false pauses the node's source until its `ready()`
 * resolves; reading goes on only when no reason to pause is left (held events,
 * a full output, another full sink); a `ready()` that rejects (the writer
 * failed) is reported once as the run's failure.
 */
import { describe, expect, test } from '@jest/globals';
import type { HtlcEvent } from '../../src/events/model.js';
import { NodeLane } from '../../src/pipeline/lane.js';
import { OutputStage } from '../../src/pipeline/output.js';
import type { NodeSink } from '../../src/pipeline/sink.js';
import type { LineWriter } from '../../src/output/writer.js';
import { makeHtlc } from '../builders.js';

class FullSink implements NodeSink {
  room: number;
  readyCalls = 0;
  private waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  constructor(room: number) {
    this.room = room;
  }
  event(_ev: HtlcEvent): boolean {
    return --this.room > 0;
  }
  gap(): void {}
  subscribed(): void {}
  lost(): void {}
  ready(): Promise<void> {
    this.readyCalls++;
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  drain(room: number): void {
    this.room = room;
    for (const w of this.waiting.splice(0)) w.resolve();
  }
  failAll(err: unknown): void {
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
  async close(): Promise<void> {}
}

function setup(sinks: NodeSink[]) {
  const log: string[] = [];
  const failures: unknown[] = [];
  const writer: LineWriter = {
    write: () => true,
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
  const lane = new NodeLane({
    output,
    filter: () => true,
    sinks,
    pause: () => log.push('pause'),
    resume: () => log.push('resume'),
    onSinkFailure: (e) => failures.push(e),
  });
  return { lane, log, failures };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('a full sink pauses its node', () => {
  test('false pauses once; more events while full do not ask again; ready() resumes', async () => {
    const sink = new FullSink(2);
    const { lane, log } = setup([sink]);
    lane.push(makeHtlc({ incomingHtlcId: '1' }));
    expect(log).toEqual([]);
    lane.push(makeHtlc({ incomingHtlcId: '2' }));
    lane.push(makeHtlc({ incomingHtlcId: '3' })); // already in flight when the pause came
    expect(log).toEqual(['pause']);
    expect(sink.readyCalls).toBe(1);
    sink.drain(10);
    await tick();
    expect(log).toEqual(['pause', 'resume']);
    lane.push(makeHtlc({ incomingHtlcId: '4' }));
    expect(log).toEqual(['pause', 'resume']);
  });

  test('reading goes on only when every reason is gone: two full sinks and a full output', async () => {
    const a = new FullSink(1);
    const b = new FullSink(1);
    const { lane, log } = setup([a, b]);
    lane.push(makeHtlc());
    lane.block('output');
    expect(log).toEqual(['pause']);
    a.drain(10);
    await tick();
    lane.unblock('output');
    expect(log).toEqual(['pause']);
    b.drain(10);
    await tick();
    expect(log).toEqual(['pause', 'resume']);
  });

  test('a held-events pause and a sink pause: the release does not resume while the sink is full', async () => {
    const sink = new FullSink(1);
    const { lane, log } = setup([sink]);
    lane.hold();
    for (let i = 0; i < 10_000; i++) lane.push(makeHtlc({ incomingHtlcId: String(i) }));
    expect(log).toEqual(['pause']);
    lane.release();
    expect(log).toEqual(['pause']);
    sink.drain(1_000_000);
    await tick();
    expect(log).toEqual(['pause', 'resume']);
  });

  test('ready() rejecting (the writer failed) is the run failure; the node stays paused', async () => {
    const sink = new FullSink(1);
    const { lane, log, failures } = setup([sink]);
    lane.push(makeHtlc());
    const err = new Error('disk full');
    sink.failAll(err);
    await tick();
    expect(failures).toEqual([err]);
    expect(log).toEqual(['pause']);
  });
});
