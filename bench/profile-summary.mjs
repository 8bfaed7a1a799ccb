/**
 * Summarizes a `node --cpu-prof` profile: self time by function (top N), and
 * self time by file. usage: node bench/profile-summary.mjs FILE.cpuprofile [N]
 */
import fs from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 30);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fnTime = new Map();
const fileTime = new Map();
for (const [id, us] of self) {
  const cf = byId.get(id).callFrame;
  const short = cf.url.replace(/^.*\/node_modules\//, 'nm/').replace(/^file:\/\/.*\/(dist|bench)\//, '$1/');
  const key = `${cf.functionName || '(anon)'} ${short}:${cf.lineNumber + 1}`;
  fnTime.set(key, (fnTime.get(key) ?? 0) + us);
  const fk = short || '(native/vm)';
  fileTime.set(fk, (fileTime.get(fk) ?? 0) + us);
}
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5) + '%';
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
console.log('-- self time by function');
for (const [k, us] of [...fnTime].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(us), k);
console.log('-- self time by file');
for (const [k, us] of [...fileTime].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(us), k);
