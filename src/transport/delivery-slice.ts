/**
 * A bound on how much of a stream one macrotask hands to the pipeline.
 *
 * A busy stream can hold thousands of messages at once (gRPC: Node reads up
 * to the 1 MiB HTTP/2 window from the socket in one go, and a resumed stream
 * gets all it buffered while paused). Delivering them in one synchronous run
 * kept timers (keepalive, summaries, --stop-after), the metrics server's
 * scrapes and signals waiting for hundreds of milliseconds. So a stream takes
 * a turn per message: at most `maxMessages` messages, or `maxMs` of work, per
 * macrotask; then the slice is used up, the stream stops reading (its own
 * pause, which backpressure already uses), and `onContinue` runs in a later
 * macrotask (setImmediate: after the timers and I/O that were waiting). Order
 * is unchanged: the messages wait where they were, in order.
 *
 * The slice is the macrotask's, not one call's: several deliveries in one
 * macrotask (one DATA frame each) share it. It closes at the next
 * setImmediate after its first turn.
 */

/** Messages per macrotask: about 2–5 ms of the flood's jsonl pipeline on this project's bench box. */
export const SLICE_MESSAGES = 1024;
/** Work per macrotask, for slower pipelines (pretty output, history): checked every 64 messages. */
export const SLICE_MS = 5;
const CHECK_EVERY = 64;

export class DeliverySlice {
  /** Turns left in the open slice. */
  private left = 0;
  private deadline = 0;
  private open = false;
  /** The slice was used up with messages left: onContinue runs at its close. */
  private yielded = false;

  constructor(
    private readonly onContinue: () => void,
    private readonly maxMessages: number = SLICE_MESSAGES,
    private readonly maxMs: number = SLICE_MS,
  ) {}

  /** Delivery waits for a later macrotask (the slice was used up). */
  get waiting(): boolean {
    return this.yielded;
  }

  /** One more message may be delivered in this macrotask; false: not now, onContinue will run later. */
  take(): boolean {
    if (!this.open) {
      this.open = true;
      this.left = this.maxMessages;
      this.deadline = performance.now() + this.maxMs;
      setImmediate(this.close);
    }
    if (this.left === 0) {
      this.yielded = true;
      return false;
    }
    this.left--;
    if (this.left % CHECK_EVERY === 0 && performance.now() >= this.deadline) this.left = 0;
    return true;
  }

  private readonly close = (): void => {
    this.open = false;
    if (!this.yielded) return;
    this.yielded = false;
    this.onContinue();
  };
}
