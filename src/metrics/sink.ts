/**
 * What the pipeline calls for one node's metrics (types only: importing this
 * loads nothing, so the pipeline can name it without loading prom-client).
 *
 * Call order, per node (the session and the pipeline already have each hook):
 * - `subscribed(false)` when the first subscription is established, then
 *   `subscribed(true)` after each reconnect (the session's onSubscribed);
 * - `streamLost()` when the stream is lost (before the reconnect attempts);
 * - `gap(...)` for each gap line (the session's onGap, before the
 *   `subscribed(true)` that follows it);
 * - `event(ev)` for every event received, after `Correlator.apply(ev)` (it
 *   reads `ev.corr`) and before the output filters (metrics count every event).
 * - `setAliases(book)` once the alias book exists (it feeds
 *   htlc_tail_channel_info and the channel-label bound).
 */
import type { AliasBook } from '../events/aliases.js';
import type { HtlcEvent } from '../events/model.js';

export interface MetricsSink {
  event(ev: HtlcEvent): void;
  gap(fromMs: number, toMs: number, reason: string): void;
  subscribed(reconnected: boolean): void;
  streamLost(): void;
  setAliases(book: AliasBook | undefined): void;
}
