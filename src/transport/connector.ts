/**
 * A transport as the session loop (session.ts) drives it: probe the node,
 * open one subscription, and say what a final status means. The gRPC
 * connector is grpc/connector.ts; REST and WebSocket are rest/connector.ts.
 */
import type { Classified } from './classify.js';
import type { StreamStatus } from './status.js';
import type { HtlcStream, StreamHandlers } from './stream.js';
import type { TargetSource } from './target-source.js';

/** One subscription attempt of a transport. */
export interface StreamConnection {
  readonly stream: HtlcStream;
  /** Releases the connection (called after the stream ended, and on stop). */
  close(): void;
}

export interface StreamConnector {
  /** `host:port`, for notices. */
  readonly address: string;
  /** The node's target; the session re-reads its files before each reconnect attempt. */
  readonly target: TargetSource;
  /** Before each attempt: can the node be reached (TCP + TLS)? Throws a ProbeError (or another HtlcTailError) when not, ProbeAborted once `signal` aborts. */
  probe(signal: AbortSignal): Promise<void>;
  /** Opens one subscription on `target.current`; `handlers.onEnd` is called exactly once. */
  subscribe(handlers: StreamHandlers): StreamConnection;
  /**
   * What a final status means: exit code, message, whether waiting or
   * reconnecting can fix it. `answered`: lnd had accepted the call (onHeaders).
   */
  classify(status: StreamStatus, answered: boolean): Classified;
}
