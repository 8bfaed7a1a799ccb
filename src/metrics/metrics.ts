/**
 * The metrics of one run: a prom-client Registry of its own (never the
 * library's global default registry) with the htlc_tail_* families
 * (families.ts) and prom-client's default process metrics, and one
 * NodeMetrics per node. prom-client is loaded here, lazily, only when a run
 * asks for metrics.
 *
 * A scrape (render()) writes the registry's metrics in its order, as
 * prom-client's `registry.metrics()` does: the process metrics by prom-client,
 * the htlc_tail_* families by exposition.ts from their series (the same text,
 * test/metrics/exposition.test.ts; why: exposition.ts), into one buffer.
 *
 * One instance lives for the whole run, across reconnects, so counters never
 * go backwards; `node(name)` returns the same NodeMetrics for the same name.
 */
import type * as PromClient from 'prom-client';
import { ChannelLabels } from './channel-labels.js';
import { ExpositionWriter } from './exposition.js';
import { registerFamilies, type Family } from './families.js';
import { DEFAULT_MAX_PAIRS } from './forward-pairs.js';
import { NodeMetrics } from './node-metrics.js';

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
  /** Our families by name. */
  private readonly families = new Map<string, Family>();
  /** The size of the buffer a scrape starts with: the last body's, and some room to grow. */
  private lastSize = 64 * 1024;

  constructor(
    prom: typeof PromClient,
    readonly registry: PromClient.Registry,
    private readonly opts: MetricsOptions = {},
  ) {
    if (opts.processMetrics !== false) prom.collectDefaultMetrics({ register: registry });
    for (const f of registerFamilies(prom, registry, () => this.nodes)) this.families.set(f.def.name, f);
  }

  /** The metrics of node `name` (the `node` label), made on first use. */
  node(name: string): NodeMetrics {
    let n = this.nodes.find((x) => x.node === name);
    if (n === undefined) {
      const labels = this.opts.maxUnlistedChannels
        ? new ChannelLabels(this.opts.maxUnlistedChannels)
        : new ChannelLabels();
      n = new NodeMetrics(name, labels, this.opts.maxChannelPairs ?? DEFAULT_MAX_PAIRS);
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

  /** The exposition: every family's current values, the bytes of what `registry.metrics()` would write. */
  async render(): Promise<Buffer> {
    const all = this.registry.getMetricsAsArray();
    // prom-client's text of the others (the process metrics), then every family in the registry's order.
    const theirs = await Promise.all(
      all.map((m) => (this.families.has(m.name) ? Promise.resolve('') : this.registry.getSingleMetricAsString(m.name))),
    );
    const w = new ExpositionWriter(this.lastSize);
    all.forEach((m, i) => {
      if (i > 0) w.separator();
      const ours = this.families.get(m.name);
      if (ours) ours.write(w);
      else w.text(theirs[i]!);
    });
    w.end();
    const body = w.bytes();
    this.lastSize = body.length + 64 * 1024;
    return body;
  }

  /** The exposition as text (what render() sends; tests read it). */
  async text(): Promise<string> {
    return (await this.render()).toString('utf8');
  }
}

/** A run's metrics, with prom-client loaded now (the first call costs its import). */
export async function createMetrics(opts: MetricsOptions = {}): Promise<HtlcMetrics> {
  const prom = await import('prom-client');
  return new HtlcMetrics(prom, new prom.Registry(), opts);
}
