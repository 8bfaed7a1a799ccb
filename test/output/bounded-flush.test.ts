/**
 * The writer's accounting (what the stream has not taken yet, and progress)
 * and the bounded final flush: it waits for a slow reader as long as output
 * moves, gives up only after a stop signal and a stall, and never without one.
 */
import { describe, expect, test } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLineWriter } from '../../src/output/writer.js';
import { flushBounded } from '../../src/output/bounded-flush.js';

/** A stream that takes a chunk only when the test says so. */
function gatedStream() {
  const waiting: Array<() => void> = [];
  const out = new Writable({
    highWaterMark: 16,
    write(_chunk, _enc, cb) {
      waiting.push(cb);
    },
  });
  return {
    out,
    takeOne: () => waiting.shift()?.(),
    get waiting() {
      return waiting.length;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the writer knows what is not written yet', () => {
  test('pending lines and bytes; progress counts taken batches', async () => {
    const g = gatedStream();
    const w = createLineWriter(g.out, () => undefined);
    w.write('ä1');
    w.write('b2');
    expect(w.pending()).toEqual({ lines: 2, bytes: 7 });
    await sleep(5); // the batch goes to the stream (which holds it)
    w.write('c3');
    expect(w.pending()).toEqual({ lines: 3, bytes: 10 });
    expect(w.progress).toBe(0);
    g.takeOne();
    await sleep(5);
    expect(w.progress).toBe(1);
    expect(w.pending()).toEqual({ lines: 1, bytes: 3 });
  });
});

describe('flushBounded', () => {
  test('without a stop signal it waits as long as it takes', async () => {
    const g = gatedStream();
    const w = createLineWriter(g.out, () => undefined);
    w.write('x');
    let result: boolean | undefined;
    void flushBounded(w, () => undefined, 50).then((ok) => (result = ok));
    await sleep(300);
    expect(result).toBeUndefined();
    while (g.waiting > 0) g.takeOne();
    await sleep(20);
    while (g.waiting > 0) g.takeOne();
    await sleep(20);
    expect(result).toBe(true);
  });

  test('after a stop signal it keeps waiting while output moves, and gives up after a stall', async () => {
    const g = gatedStream();
    const w = createLineWriter(g.out, () => undefined);
    for (let i = 0; i < 5; i++) {
      w.write(`line ${i}`);
      await sleep(2); // one batch each
    }
    let stop!: () => void;
    let result: boolean | undefined;
    const started = Date.now();
    void flushBounded(w, (cb) => (stop = cb), 150).then((ok) => (result = ok));
    stop();
    // Take a batch every 100 ms (under the 150 ms stall bound): it keeps waiting.
    for (let i = 0; i < 3; i++) {
      await sleep(100);
      g.takeOne();
    }
    expect(result).toBeUndefined();
    await sleep(400); // now nothing moves
    expect(result).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(w.pending().lines).toBe(2);
  });
});
