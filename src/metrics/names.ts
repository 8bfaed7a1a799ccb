/**
 * The metrics of SPEC "Interface version 2 → Metrics": names, help texts,
 * label names and the settle-time buckets, as data. Nothing here loads
 * prom-client.
 */

export type Labels = Record<string, string>;

export interface MetricDef {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
}

const def = (name: string, labelNames: readonly string[], help: string): MetricDef => ({ name, labelNames, help });

export const METRICS = {
  events: def(
    'htlc_tail_events_total',
    ['node', 'event', 'type'],
    "HTLC events received (every event, whatever the output filters), by jsonl event and the event's own event_type",
  ),
  forwards: def(
    'htlc_tail_forwards_total',
    ['node', 'outcome', 'in_channel', 'out_channel'],
    'Forwards by outcome, counted once when the outcome arrives: settled (settle), failed_here (link_fail), failed_downstream (forward_fail)',
  ),
  linkFailures: def(
    'htlc_tail_link_failures_total',
    ['node', 'out_channel', 'wire_failure', 'failure_detail'],
    "link_fail events (this node failed the HTLC), by outgoing channel and lnd's failure codes",
  ),
  feesEarned: def(
    'htlc_tail_fees_earned_msat_total',
    ['node', 'out_channel'],
    'Fees of settled forwards (incoming minus outgoing amount, msat), by outgoing channel',
  ),
  feesMissed: def(
    'htlc_tail_fees_missed_msat_total',
    ['node', 'out_channel'],
    'Fees offered by forwards that failed here (link_fail, msat), by outgoing channel',
  ),
  forwarded: def(
    'htlc_tail_forwarded_msat_total',
    ['node', 'out_channel'],
    'Outgoing amounts of settled forwards (msat), by outgoing channel',
  ),
  settleSeconds: def(
    'htlc_tail_settle_seconds',
    ['node', 'type'],
    "Time from an HTLC's forward event to its settle (lnd's clock), by event_type",
  ),
  inFlight: def(
    'htlc_tail_in_flight',
    ['node', 'type'],
    'HTLCs forwarded and not yet resolved, as this stream saw them since its last (re)subscription',
  ),
  channelInfo: def(
    'htlc_tail_channel_info',
    ['node', 'channel', 'scid', 'peer_pubkey', 'peer_alias'],
    'Always 1: a channel of the node with its short channel id, peer and peer alias (join on node and channel)',
  ),
  streamUp: def('htlc_tail_stream_up', ['node'], "1 while subscribed to the node's HTLC event stream, else 0"),
  reconnects: def(
    'htlc_tail_reconnects_total',
    ['node'],
    'Times the HTLC event stream was re-established after it was lost',
  ),
  gaps: def('htlc_tail_gaps_total', ['node'], 'Gaps: intervals after a lost stream in which events may be missing'),
  lastEvent: def(
    'htlc_tail_last_event_timestamp_seconds',
    ['node'],
    "timestamp_ns of the last HTLC event received (lnd's clock), in Unix seconds",
  ),
} as const;

/** The `outcome` label values of htlc_tail_forwards_total, in the order NodeMetrics keeps them. */
export const OUTCOMES = ['settled', 'failed_here', 'failed_downstream'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Buckets of htlc_tail_settle_seconds, in seconds. A forward to a direct,
 * well-connected peer settles in tens of milliseconds; a typical multi-hop
 * payment in 0.1–2 s; a path through Tor or slow peers in several seconds;
 * hold invoices, stuck peers and HTLCs waiting on a force-close in minutes.
 * So the buckets are dense from 10 ms to 10 s (about ×2–2.5 apart, enough for
 * histogram_quantile to place p50/p90/p99 of normal traffic) and sparse up to
 * 10 minutes, where the question is only "how many took that long". 15
 * buckets (plus +Inf) per node and type keep a scrape small.
 */
export const SETTLE_BUCKETS: readonly number[] = [
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];

/** The channel label of every channel id beyond the cardinality bound (see channel-labels.ts). */
export const OTHER_CHANNEL = 'other';
