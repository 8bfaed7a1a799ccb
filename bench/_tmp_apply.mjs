import { buildNode, FloodMix } from '@htlc-tail/lnd-sim';
import { decodeHtlcEventWire } from '../dist/codec/wire/decode-htlc-event.js';
import { Correlator } from '../dist/events/correlate.js';
import { openStore, registerNode } from '../dist/history/index.js';
import { prepareEncoded } from '../dist/history/apply.js';
import { encodeEvent, FIELD_SEP } from '../dist/history/encode.js';
import fs from 'node:fs';
const N = Number(process.argv[2] ?? 200000), B = Number(process.argv[3] ?? 2048);
const mix = new FloodMix(buildNode(1), 1);
const c = new Correlator();
const evs = [];
for (let i = 0; i < N; i++) evs.push(c.apply(decodeHtlcEventWire(mix.item(i).bytes)));
const file = '/tmp/chist/apply.sqlite';
for (const f of [file, file + '-wal', file + '-shm']) fs.rmSync(f, { force: true });
const store = await openStore(file, 'write');
const node = registerNode(store.db, { identity: '02aa' }, Date.now());
const st = prepareEncoded(store.db);
const cpu = () => { const x = process.cpuUsage(); return (x.user + x.system) / 1000; };
let te = 0, ta = 0;
for (let s = 0; s < N; s += B) {
  let t = cpu();
  const parts = []; let n = 0; for (let i = s; i < Math.min(N, s + B); i++) { encodeEvent(evs[i], parts); n++; }
  const text = parts.join(FIELD_SEP);
  te += cpu() - t; t = cpu();
  st.apply([{ t: 'ev', node, n, text, wide: false }], new Map());
  ta += cpu() - t;
}
console.log('encode', (te * 1000 / N).toFixed(2), 'us/ev; apply', (ta * 1000 / N).toFixed(2), 'us/ev', store.db.prepare('select count(*) from events').pluck().get());
