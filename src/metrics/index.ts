/**
 * `--metrics-listen`: what a command calls. Import this module lazily
 * (`await import('../metrics/index.js')`) only when the option is given: it
 * loads prom-client.
 *
 *   const m = await startMetricsSinks(config.metricsListen); // binds; exit 3 when it cannot
 *   try { return await runTail(config, nodes, notify, signals, m.sinkFactory); }
 *   finally { await m.close(); }
 *
 * A command with other sinks too (history) combines the factories:
 * `(node) => [...history(node), ...m.sinkFactory(node)]`.
 */
import type { MetricsListen } from '../config/metrics-listen.js';
import type { NodeSink, SinkFactory } from '../pipeline/sink.js';
import type { NodeConnection } from '../transport/node-connection.js';
import { createMetrics, type HtlcMetrics, type MetricsOptions } from './metrics.js';
import { MetricsNodeSink } from './node-sink.js';
import { startMetricsServer, type MetricsServer } from './server.js';

export { createMetrics, HtlcMetrics, type MetricsOptions } from './metrics.js';
export { MetricsNodeSink, type NamedNode } from './node-sink.js';
export type { NodeMetrics } from './node-metrics.js';

export interface MetricsRun {
  readonly metrics: HtlcMetrics;
  readonly server: MetricsServer;
  /** Stops serving (idempotent). */
  close(): Promise<void>;
}

/** Makes the run's metrics and serves them at `listen`; rejects with exit 3 when the address cannot be bound. */
export async function startMetrics(listen: MetricsListen, opts: MetricsOptions = {}): Promise<MetricsRun> {
  const metrics = await createMetrics(opts);
  const server = await startMetricsServer(listen, metrics);
  return { metrics, server, close: () => server.close() };
}

/** The metrics of a run, attached to the pipeline (pipeline/sink.ts) and served. */
export interface MetricsSinks extends MetricsRun {
  /** One metrics sink per node of the run (runTail's 5th argument). */
  readonly sinkFactory: SinkFactory;
}

/** The metrics sink of one node of a run. */
export function metricsSinkOf(metrics: HtlcMetrics, node: NodeConnection): NodeSink {
  return new MetricsNodeSink(metrics, {
    profile: node.config.profile,
    address: node.address,
    identity: () => node.identity(),
  });
}

/**
 * `--metrics-listen`'s part of a command: binds now (exit 3 naming the
 * address when it cannot), and gives the sink factory to pass to runTail and
 * the close to call when the command ends.
 */
export async function startMetricsSinks(listen: MetricsListen, opts: MetricsOptions = {}): Promise<MetricsSinks> {
  const run = await startMetrics(listen, opts);
  return { ...run, sinkFactory: (node) => [metricsSinkOf(run.metrics, node)] };
}
