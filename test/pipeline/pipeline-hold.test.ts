/**
 * The pipeline's hold (while the first alias lookup runs): a gap marker that
 * comes meanwhile waits in its place among the held events, so a gap line is
 * never printed before events received ahead of it; and --count reached by
 * released events is known to the caller.
 */
import { describe, expect, test } from '@jest/globals';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { LineWriter } from '../../src/output/writer.js';
import { makeHtlc } from '../builders.js';

function lines(): { writer: LineWriter; out: string[] } {
  const out: string[] = [];
  const writer: LineWriter = {
    write: (l) => (out.push(l), true),
    onDrain: (cb) => cb(),
    flush: async () => undefined,
    closed: false,
    pending: () => ({ lines: 0, bytes: 0 }),
    progress: 0,
  };
  return { writer, out };
}

function pipeline(writer: LineWriter, count?: number): Pipeline {
  return new Pipeline({
    format: 'jsonl',
    ctx: { colorizer: undefined as never, utc: true },
    filter: () => true,
    ...(count !== undefined ? { count } : {}),
    writer,
    pause: () => undefined,
    resume: () => undefined,
    onCountReached: () => undefined,
  });
}

describe('Pipeline hold', () => {
  test('a gap during the hold comes out after the events held before it', () => {
    const { writer, out } = lines();
    const p = pipeline(writer);
    p.hold();
    p.push(makeHtlc({ incomingHtlcId: '1' }));
    p.gap(1_000, 2_000, 'connection lost');
    p.push(makeHtlc({ incomingHtlcId: '2' }));
    expect(out).toEqual([]);
    p.release();
    expect(out.map((l) => JSON.parse(l)).map((o) => (o.event === 'gap' ? 'gap' : o.incoming_htlc_id))).toEqual([
      '1',
      'gap',
      '2',
    ]);
  });

  test('--count reached by released events', () => {
    const { writer } = lines();
    const p = pipeline(writer, 2);
    p.hold();
    p.push(makeHtlc({ incomingHtlcId: '1' }));
    p.push(makeHtlc({ incomingHtlcId: '2' }));
    expect(p.countReached).toBe(false);
    p.release();
    expect(p.countReached).toBe(true);
  });
});
