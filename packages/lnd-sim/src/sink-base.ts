/**
 * The part of an EventSink every transport shares: the `closed` flag and the
 * `done` promise that resolves once, when the client leaves or the stream is
 * ended. Subclasses write the messages and statuses in their framing.
 */
import type { EventSink } from './stream-source.js';
import type { WireHtlcEvent } from './wire-event.js';

export abstract class SinkBase implements EventSink {
  closed = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor() {
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  /** Marks the sink closed; false when it already was. */
  protected markClosed(): boolean {
    if (this.closed) return false;
    this.closed = true;
    this.resolveDone();
    return true;
  }

  /** Resolves on the emitter's next `event`, or when the sink closes. */
  protected until(emitter: { once(event: string, cb: () => void): unknown }, event: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    return Promise.race([new Promise<void>((r) => emitter.once(event, () => r())), this.done]);
  }

  abstract send(event: WireHtlcEvent, encoded?: Buffer): boolean;
  abstract waitDrain(): Promise<void>;
  abstract fail(message: string, code?: number): void;
  abstract end(): void;
}
