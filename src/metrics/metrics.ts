/**
 * The metrics of one run: a prom-client Registry of its own (never the
 * library's global default registry) with the htlc_tail_* families
 * (families.ts) and prom-client's default process metrics, and one
 * NodeMetrics per node. prom-client is loaded here, lazily, only when a run
 * asks for metrics.
 *
 * One instance lives for the whole run, across reconnects, so counters never
 * go backwards; `node(name)` returns the same NodeMetrics for the same name.
 */
import type * as PromClient from 'prom-client';
import { ChannelLabels } from './channel-labels.js';
import { registerFamilies } from './families.js';
import { DEFAULT_MAX_PAIRS } from './forward-pairs.js';
import { NodeMetrics, type SettleHistogram } from './node-metrics.js';

export interface MetricsOptions {
  /** prom-client's default process metrics (process_*, nodejs_*); default true. */
  readonly processMetrics?: boolean;
  /** Channel-label bound per node (see channel-labels.ts); tests lower it. */
  readonly maxUnlistedChannels?: { readonly withBook: number; readonly withoutBook: number };
  /** Channel-pair bound per node (see forward-pairs.ts); tests lower it. */
  readonly maxChannelPairs?: number;
}

export class HtlcMetrics {
  private readonly nodes: NodeMetrics[] = [];
  private readonly settle: SettleHistogram;

  constructor(
    prom: typeof PromClient,
    readonly registry: PromClient.Registry,
    private readonly opts: MetricsOptions = {},
  ) {
    if (opts.processMetrics !== false) prom.collectDefaultMetrics({ register: registry });
    this.settle = registerFamilies(prom, registry, () => this.nodes);
  }

  /** The metrics of node `name` (the `node` label), made on first use. */
  node(name: string): NodeMetrics {
    let n = this.nodes.find((x) => x.node === name);
    if (n === undefined) {
      const labels = this.opts.maxUnlistedChannels
        ? new ChannelLabels(this.opts.maxUnlistedChannels)
        : new ChannelLabels();
      n = new NodeMetrics(name, this.settle, labels, this.opts.maxChannelPairs ?? DEFAULT_MAX_PAIRS);
      this.nodes.push(n);
    }
    return n;
  }

  /** Whether a node of the run has this label. */
  has(name: string): boolean {
    return this.nodes.some((x) => x.node === name);
  }

  /** The Content-Type of `render()`'s text (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition: every family's current values (prom-client's rendering). */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The exposition as text (the same as render(); tests read it). */
  text(): Promise<string> {
    return this.render();
  }
}

/** A run's metrics, with prom-client loaded now (the first call costs its import). */
export async function createMetrics(opts: MetricsOptions = {}): Promise<HtlcMetrics> {
  const prom = await import('prom-client');
  return new HtlcMetrics(prom, new prom.Registry(), opts);
}
