/**
 * GrpcFrameReader: gRPC's length-prefixed messages (1-byte compressed flag,
 * 4-byte big-endian length, bytes) out of DATA chunks cut anywhere.
 */
import { describe, expect, test } from '@jest/globals';
import { GrpcFrameError, GrpcFrameReader } from '../../../src/transport/grpc/frames.js';
import { mulberry32 } from '../../prng.js';

const MAX = 64 * 1024 * 1024;

/** One framed message; not from Buffer's pool (Buffer.alloc), so ArrayBuffer identity means something. */
function frame(msg: Uint8Array, flag = 0, len = msg.length): Buffer {
  const out = Buffer.alloc(5 + msg.length);
  out[0] = flag;
  out.writeUInt32BE(len, 1);
  out.set(msg, 5);
  return out;
}

/** A message of `n` bytes whose content depends on `seed` (so messages are told apart). */
function msgOf(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (seed * 31 + i * 7) & 0xff;
  return b;
}

/** A copy outside Buffer's pool. */
function own(b: Uint8Array): Buffer {
  const out = Buffer.alloc(b.length);
  out.set(b);
  return out;
}

/** Everything next() gives now. */
function drain(r: GrpcFrameReader): Buffer[] {
  const out: Buffer[] = [];
  for (let m = r.next(); m !== undefined; m = r.next()) out.push(m);
  return out;
}

const hex = (bs: readonly Uint8Array[]) => bs.map((b) => Buffer.from(b).toString('hex'));

const prng = mulberry32;

/**
 * Pushes `stream` cut at `cuts` (sorted offsets), calling next() after every
 * push, and checks that each message comes out exactly when its last byte has
 * been pushed (undefined before), and pendingBytes all along.
 */
function feedAndCheck(msgs: readonly Buffer[], cuts: readonly number[]): void {
  const stream = Buffer.concat(msgs.map((m) => frame(m)));
  const ends: number[] = [];
  let at = 0;
  for (const m of msgs) ends.push((at += 5 + m.length));
  const r = new GrpcFrameReader(MAX);
  const got: Buffer[] = [];
  let prev = 0;
  for (const cut of [...cuts, stream.length]) {
    r.push(own(stream.subarray(prev, cut)));
    prev = cut;
    got.push(...drain(r));
    const complete = ends.filter((e) => e <= cut).length;
    expect(got.length).toBe(complete);
    const consumed = complete === 0 ? 0 : ends[complete - 1]!;
    expect(r.pendingBytes).toBe(cut - consumed);
    expect(r.next()).toBeUndefined();
  }
  expect(hex(got)).toEqual(hex(msgs));
  expect(r.pendingBytes).toBe(0);
}

