/**
 * The output writer: lines in, batched writes to a stream out.
 *
 * Lines are joined and written once per turn of the event loop (setImmediate),
 * or at once when the batch grows past BATCH_BYTES, so a busy stream costs one
 * write syscall per batch while a quiet one never holds a line back. When the
 * stream's buffer is full, `write` returns false and `onDrain` callbacks run
 * once it drains: the source pauses reading meanwhile (backpressure), so
 * memory stays bounded. A closed pipe (EPIPE) is reported once via `onClosed`.
 * The writer knows what the stream has not taken yet (`pending`) and counts
 * the batches it took (`progress`), so a shutdown can tell a slow reader
 * from one that stopped reading.
 */
import type { Writable } from 'node:stream';

const BATCH_BYTES = 64 * 1024;

export interface LineWriter {
  /** Queues one line (without newline). Returns false when the caller should pause until drained. */
  write(line: string): boolean;
  /** Registers a callback for when the output can take more again. */
  onDrain(cb: () => void): void;
  /** Resolves once everything queued has been handed to the stream and the stream has taken it. */
  flush(): Promise<void>;
  readonly closed: boolean;
  /** Lines and bytes written but not yet taken by the stream (batched, or in the stream's buffer). */
  pending(): { lines: number; bytes: number };
  /** Grows each time the stream has taken a batch. */
  readonly progress: number;
}

export function createLineWriter(out: Writable, onClosed: () => void): LineWriter {
  let batch = '';
  let batchLines = 0;
  let scheduled = false;
  let blocked = false;
  let closed = false;
  let progress = 0;
  const drainCbs: Array<() => void> = [];
  /** Batches handed to the stream and not yet taken, oldest first (write callbacks come in order). */
  const inFlight: Array<{ readonly chunk: string; readonly lines: number }> = [];
  const taken = (): void => {
    inFlight.shift();
    progress++;
  };

  // EPIPE (the reader went away, e.g. `| head`) and any other write error end
  // the output the same way: quietly, and the tail stops.
  out.on('error', () => {
    if (closed) return;
    closed = true;
    batch = '';
    batchLines = 0;
    onClosed();
    // Nothing will drain any more: release whoever waits for it (a flush, a paused source).
    for (const cb of drainCbs.splice(0)) cb();
  });
  out.on('drain', () => {
    blocked = false;
    const cbs = drainCbs.splice(0);
    for (const cb of cbs) cb();
  });

  const flushNow = (): void => {
    scheduled = false;
    if (closed || batch === '') return;
    const chunk = batch;
    inFlight.push({ chunk, lines: batchLines });
    batch = '';
    batchLines = 0;
    if (!out.write(chunk, taken)) blocked = true;
  };

  return {
    write(line: string): boolean {
      if (closed) return true;
      batch += line + '\n';
      batchLines++;
      if (batch.length >= BATCH_BYTES) flushNow();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flushNow);
      }
      return !blocked;
    },
    onDrain(cb) {
      if (!blocked) queueMicrotask(cb);
      else drainCbs.push(cb);
    },
    flush() {
      flushNow();
      if (closed || !blocked) {
        return new Promise((resolve) => out.write('', () => resolve()));
      }
      return new Promise((resolve) => drainCbs.push(() => resolve()));
    },
    get closed() {
      return closed;
    },
    pending() {
      let lines = batchLines;
      let bytes = Buffer.byteLength(batch);
      for (const f of inFlight) {
        lines += f.lines;
        bytes += Buffer.byteLength(f.chunk);
      }
      return { lines, bytes };
    },
    get progress() {
      return progress;
    },
  };
}
