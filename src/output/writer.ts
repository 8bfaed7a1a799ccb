/**
 * The output writer: lines in, batched writes to a stream out.
 *
 * Lines are collected and written once per turn of the event loop
 * (setImmediate), or at once when the batch reaches BATCH_BYTES, so a busy
 * stream costs one write syscall per batch while a quiet one never holds a
 * line back. When the stream's buffer is full, `write` returns false and
 * `onDrain` callbacks run once it drains: the source pauses reading meanwhile
 * (backpressure), so memory stays bounded. A closed pipe (EPIPE) is reported
 * once via `onClosed`. The writer knows what the stream has not taken yet
 * (`pending`) and counts the batches it took (`progress`), so a shutdown can
 * tell a slow reader from one that stopped reading.
 *
 * Encoding: lines are joined into a string of about JOIN_CHARS, which is
 * encoded to UTF-8 into the batch's buffer. Joining the whole 64 kB batch
 * into one string instead made the default jsonl tail twice as slow on a
 * node whose channel aliases hold an emoji (common on lnd): one such line
 * makes the joined string two-byte, and a 64k-character two-byte string is
 * too large for V8's ordinary heap pages. `bench/micro.mjs` ("lines joined"
 * rows, a third of the lines with an emoji alias): 6.5 µs per line joined
 * 64k at a time, 1.0 µs with this writer; ASCII lines 0.6 and 0.5 µs.
 */
import type { Writable } from 'node:stream';

/** A batch is written when it reaches this many bytes (or at the next turn of the event loop). */
export const BATCH_BYTES = 64 * 1024;
/** Lines are joined into a string this long before it is encoded into the batch. */
const JOIN_CHARS = 8 * 1024;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const UTF8_PER_UNIT = 3;
/** The batch's buffer: a full batch, and room for one more joined string. */
const BUFFER_BYTES = BATCH_BYTES + JOIN_CHARS * UTF8_PER_UNIT;
/** A batch smaller than this is copied out and its buffer kept: a quiet stream allocates no buffer per line. */
const COPY_BELOW = BATCH_BYTES / 4;

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
  /** Lines joined, not encoded yet. */
  let text = '';
  let textLines = 0;
  /** The batch: encoded lines, not handed to the stream yet. */
  let buf: Buffer | undefined;
  let used = 0;
  let bufLines = 0;
  let scheduled = false;
  let blocked = false;
  let closed = false;
  let progress = 0;
  const drainCbs: Array<() => void> = [];
  /** Batches handed to the stream and not yet taken, oldest first (write callbacks come in order). */
  const inFlight: Array<{ readonly bytes: number; readonly lines: number }> = [];
  const taken = (): void => {
    inFlight.shift();
    progress++;
  };

  // EPIPE (the reader went away, e.g. `| head`) and any other write error end
  // the output the same way: quietly, and the tail stops.
  out.on('error', () => {
    if (closed) return;
    closed = true;
    text = '';
    textLines = 0;
    used = 0;
    bufLines = 0;
    onClosed();
    // Nothing will drain any more: release whoever waits for it (a flush, a paused source).
    for (const cb of drainCbs.splice(0)) cb();
  });
  out.on('drain', () => {
    blocked = false;
    const cbs = drainCbs.splice(0);
    for (const cb of cbs) cb();
  });

  /** Hands the batch to the stream. */
  const writeOut = (): void => {
    if (used === 0 || buf === undefined) return;
    let chunk: Buffer;
    if (used < COPY_BELOW) {
      chunk = Buffer.allocUnsafe(used);
      buf.copy(chunk, 0, 0, used);
    } else {
      chunk = buf.subarray(0, used); // the stream keeps it: the next batch gets a new buffer
      buf = undefined;
    }
    inFlight.push({ bytes: used, lines: bufLines });
    used = 0;
    bufLines = 0;
    if (!out.write(chunk, taken)) blocked = true;
  };

  /** Encodes the joined lines into the batch (there is always room: a long line gets a buffer of its own size). */
  const encode = (): void => {
    if (text === '') return;
    const most = text.length * UTF8_PER_UNIT;
    if (buf !== undefined && used + most > buf.length) writeOut();
    buf ??= Buffer.allocUnsafeSlow(Math.max(BUFFER_BYTES, most));
    used += buf.write(text, used);
    bufLines += textLines;
    text = '';
    textLines = 0;
  };

  const flushNow = (): void => {
    scheduled = false;
    if (closed) return;
    encode();
    writeOut();
  };

  return {
    write(line: string): boolean {
      if (closed) return true;
      text += line + '\n';
      textLines++;
      if (text.length >= JOIN_CHARS) {
        encode();
        if (used >= BATCH_BYTES) {
          writeOut();
          return !blocked;
        }
      }
      if (!scheduled) {
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
      let lines = textLines + bufLines;
      let bytes = Buffer.byteLength(text) + used;
      for (const f of inFlight) {
        lines += f.lines;
        bytes += f.bytes;
      }
      return { lines, bytes };
    },
    get progress() {
      return progress;
    },
  };
}
