/**
 * `--metrics-listen`'s part of tail, record and demo: nothing without the
 * option; with it, the address is bound before anything connects (exit 3
 * naming it when it cannot be), and prom-client is loaded only then.
 */
import type { MetricsListen } from '../config/metrics-listen.js';
import type { MetricsSinks } from '../metrics/index.js';

export async function startMetricsIfAsked(listen: MetricsListen | undefined): Promise<MetricsSinks | undefined> {
  return listen ? (await import('../metrics/index.js')).startMetricsSinks(listen) : undefined;
}
