/**
 * The metrics of one run: one NodeMetrics per node, the htlc_tail_* families
 * rendered from them (render.ts), and a prom-client Registry of its own (never
 * the library's global default registry) with prom-client's default process
 * metrics. prom-client is loaded here, lazily, only when a run asks for metrics.
 *
 * One instance lives for the whole run, across reconnects, so counters never
 * go backwards; `node(name)` returns the same NodeMetrics for the same name.
 */
import type * as PromClient from 'prom-client';
import { ChannelLabels } from './channel-labels.js';
import { DEFAULT_MAX_PAIRS } from './forward-pairs.js';
import { NodeMetrics } from './node-metrics.js';
import { ExpositionWriter } from './exposition.js';
import { renderFamilies } from './render.js';

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
  private readonly byName = new Map<string, NodeMetrics>();
  /** The last exposition's size: the next one's buffer starts that big. */
  private lastSize = 0;

  constructor(
    prom: typeof PromClient,
    readonly registry: PromClient.Registry,
    private readonly opts: MetricsOptions = {},
  ) {
    if (opts.processMetrics !== false) prom.collectDefaultMetrics({ register: registry });
  }

  /** The sink for node `name` (its pubkey or profile name: the `node` label), made on first use. */
  node(name: string): NodeMetrics {
    let n = this.byName.get(name);
    if (n === undefined) {
      const labels = this.opts.maxUnlistedChannels ? new ChannelLabels(this.opts.maxUnlistedChannels) : new ChannelLabels();
      n = new NodeMetrics(name, labels, this.opts.maxChannelPairs ?? DEFAULT_MAX_PAIRS);
      this.byName.set(name, n);
      this.nodes.push(n);
    }
    return n;
  }

  /** The Content-Type of `render()`'s text (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The exposition, UTF-8: every family's current values (ours, taken at one
   * instant, then the registry's process metrics).
   */
  async render(): Promise<Buffer> {
    const w = renderFamilies(this.nodes, new ExpositionWriter(this.lastSize + 4096));
    w.text(await this.registry.metrics());
    const out = w.end();
    this.lastSize = out.length;
    return out;
  }

  /** The exposition as text. */
  async text(): Promise<string> {
    return (await this.render()).toString('utf8');
  }
}

/** A run's metrics, with prom-client loaded now (the first call costs its import). */
export async function createMetrics(opts: MetricsOptions = {}): Promise<HtlcMetrics> {
  const prom = await import('prom-client');
  return new HtlcMetrics(prom, new prom.Registry(), opts);
}
