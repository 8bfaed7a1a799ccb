/**
 * One node's metrics sink (pipeline/sink.ts's NodeSink): the pipeline's calls
 * for the node, onto its NodeMetrics, under the node's label.
 *
 * The `node` label (SPEC: the node's pubkey or profile name) is the profile
 * name when the node has one; else the identity pubkey from GetInfo; else
 * (GetInfo not permitted or failing once lnd is up) its `host:port`. GetInfo
 * is asked at the first subscription (lnd is up then, so the answer does not
 * depend on whether lnd was up when htlc-tail started). Until it answers,
 * everything counts under the node's `host:port` (so a node htlc-tail cannot
 * reach from the start shows as down); with the answer every series moves to
 * the pubkey label, its value with it (NodeMetrics.rename), so each event is
 * counted once (settle times are observed once the label is known, so a
 * scrape in between shows none under host:port). Events are never held here:
 * holding the first thousands of a busy stream until GetInfo answered kept
 * them alive long enough to be promoted to the old generation, which cost
 * more CPU than the metrics did.
 */
import type { AliasBook } from '../events/aliases.js';
import type { HtlcEvent } from '../events/model.js';
import type { NodeSink } from '../pipeline/sink.js';
import { labelOf, type NodeIdentity } from '../transport/node-connection.js';
import type { HtlcMetrics } from './metrics.js';
import type { NodeMetrics } from './node-metrics.js';

/** What the sink needs of the node's connection. */
export interface NamedNode {
  /** The profile name, or null. */
  readonly profile: string | null;
  /** `host:port` dialed. */
  readonly address: string;
  identity(): Promise<NodeIdentity>;
}

export class MetricsNodeSink implements NodeSink {
  readonly metrics: NodeMetrics;
  /** GetInfo is to be asked (no profile name), once. */
  private ask: boolean;

  constructor(
    private readonly run: HtlcMetrics,
    private readonly node: NamedNode,
  ) {
    this.metrics = run.node(node.profile ?? this.unique(node.address));
    this.ask = node.profile === null;
    if (this.ask) this.metrics.holdSettles();
  }

  event(ev: HtlcEvent): void {
    this.metrics.event(ev);
  }

  gap(): void {
    this.metrics.gap();
  }

  subscribed(reconnected: boolean): void {
    this.metrics.subscribed(reconnected);
    if (!this.ask) return;
    this.ask = false;
    this.node.identity().then(
      (id) => this.label(labelOf(id)),
      () => undefined, // identity() does not reject; host:port stays
    );
  }

  lost(): void {
    this.metrics.streamLost();
  }

  aliases(book: AliasBook): void {
    this.metrics.setAliases(book);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The node's label is known: every series moves to it. */
  private label(label: string): void {
    if (label !== this.metrics.node) this.metrics.rename(this.unique(label));
    else this.metrics.releaseSettles();
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
