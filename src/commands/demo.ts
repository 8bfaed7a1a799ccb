/**
 * `htlc-tail demo`: start the built-in simulated lnd node in this process (a
 * temporary lnddir with tls.cert, lnd.conf and macaroons) and tail it exactly
 * as a real node, with the same output and filter options. SIGINT/SIGTERM are
 * handled from the first moment, so a Ctrl-C while the node starts still
 * stops it and removes its directory.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { demoConfig, demoSettings } from '../config/demo-config.js';
import { usageError } from '../errors.js';
import type { DemoOptions } from '../config/options.js';
import { defaultConfigIo } from '../config/io.js';
import { connectNode } from '../pipeline/node-config.js';
import { combineSinks } from '../pipeline/sink.js';
import { runTail } from '../pipeline/run-tail.js';
import { parseMetricsListen } from '../config/metrics-listen.js';
import { stderrNotify } from '../pipeline/notices.js';
import type { StopSignals } from '../runtime/stop-signals.js';
import { startMetricsIfAsked } from './metrics-listen.js';

/** `signals`: the process's stop-signal handlers, installed before anything else (bin/htlc-tail.js). */
export async function runDemoCommand(opts: DemoOptions, signals: StopSignals): Promise<number> {
  const { rate, seed, rest, hostileAliases } = demoSettings(opts);
  const metricsListen = opts.metricsListen === undefined ? undefined : parseMetricsListen(opts.metricsListen);
  const { startDemoNode } = await import('@htlc-tail/lnd-sim');
  if (signals.received) return 0;
  // --metrics-listen: bound before the node starts (exit 3 at once when it cannot be).
  const metrics = await startMetricsIfAsked(metricsListen);
  const demo = await startDemoNode({
    ...(rate !== undefined ? { rate } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(rest ? { rest: true } : {}),
    hostileAliases,
  });
  const notify = stderrNotify();
  try {
    const where = rest ? `${demo.node.rpcserver}, REST ${demo.node.restserver}` : demo.node.rpcserver;
    notify(`demo: simulated lnd node on ${where} (lnddir ${demo.lnddir}); Ctrl-C to stop`, 'info');
    const config = demoConfig(opts, { lnddir: demo.lnddir, network: demo.network }, process.env, defaultConfigIo());
    const connection = connectNode({ name: null, config, proxy: null });
    if (opts.record === undefined) return await runTail(config, [connection], notify, signals, metrics?.sinkFactory);
    // --record [FILE]: into FILE, or a new temporary database that outlives the demo (for replay --db and report).
    if (opts.record === '')
      throw usageError(
        '--record needs a file name, or nothing for a temporary database; e.g. demo --record demo.sqlite',
      );
    const file =
      opts.record === true
        ? path.join(await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-demo-')), 'history.sqlite')
        : opts.record;
    const { startRecorder, withRecorder } = await import('./recording.js');
    const { recorder, sinks } = await startRecorder(file, undefined, notify);
    notify(`demo: recording to ${recorder.file} (then: htlc-tail report --db ${recorder.file})`);
    return await withRecorder(recorder, () =>
      runTail(config, [connection], notify, signals, combineSinks(sinks, metrics?.sinkFactory)),
    );
  } finally {
    await metrics?.close();
    await demo.stop();
  }
}
