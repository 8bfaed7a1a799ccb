/**
 * `--metrics-listen`: what a command calls. Import this module lazily
 * (`await import('../metrics/index.js')`) only when the option is given: it
 * loads prom-client.
 *
 *   const run = await startMetrics(config.metricsListen);   // binds; exit 3 when it cannot
 *   const sink = run.node(nodeName);                          // a MetricsSink per node
 *   ... the pipeline calls sink.event / gap / subscribed / streamLost / setAliases ...
 *   await run.close();                                        // when the command ends
 */
import type { MetricsListen } from '../config/metrics-listen.js';
import { createMetrics, type HtlcMetrics, type MetricsOptions } from './metrics.js';
import type { NodeMetrics } from './node-metrics.js';
import { startMetricsServer, type MetricsServer } from './server.js';

export { createMetrics, HtlcMetrics, type MetricsOptions } from './metrics.js';
export type { MetricsSink } from './sink.js';
export type { NodeMetrics } from './node-metrics.js';

export interface MetricsRun {
  readonly metrics: HtlcMetrics;
  readonly server: MetricsServer;
  /** The sink of node `name` (pubkey or profile name), the same one for the whole run. */
  node(name: string): NodeMetrics;
  /** Stops serving (idempotent). */
  close(): Promise<void>;
}

export async function startMetrics(listen: MetricsListen, opts: MetricsOptions = {}): Promise<MetricsRun> {
  const metrics = await createMetrics(opts);
  const server = await startMetricsServer(listen, metrics);
  return {
    metrics,
    server,
    node: (name) => metrics.node(name),
    close: () => server.close(),
  };
}
