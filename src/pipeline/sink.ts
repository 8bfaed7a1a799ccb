/**
 * What a node's lane feeds besides the output: the history store (`record`,
 * `--record`) and the Prometheus metrics (`--metrics-listen`). A sink sees
 * every event received from its node, whatever the output filters, in the
 * order received, after correlation and alias enrichment (so `ev.corr` and
 * the aliases are set), with gap markers in their place.
 *
 * Call order per node: `subscribed(false)`, then events and `aliases(book)`
 * as they come; on a lost stream `lost(reason)`, then (once re-established)
 * `gap(marker)` and `subscribed(true)`; `close()` once at the end, after the
 * last event.
 *
 * Backpressure: `event` may return false when the sink cannot take more for
 * now (a slow disk); the node's source is then paused until `ready()`
 * resolves, so memory stays bounded.
 */
import type { AliasBook } from '../events/aliases.js';
import type { GapMarker, HtlcEvent } from '../events/model.js';
import type { NodeConnection } from '../transport/node-connection.js';

export interface NodeSink {
  /** Every event received from the node (`subscribed` included); false: full, wait for `ready()`. */
  event(ev: HtlcEvent): boolean | void;
  /** The stream was lost and re-established: events between may be missing. */
  gap(gap: GapMarker): void;
  /** A subscription is established (the first time, and after each reconnect). */
  subscribed(reconnected: boolean): void;
  /** An established stream was lost (its gap follows with the next subscription). */
  lost(reason: string): void;
  /** The node's alias book was loaded or refreshed (channel ids, peer pubkeys and aliases). */
  aliases?(book: AliasBook): void;
  /** Resolves when a sink that returned false from `event` can take more. */
  ready?(): Promise<void>;
  /** The run ends: write what is pending. */
  close(): Promise<void>;
}

/** Makes the sinks of one node (none by default): the commands choose them. */
export type SinkFactory = (node: NodeConnection) => readonly NodeSink[] | Promise<readonly NodeSink[]>;

/** The sinks of several factories together (history and metrics); an undefined factory adds none. */
export function combineSinks(...factories: readonly (SinkFactory | undefined)[]): SinkFactory {
  return async (node) => (await Promise.all(factories.map(async (f) => (f ? await f(node) : [])))).flat();
}
