/**
 * In-process micro benchmark of htlc-tail's hot path (no network): the flood
 * mix's encoded events through decode → correlate → stats → filter → format →
 * writer, stage by stage. A development aid for profiling; not part of the table.
 *
 * usage: npm run build && node bench/micro.mjs [N] [format] [out-file]
 */
import fs from 'node:fs';
import { buildNode, FloodMix } from '@htlc-tail/lnd-sim';
import { decodeHtlcEventWire } from '../dist/codec/wire/decode-htlc-event.js';
import { Correlator } from '../dist/events/correlate.js';
import { Stats } from '../dist/events/stats.js';
import { compileFilterSpec } from '../dist/config/filter-options.js';
import { makeFilter } from '../dist/events/filter.js';
import { getFormatter, PLAIN_COLORIZER } from '../dist/format/index.js';
import { Pipeline } from '../dist/pipeline/pipeline.js';
import { createLineWriter } from '../dist/output/writer.js';

const N = Number(process.argv[2] ?? 200_000);
const format = process.argv[3] ?? 'jsonl';
const outPath = process.argv[4] ?? '/dev/null';
const mix = new FloodMix(buildNode(1), 1);
// All messages in one buffer (few objects for the GC to see), sliced per event as grpc-js does.
const parts = [];
const offsets = new Int32Array(N + 1);
for (let i = 0; i < N; i++) {
  const b = mix.item(i).bytes;
  parts.push(b);
  offsets[i + 1] = offsets[i] + b.length;
}
const all = Buffer.concat(parts);
parts.length = 0;
const msg = (i) => all.subarray(offsets[i], offsets[i + 1]);
const ctx = { colorizer: PLAIN_COLORIZER, utc: true };

// CPU time, not wall time: the machine may be shared.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function time(name, fn) {
  const t = cpuMs();
  fn();
  const ms = cpuMs() - t;
  console.error(
    `${name.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ${((1000 * N) / ms / 1000).toFixed(0).padStart(5)} k/s  ${((ms * 1000) / N).toFixed(2)} µs/event`,
  );
}

let evs;
time('decode', () => {
  for (let i = 0; i < N; i++) decodeHtlcEventWire(msg(i));
});
time('decode (again)', () => {
  for (let i = 0; i < N; i++) decodeHtlcEventWire(msg(i));
});
evs = [];
for (let i = 0; i < N; i++) evs.push(decodeHtlcEventWire(msg(i)));
time('correlate', () => {
  const c = new Correlator();
  for (const e of evs) c.apply(e);
});
time('stats', () => {
  const s = new Stats();
  for (const e of evs) s.add(e);
});
const filter = makeFilter(compileFilterSpec({}));
time('filter', () => {
  for (const e of evs) filter(e);
});
const f = getFormatter(format).format;
time(`format ${format}`, () => {
  for (const e of evs) f(e, ctx);
});
time(`format ${format} (again)`, () => {
  for (const e of evs) f(e, ctx);
});
const fd = fs.openSync(outPath, 'w');
time(`format + writeSync 64k batches`, () => {
  let b = '';
  for (const e of evs) {
    b += f(e, ctx) + '\n';
    if (b.length > 65536) {
      fs.writeSync(fd, b);
      b = '';
    }
  }
  fs.writeSync(fd, b);
});

// The output writer's encoding (src/output/writer.ts): each batch joined into one 64 kB string that the
// write encodes (before), against the writer (lines joined 8k characters at a time, encoded into the
// batch's buffer); ASCII lines, and a third of the lines with a channel alias outside Latin-1 (an emoji).
const { Writable } = await import('node:stream');
for (const [kind, alias] of [
  ['ascii', 'ACINQ'],
  ['emoji alias', 'ACINQ ⚡🐱'],
]) {
  const lines = evs.slice(0, 50_000).map((e, i) => f(e, ctx).replace(/}$/, `,"alias":"${i % 3 ? 'ACINQ' : alias}"}`));
  time(`lines joined 64k (${kind})`, () => {
    for (let r = 0; r < N / lines.length; r++) {
      let b = '';
      for (const l of lines) {
        b += l + '\n';
        if (b.length >= 65536) {
          fs.writeSync(fd, Buffer.from(b));
          b = '';
        }
      }
      fs.writeSync(fd, Buffer.from(b));
    }
  });
  const sync = new Writable({
    write(chunk, _enc, cb) {
      fs.writeSync(fd, chunk);
      cb();
    },
  });
  const w = createLineWriter(sync, () => {});
  time(`lines joined 8k, the writer (${kind})`, () => {
    for (let r = 0; r < N / lines.length; r++) for (const l of lines) w.write(l);
    w.flush();
  });
}

await new Promise((resolve) => {
  const out = fs.createWriteStream(outPath);
  const writer = createLineWriter(out, () => {});
  let i = 0;
  let paused = false;
  const t = cpuMs();
  const p = new Pipeline({
    format,
    ctx,
    filter,
    writer,
    pause: () => (paused = true),
    resume: () => {
      paused = false;
      setImmediate(pump);
    },
    onCountReached: () => {},
  });
  evs = undefined;
  const pump = () => {
    while (i < N && !paused) p.push(decodeHtlcEventWire(msg(i++)));
    if (i >= N) {
      writer.flush().then(() => {
        const ms = cpuMs() - t;
        console.error(
          `${'whole pipeline'.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ${((1000 * N) / ms / 1000).toFixed(0).padStart(5)} k/s  ${((ms * 1000) / N).toFixed(2)} µs/event`,
        );
        resolve();
      });
    }
  };
  pump();
});
