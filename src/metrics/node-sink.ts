/**
 * One node's metrics sink (pipeline/sink.ts's NodeSink): the pipeline's calls
 * for the node, onto its NodeMetrics, under the node's label.
 *
 * The `node` label (SPEC: the node's pubkey or profile name) is the profile
 * name when the node has one; else the identity pubkey from GetInfo; else
 * (GetInfo not permitted or failing once lnd is up) its `host:port`. GetInfo
 * is asked at the first subscription (lnd is up then, so the answer does not
 * depend on whether lnd was up when htlc-tail started). Until it answers:
 *
 * - the stream state (stream_up, reconnects, gaps) is exposed under the
 *   node's `host:port`, so a node that htlc-tail cannot reach from the start
 *   shows as down; it moves to the pubkey label with the answer;
 * - events and gaps wait here, in order (GetInfo answers in milliseconds;
 *   with alias lookups on, the pipeline holds the first events longer than
 *   that anyway), and are counted under the final label. Should more than
 *   MAX_WAITING arrive first, the label stays `host:port`.
 */
import type { AliasBook } from '../events/aliases.js';
import type { GapMarker, HtlcEvent } from '../events/model.js';
import type { NodeSink } from '../pipeline/sink.js';
import type { NodeIdentity } from '../transport/node-connection.js';
import type { HtlcMetrics } from './metrics.js';
import type { NodeMetrics } from './node-metrics.js';

/** Events waiting for the node's label beyond this many: the label stays host:port. */
export const MAX_WAITING = 50_000;

/** What the sink needs of the node's connection. */
export interface NamedNode {
  /** The profile name, or null. */
  readonly profile: string | null;
  /** `host:port` dialed. */
  readonly address: string;
  identity(): Promise<NodeIdentity>;
}

/** The label a node's identity gives: profile name, else pubkey, else host:port. */
export const labelOf = (id: NodeIdentity): string => id.name ?? id.pubkey ?? id.identity;

export class MetricsNodeSink implements NodeSink {
  readonly metrics: NodeMetrics;
  /** Events and gaps waiting for the label; undefined once it is known. */
  private waiting: Array<HtlcEvent | GapMarker> | undefined;
  private asked = false;

  constructor(
    private readonly run: HtlcMetrics,
    private readonly node: NamedNode,
  ) {
    const final = node.profile ?? undefined;
    this.metrics = run.node(final ?? this.unique(node.address));
    if (final === undefined) this.waiting = [];
  }

  event(ev: HtlcEvent): void {
    const w = this.waiting;
    if (w === undefined) {
      this.metrics.event(ev);
      return;
    }
    w.push(ev);
    if (w.length >= MAX_WAITING) this.settle(undefined);
  }

  gap(g: GapMarker): void {
    if (this.waiting) this.waiting.push(g);
    else this.metrics.gap();
  }

  subscribed(reconnected: boolean): void {
    this.metrics.subscribed(reconnected);
    if (this.waiting === undefined || this.asked) return;
    this.asked = true;
    this.node.identity().then(
      (id) => this.settle(labelOf(id)),
      () => this.settle(undefined),
    );
  }

  lost(): void {
    this.metrics.streamLost();
  }

  aliases(book: AliasBook): void {
    this.metrics.setAliases(book);
  }

  /** Counts what waited (the run ends: under the label known so far). */
  close(): Promise<void> {
    this.settle(undefined);
    return Promise.resolve();
  }

  /** The label is known (undefined: keep host:port); what waited is counted now. */
  private settle(label: string | undefined): void {
    const w = this.waiting;
    if (w === undefined) return;
    this.waiting = undefined;
    if (label !== undefined && label !== this.metrics.node) this.metrics.rename(this.unique(label));
    for (const item of w) {
      if (item.event === 'gap') this.metrics.gap();
      else this.metrics.event(item);
    }
  }

  /** `label`, or (two nodes of the run with the same identity) the label with `@host:port`, numbered if need be. */
  private unique(label: string): string {
    if (!this.run.has(label)) return label;
    const at = `${label}@${this.node.address}`;
    let candidate = at;
    for (let i = 2; this.run.has(candidate); i++) candidate = `${at}#${i}`;
    return candidate;
  }
}
