/**
 * The simulated node for the latency measurement: realistic events at a
 * steady rate, each stamped with the wall-clock time at which it is handed to
 * the gRPC server (timestamp_ns = send time, µs precision), so a client on
 * the same machine can measure send → stdout latency from its output alone.
 *
 * usage: node bench/latency-sim.mjs LNDDIR RATE COUNT
 *
 * Serves over grpc-js (one HTTP/2 write per message, like lnd's grpc-go;
 * the flood mode's batching h2 transport would hold events back). Waits for
 * a subscription, sends COUNT events at RATE per second to it, waits for it
 * to close, and so on until killed. Prints `ready` on stderr once the lnddir
 * is written.
 */
import { performance } from 'node:perf_hooks';
import { startSimNode, TrafficGenerator, toProtoObject } from '@htlc-tail/lnd-sim';

const [lnddir, rateArg, countArg] = process.argv.slice(2);
const rate = Number(rateArg);
const count = Number(countArg);
if (!lnddir || !(rate > 0) || !(count > 0)) {
  process.stderr.write('usage: node bench/latency-sim.mjs LNDDIR RATE COUNT\n');
  process.exit(2);
}

const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;

const node = await startSimNode({ transport: 'grpc-js', rate: 0, seed: 7 });
await node.writeLndDir(lnddir);
const gen = new TrafficGenerator({ seed: 7, node: node.node, startNs: nowNs(), rate, replayProbability: 0 });
// Pre-build the events so that sending costs only the stamp and the write.
const events = Array.from({ length: count }, () => toProtoObject(gen.next().event));
process.stderr.write(`ready ${node.rpcserver}\n`);

// One subscription at a time: COUNT events to it, then wait for the next one.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sendTo = () =>
  new Promise((resolve) => {
    const start = performance.now();
    let sent = 0;
    const tick = () => {
      const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due && node.openStreams > 0) {
        const ev = events[sent++];
        ev.timestamp_ns = nowNs().toString();
        node.emit(ev);
      }
      if (sent < count && node.openStreams > 0) setTimeout(tick, 1);
      else resolve(sent);
    };
    tick();
  });
const stop = async () => {
  await node.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
for (;;) {
  await node.waitForStreams(1, 3_600_000);
  await sleep(20); // let the subscribed event go out first
  const sent = await sendTo();
  process.stderr.write(`sent ${sent}\n`);
  while (node.openStreams > 0) await sleep(10);
}
