/**
 * The simulated nodes for the several-nodes benchmark (bench/nodes.js): K
 * nodes in this one process, each its own gRPC server (grpc-js: one HTTP/2
 * write per message, like lnd), and an lncli profiles file naming them all
 * (`n01`…), so `htlc-tail --profiles-file F -p all` tails every one. Once
 * every node has a subscription, COUNT events go out round-robin across the
 * nodes at a combined RATE per second, each stamped with the wall-clock time
 * at which it is handed to its server (timestamp_ns = send time), so the
 * client's output alone gives send → stdout latency. Then it waits for every
 * stream to close, and so on until killed.
 *
 * usage: node bench/nodes-sim.mjs PROFILES_FILE NODES RATE COUNT
 * Prints `ready` on stderr once the profiles file is written.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startSimNode, TrafficGenerator, toProtoObject } from '@htlc-tail/lnd-sim';

const [file, nodesArg, rateArg, countArg] = process.argv.slice(2);
const k = Number(nodesArg);
const rate = Number(rateArg);
const count = Number(countArg);
if (!file || !(k > 0) || !(rate > 0) || !(count > 0)) {
  process.stderr.write('usage: node bench/nodes-sim.mjs PROFILES_FILE NODES RATE COUNT\n');
  process.exit(2);
}

const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const nodes = [];
for (let i = 0; i < k; i++) nodes.push(await startSimNode({ transport: 'grpc-js', rate: 0, seed: 100 + i }));
// Pre-built events (round-robin over the nodes) so that sending costs only the stamp and the write.
const gens = nodes.map(
  (n, i) => new TrafficGenerator({ seed: 100 + i, node: n.node, startNs: nowNs(), rate, replayProbability: 0 }),
);
const events = Array.from({ length: count }, (_, j) => toProtoObject(gens[j % k].next().event));

const name = (i) => `n${String(i + 1).padStart(2, '0')}`;
fs.writeFileSync(
  file,
  JSON.stringify(
    {
      profiles: nodes.map((n, i) => ({
        name: name(i),
        rpcserver: n.rpcserver,
        lnddir: '/nonexistent',
        chain: 'bitcoin',
        network: n.network,
        tlscert: n.certPem,
        macaroons: {
          default: 'readonly.macaroon',
          timeout: 60,
          jar: [{ name: 'readonly.macaroon', data: n.macaroons.readonly.toString('hex') }],
        },
      })),
    },
    null,
    2,
  ),
);
process.stderr.write(`ready ${k} nodes\n`);

const open = () => nodes.filter((n) => n.openStreams > 0).length;
const send = () =>
  new Promise((resolve) => {
    const start = performance.now();
    let sent = 0;
    const tick = () => {
      const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) {
        const ev = events[sent];
        ev.timestamp_ns = nowNs().toString();
        nodes[sent % k].emit(ev);
        sent++;
      }
      if (sent < count && open() > 0) setTimeout(tick, 1);
      else resolve(sent);
    };
    tick();
  });

const stop = async () => {
  for (const n of nodes) await n.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

for (;;) {
  while (open() < k) await sleep(10);
  await sleep(50); // the subscribed events go out first
  process.stderr.write(`sent ${await send()}\n`);
  while (open() > 0) await sleep(10);
}
