/**
 * The metrics of one run: a prom-client Registry of its own (never the
 * library's global default registry), the htlc_tail_* families and
 * prom-client's default process metrics on it, and one NodeMetrics per node.
 * prom-client is loaded here, lazily, only when a run asks for metrics.
 *
 * One instance lives for the whole run, across reconnects, so counters never
 * go backwards; `node(name)` returns the same NodeMetrics for the same name.
 */
import type * as PromClient from 'prom-client';
import { ChannelLabels } from './channel-labels.js';
import { registerFamilies } from './families.js';
import { NodeMetrics } from './node-metrics.js';

export interface MetricsOptions {
  /** prom-client's default process metrics (process_*, nodejs_*); default true. */
  readonly processMetrics?: boolean;
  /** Channel-label bound per node (see channel-labels.ts); tests lower it. */
  readonly maxUnlistedChannels?: { readonly withBook: number; readonly withoutBook: number };
}

export class HtlcMetrics {
  private readonly nodes: NodeMetrics[] = [];
  private readonly byName = new Map<string, NodeMetrics>();
  private readonly settle: PromClient.Histogram<string>;

  constructor(
    prom: typeof PromClient,
    readonly registry: PromClient.Registry,
    private readonly opts: MetricsOptions = {},
  ) {
    this.settle = registerFamilies(prom, registry, this.nodes);
    if (opts.processMetrics !== false) prom.collectDefaultMetrics({ register: registry });
  }

  /** The sink for node `name` (its pubkey or profile name: the `node` label), made on first use. */
  node(name: string): NodeMetrics {
    let n = this.byName.get(name);
    if (n === undefined) {
      const labels = this.opts.maxUnlistedChannels ? new ChannelLabels(this.opts.maxUnlistedChannels) : new ChannelLabels();
      n = new NodeMetrics(name, this.settle, labels);
      this.byName.set(name, n);
      this.nodes.push(n);
    }
    return n;
  }

  /** The Content-Type of `render()`'s text (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition: every family's current values. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** A run's metrics, with prom-client loaded now (the first call costs its import). */
export async function createMetrics(opts: MetricsOptions = {}): Promise<HtlcMetrics> {
  const prom = await import('prom-client');
  return new HtlcMetrics(prom, new prom.Registry(), opts);
}
