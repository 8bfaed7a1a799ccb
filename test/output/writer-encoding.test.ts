/**
 * The writer's bytes: whatever the lines hold (ASCII, Latin-1, emoji, CJK, a
 * lone surrogate, a line longer than a batch, thousands of lines across many
 * batches), the stream receives exactly the UTF-8 of the lines, each with a
 * newline, in order, as `Buffer.from` encodes them; and a busy stream gets
 * batches of about BATCH_BYTES, never one write per line.
 */
import { describe, expect, test } from '@jest/globals';
import { Writable } from 'node:stream';
import { BATCH_BYTES, createLineWriter } from '../../src/output/writer.js';

function collect() {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk)); // a copy: the writer may reuse what it handed over once taken
      cb();
    },
  });
  return { out, chunks, bytes: () => Buffer.concat(chunks) };
}

const json = (i: number, alias: string) => `{"event":"forward","i":${i},"incoming_alias":${JSON.stringify(alias)}}`;

const CASES: Array<[name: string, lines: string[]]> = [
  ['one ASCII line', ['hello']],
  ['an empty line', ['']],
  ['Latin-1', ['Zürich', 'ä1', 'b2']],
  [
    'emoji (surrogate pairs) in every third line',
    Array.from({ length: 3000 }, (_, i) => json(i, i % 3 ? 'ACINQ' : '⚡ Zürich-node 🐱')),
  ],
  ['CJK and RTL', ['节点', 'עברית', 'ノード'.repeat(50)]],
  ['a lone surrogate (replaced, as Buffer.from does)', ['a\ud800b', '\udc00']],
  ['a line longer than a batch', ['x'.repeat(BATCH_BYTES * 2 + 7), 'after']],
  ['a long two-byte line', ['🐱'.repeat(BATCH_BYTES), 'after']],
  ['many ASCII lines, many batches', Array.from({ length: 20000 }, (_, i) => json(i, 'LNBiG [Hub-3]'))],
];

describe('the writer writes exactly the UTF-8 of its lines', () => {
  test.each(CASES)('%s', async (_name, lines) => {
    const c = collect();
    const w = createLineWriter(c.out, () => undefined);
    for (const l of lines) w.write(l);
    await w.flush();
    expect(c.bytes().equals(Buffer.from(lines.map((l) => l + '\n').join('')))).toBe(true);
    expect(w.pending()).toEqual({ lines: 0, bytes: 0 });
  });

  test('lines written across turns of the event loop, mixed with quiet moments', async () => {
    const c = collect();
    const w = createLineWriter(c.out, () => undefined);
    const all: string[] = [];
    for (let turn = 0; turn < 20; turn++) {
      for (let i = 0; i < turn * 37; i++) {
        const l = json(turn * 1000 + i, i % 5 === 0 ? 'Ⓐlias ✓' : 'plain');
        all.push(l);
        w.write(l);
      }
      await new Promise((r) => setImmediate(r));
    }
    await w.flush();
    expect(c.bytes().toString('utf8')).toBe(all.map((l) => l + '\n').join(''));
  });

  test('a busy stream gets batches of about BATCH_BYTES', async () => {
    const c = collect();
    const w = createLineWriter(c.out, () => undefined);
    const line = json(1, '⚡ node');
    const n = Math.ceil((BATCH_BYTES * 10) / Buffer.byteLength(line + '\n'));
    for (let i = 0; i < n; i++) w.write(line);
    await w.flush();
    const sizes = c.chunks.map((b) => b.length).filter((s) => s > 0);
    expect(sizes.length).toBeGreaterThanOrEqual(10);
    expect(sizes.length).toBeLessThanOrEqual(11);
    for (const s of sizes.slice(0, -1)) expect(s).toBeGreaterThanOrEqual(BATCH_BYTES);
  });
});
