/**
 * The normalized HTLC event model. Every transport (gRPC bytes, REST JSON,
 * a recorded capture) is normalized into this one shape; correlation and
 * alias lookups add to it; formatters read it. It is lossless with respect to
 * lnd's HtlcEvent, so `-f raw` can be written from it.
 *
 * 64-bit values are kept as decimal strings, never as JS numbers.
 */

/** The oneof member's name without `_event`; `unknown` when no member is set. */
export type EventKind = 'forward' | 'forward_fail' | 'settle' | 'link_fail' | 'final_htlc' | 'subscribed' | 'unknown';

export const EVENT_KINDS: readonly EventKind[] = [
  'forward',
  'forward_fail',
  'settle',
  'link_fail',
  'final_htlc',
  'subscribed',
  'unknown',
];

/** lnd's HtlcInfo. Amounts are uint64 decimal strings, timelocks uint32 numbers. */
export interface HtlcInfo {
  readonly incomingTimelock: number;
  readonly outgoingTimelock: number;
  readonly incomingAmtMsat: string;
  readonly outgoingAmtMsat: string;
}

/** What correlation learned from earlier events of the same HTLC in this stream. */
export interface Correlation {
  /** HtlcInfo of the HTLC's first event (a forward or a link_fail), when it had one. */
  readonly info?: HtlcInfo;
  /** event_type of the HTLC's first event (final_htlc events carry UNKNOWN themselves). */
  readonly firstEventType?: number;
  /** timestamp_ns of this event minus that of the HTLC's first event, in ns (decimal string, may be negative). */
  readonly durationNs?: string;
  /** The same kind with the same four ids was seen before in this stream. */
  readonly replayed?: boolean;
}

/**
 * What a capture in htlc-tail's own jsonl recorded about an event's HTLC
 * (replay): the amounts its first event carried, its type, duration_ms and
 * replayed. Correlation then keeps these instead of recomputing them
 * (events/recorded.ts), so a jsonl capture replays as it was written.
 */
export interface RecordedCorrelation {
  readonly info?: HtlcInfo;
  readonly firstEventType?: number;
  readonly durationNs?: string;
  readonly replayed?: boolean;
}

export interface HtlcEvent {
  readonly event: EventKind;
  /** lnd's HtlcEvent.EventType number: 0 UNKNOWN, 1 SEND, 2 RECEIVE, 3 FORWARD (others possible). */
  readonly eventType: number;
  readonly timestampNs: string;
  readonly incomingChannelId: string;
  readonly outgoingChannelId: string;
  readonly incomingHtlcId: string;
  readonly outgoingHtlcId: string;
  /**
   * forward and link_fail: the HtlcInfo, or null when lnd left the message field
   * unset. Absent for every other kind.
   */
  readonly info?: HtlcInfo | null;
  /** settle: the preimage bytes (possibly empty). */
  readonly preimage?: Uint8Array;
  /** link_fail: lnrpc.Failure.FailureCode number. */
  readonly wireFailure?: number;
  /** link_fail: routerrpc.FailureDetail number. */
  readonly failureDetail?: number;
  /** link_fail: lnd's failure text (untrusted, may hold control characters and newlines). */
  readonly failureString?: string;
  /** final_htlc */
  readonly settled?: boolean;
  /** final_htlc */
  readonly offchain?: boolean;

  /** Added by correlation (events/correlate). */
  corr?: Correlation;
  /** Set when read back from htlc-tail's jsonl: what the capture recorded (see RecordedCorrelation). */
  readonly recorded?: RecordedCorrelation;
  /** Added by alias enrichment: the peer alias of each side's channel, when known and non-empty. */
  incomingAlias?: string;
  outgoingAlias?: string;
  /**
   * The node the event came from (its profile name, else its alias), set by
   * that node's lane when a run tails several nodes; absent with one node.
   */
  node?: string;
}

/**
 * A line of output that is not an HTLC event: the stream was lost and
 * re-established, and events between `from` and `to` may be missing.
 */
export interface GapMarker {
  readonly event: 'gap';
  /** Unix ms */
  readonly fromMs: number;
  readonly toMs: number;
  readonly reason: string;
  /** The node whose stream was lost, when a run tails several nodes (see HtlcEvent.node). */
  readonly node?: string;
}

export type OutputItem = HtlcEvent | GapMarker;

export function isGap(item: OutputItem): item is GapMarker {
  return item.event === 'gap';
}
