/**
 * One subscription to lnd's HTLC events as every transport delivers it
 * (gRPC in grpc/, REST and WebSocket in rest/): events in order, signs of
 * life, then exactly one final status after the last event.
 */
import type { HtlcEvent } from '../events/model.js';
import type { StreamStatus } from './status.js';

export interface StreamHandlers {
  /** Called for each event, in order. */
  onEvent(ev: HtlcEvent): void;
  /** lnd answered (response headers): the subscription is accepted so far. */
  onHeaders?(): void;
  /** A sign that the connection is alive (data, a keepalive answer); may be called often. */
  onAlive?(): void;
  /** Called once, after the last event: code 0 for a normal end. */
  onEnd(status: StreamStatus): void;
}

/** Flow control and cancellation of a running subscription. */
export interface HtlcStream {
  /** Stops delivering events and stops reading, so lnd is pushed back on. */
  pause(): void;
  resume(): void;
  /** Ends the subscription: onEnd then gets CANCELLED (once), and no more events. */
  cancel(): void;
}

/** A subscription and the connection it runs on. */
export interface HtlcConnection {
  readonly stream: HtlcStream;
  /** Closes the connection (after the end, or to abandon it). */
  close(): void;
}
