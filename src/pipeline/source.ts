/** What the tail reads events from: an lnd session over gRPC, REST or WebSocket. */
export interface EventSource {
  /** Resolves when stopped; rejects with an HtlcTailError when the tail cannot go on. */
  run(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
}