describe('GrpcFrameReader', () => {
  test.each([
    { name: 'one message', lens: [10] },
    { name: 'many small', lens: [1, 2, 3, 4, 5, 6, 7, 8] },
    { name: 'mixed with empty ones', lens: [0, 17, 0, 0, 300, 1, 0] },
    { name: 'a large one among small ones', lens: [3, 70_000, 3] },
    { name: 'only empty ones', lens: [0, 0, 0] },
  ])('one chunk with many messages: $name', ({ lens }) => {
    const msgs = lens.map((n, i) => msgOf(n, i));
    const r = new GrpcFrameReader(MAX);
    r.push(Buffer.concat(msgs.map((m) => frame(m))));
    expect(hex(drain(r))).toEqual(hex(msgs));
    expect(r.next()).toBeUndefined();
    expect(r.pendingBytes).toBe(0);
  });

  test.each([
    { name: 'one 12-byte message', lens: [12] },
    { name: 'an empty message between two', lens: [4, 0, 6] },
    { name: 'three back to back', lens: [1, 9, 2] },
  ])('split into 2 chunks at every byte boundary: $name', ({ lens }) => {
    const msgs = lens.map((n, i) => msgOf(n, i + 1));
    const total = msgs.reduce((s, m) => s + 5 + m.length, 0);
    for (let cut = 1; cut < total; cut++) feedAndCheck(msgs, [cut]);
  });

  test('split into 3 chunks at every pair of byte boundaries (inside the header too)', () => {
    const msgs = [msgOf(8, 3), msgOf(0, 4), msgOf(3, 5)];
    const total = msgs.reduce((s, m) => s + 5 + m.length, 0);
    for (let a = 1; a < total; a++) for (let b = a + 1; b < total; b++) feedAndCheck(msgs, [a, b]);
  });

  test.each([2, 3, 4, 5, 7, 16])('split into chunks of %i byte(s) and into single bytes', (size) => {
    const msgs = [msgOf(20, 1), msgOf(0, 2), msgOf(33, 3), msgOf(1, 4)];
    const total = msgs.reduce((s, m) => s + 5 + m.length, 0);
    const every = (step: number) => Array.from({ length: Math.ceil(total / step) - 1 }, (_, i) => (i + 1) * step);
    feedAndCheck(msgs, every(size));
    feedAndCheck(msgs, every(1));
  });

  test('zero-length messages: an empty Buffer each, also when their header is split', () => {
    const r = new GrpcFrameReader(MAX);
    const stream = Buffer.concat([frame(Buffer.alloc(0)), frame(Buffer.alloc(0)), frame(Buffer.alloc(0))]);
    r.push(own(stream.subarray(0, 7))); // one whole, 2 bytes of the next header
    const first = r.next();
    expect(first).toBeInstanceOf(Buffer);
    expect(first!.length).toBe(0);
    expect(r.next()).toBeUndefined();
    expect(r.pendingBytes).toBe(2);
    r.push(own(stream.subarray(7)));
    const rest = drain(r);
    expect(rest.map((m) => m.length)).toEqual([0, 0]);
    expect(r.pendingBytes).toBe(0);
  });

  test('next() is undefined until a message is complete; pendingBytes counts what is held', () => {
    const msg = msgOf(6, 9);
    const f = frame(msg);
    const r = new GrpcFrameReader(MAX);
    expect(r.next()).toBeUndefined();
    expect(r.pendingBytes).toBe(0);
    r.push(Buffer.alloc(0)); // an empty chunk changes nothing
    expect(r.pendingBytes).toBe(0);
    for (let i = 0; i < f.length - 1; i++) {
      r.push(own(f.subarray(i, i + 1)));
      expect(r.next()).toBeUndefined();
      expect(r.pendingBytes).toBe(i + 1);
    }
    r.push(own(f.subarray(f.length - 1)));
    expect(r.pendingBytes).toBe(f.length);
    expect(hex([r.next()!])).toEqual(hex([msg]));
    expect(r.pendingBytes).toBe(0);
    expect(r.next()).toBeUndefined();
  });

  test('a message inside one chunk is a view of it; a message across chunks is a copy', () => {
    const a = msgOf(10, 1);
    const b = msgOf(20, 2);
    const chunk = Buffer.concat([frame(a), frame(b)]);
    const whole = Buffer.alloc(chunk.length + 3); // the chunk at an offset in a larger ArrayBuffer
    chunk.copy(whole, 3);
    const view = whole.subarray(3);
    const r = new GrpcFrameReader(MAX);
    r.push(view);
    const [ma, mb] = drain(r);
    expect(ma!.buffer).toBe(view.buffer);
    expect(ma!.byteOffset).toBe(view.byteOffset + 5);
    expect(mb!.buffer).toBe(view.buffer);
    expect(mb!.byteOffset).toBe(view.byteOffset + 5 + a.length + 5);
    // A view: changing the chunk changes the message.
    view[5] = view[5]! ^ 0xff;
    expect(ma![0]).toBe(view[5]);

    const f = frame(b);
    const c1 = own(f.subarray(0, 12));
    const c2 = own(f.subarray(12));
    r.push(c1);
    r.push(c2);
    const split = r.next()!;
    expect(hex([split])).toEqual(hex([b]));
    expect(split.buffer).not.toBe(c1.buffer);
    expect(split.buffer).not.toBe(c2.buffer);
    c1[5] = c1[5]! ^ 0xff;
    expect(split[0]).toBe(b[0]);
  });

  test('a message after a split one, inside the next chunk, is a view of that chunk', () => {
    const a = msgOf(10, 1);
    const b = msgOf(4, 2);
    const fa = frame(a);
    const c1 = own(fa.subarray(0, 8));
    const c2 = own(Buffer.concat([fa.subarray(8), frame(b)]));
    const r = new GrpcFrameReader(MAX);
    r.push(c1);
    r.push(c2);
    const [ma, mb] = drain(r);
    expect(hex([ma!, mb!])).toEqual(hex([a, b]));
    expect(mb!.buffer).toBe(c2.buffer);
    expect(mb!.byteOffset).toBe(c2.byteOffset + (fa.length - 8) + 5);
  });

  test.each([
    { flag: 1, message: /compressed/ },
    { flag: 2, message: /flag 2/ },
    { flag: 0x80, message: /flag 128/ },
    { flag: 0xff, message: /flag 255/ },
  ])('flag $flag is a GrpcFrameError, as soon as the header is in (whole or split)', ({ flag, message }) => {
    for (const cut of [0, 1, 3, 4]) {
      const r = new GrpcFrameReader(MAX);
      r.push(frame(msgOf(3, 1)));
      const bad = frame(msgOf(100, 2), flag);
      if (cut > 0) {
        r.push(own(bad.subarray(0, cut)));
        r.push(own(bad.subarray(cut, 5)));
      } else r.push(own(bad.subarray(0, 5)));
      expect(r.next()!.length).toBe(3);
      let err: unknown;
      try {
        r.next();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GrpcFrameError);
      expect((err as Error).message).toMatch(message);
    }
  });

  test.each([
    { max: 100, len: 100, ok: true },
    { max: 100, len: 101, ok: false },
    { max: 0, len: 0, ok: true },
    { max: 0, len: 1, ok: false },
    { max: MAX, len: 0xffffffff, ok: false },
  ])('length $len with a maximum of $max: ok $ok (checked from the header alone)', ({ max, len, ok }) => {
    const r = new GrpcFrameReader(max);
    r.push(frame(Buffer.alloc(0), 0, len)); // the header only
    if (ok) {
      expect(r.next()).toEqual(len === 0 ? Buffer.alloc(0) : undefined);
      return;
    }
    expect(() => r.next()).toThrow(GrpcFrameError);
    expect(() => r.next()).toThrow(new RegExp(`${len} bytes, more than the ${max}`));
  });

  test('property: random messages cut at random places come out whole and in order', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = prng(seed);
      // Tiny chunks (a byte or a few) or DATA-frame-like ones; large messages only with the latter.
      const tiny = rnd() < 0.5;
      const maxChunk = 1 + Math.floor(rnd() * (tiny ? 8 : 20_000));
      const count = Math.floor(rnd() * 25);
      const msgs: Buffer[] = [];
      for (let i = 0; i < count; i++) {
        const p = rnd();
        const len =
          p < 0.2
            ? 0
            : p < 0.8
              ? Math.floor(rnd() * 64)
              : tiny
                ? Math.floor(rnd() * 300)
                : p < 0.97
                  ? Math.floor(rnd() * 2000)
                  : Math.floor(rnd() * 70_000);
        const m = Buffer.alloc(len);
        for (let j = 0; j < len; j++) m[j] = Math.floor(rnd() * 256);
        msgs.push(m);
      }
      const stream = Buffer.concat(msgs.map((m) => frame(m)));
      const r = new GrpcFrameReader(MAX);
      const got: Buffer[] = [];
      let pushed = 0;
      let taken = 0;
      for (let at = 0; at < stream.length;) {
        const n = rnd() < 0.05 ? 0 : 1 + Math.floor(rnd() * maxChunk);
        const chunk = own(stream.subarray(at, at + n));
        at += chunk.length;
        r.push(chunk);
        pushed += chunk.length;
        // Take messages only sometimes (as a paused stream does), some of them at a time.
        if (rnd() < 0.6) {
          for (let m = rnd() < 0.5 ? r.next() : undefined; m !== undefined; m = rnd() < 0.8 ? r.next() : undefined) {
            got.push(m);
            taken += 5 + m.length;
          }
        }
        if (r.pendingBytes !== pushed - taken)
          throw new Error(`seed ${seed}: pendingBytes ${r.pendingBytes}, want ${pushed - taken}`);
      }
      got.push(...drain(r));
      const same = got.length === msgs.length && got.every((m, i) => m.equals(msgs[i]!));
      if (!same) throw new Error(`seed ${seed}: got ${got.length} messages, want ${msgs.length} (or different bytes)`);
      expect(r.pendingBytes).toBe(0);
      expect(r.next()).toBeUndefined();
    }
  });
});
