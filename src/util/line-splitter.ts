/**
 * Splits a byte stream into lines, incrementally: a line may span any number
 * of chunks (even a multi-byte UTF-8 character may be cut in two), and one
 * chunk may hold many lines. Lines are delivered without their `\n` and
 * without one trailing `\r` (CRLF). Used for lnd's REST stream (one JSON
 * message per line) and for `replay` (a capture file or stdin).
 *
 * Fast on big inputs: per chunk, the complete part is decoded in pieces of
 * whole lines (as latin1 when pure ASCII) and split, and only the unfinished
 * last line is kept as bytes. Memory is bounded: a line longer than
 * `maxLineBytes` is dropped (reported through `onTooLong`) instead of growing
 * the buffer without end.
 */
import { isAscii } from 'node:buffer';

/** Return false to stop: no further lines are delivered (for this chunk or any later one). */
export type LineHandler = (line: string) => boolean | void;

export interface LineSplitterOptions {
  /** Longest line kept, in bytes (default 16 MiB). */
  readonly maxLineBytes?: number;
  /** Called once per line that was too long, when that line ends (its bytes are not kept). Return false to stop. */
  readonly onTooLong?: (bytes: number) => boolean | void;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const NL = 0x0a;

/**
 * Complete lines are decoded in pieces of about this many bytes, ending at a
 * newline. Small enough that the text of a piece, even as UTF-16, stays below
 * V8's large-object size (128 KiB): a string beyond it is allocated in its own
 * mapped pages and costs far more than its decoding (about 20× at 256 KiB).
 */
export const PIECE_BYTES = 32 * 1024;

/**
 * UTF-8 bytes [from, to) as text. Pure ASCII (the usual capture or REST
 * stream) is decoded as latin1, the same text for ASCII and cheaper than the
 * UTF-8 decoder; anything else as UTF-8 (invalid sequences become U+FFFD).
 * Callers cut only at newlines, never inside a character.
 */
function decode(buf: Buffer, from: number, to: number): string {
  return buf.toString(isAscii(buf.subarray(from, to)) ? 'latin1' : 'utf8', from, to);
}

export class LineSplitter {
  private rest: Buffer[] = [];
  private restBytes = 0;
  /** Bytes of the current too-long line seen so far (-1: not discarding). */
  private discarding = -1;
  private stopped = false;
  private readonly max: number;

  constructor(
    private readonly onLine: LineHandler,
    private readonly opts: LineSplitterOptions = {},
  ) {
    this.max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** True once a handler returned false: nothing more is delivered. */
  get closed(): boolean {
    return this.stopped;
  }

  /** Bytes of an unfinished last line held now. */
  get pendingBytes(): number {
    return this.restBytes;
  }

  push(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    if (this.discarding >= 0) {
      const nl = buf.indexOf(NL);
      if (nl < 0) {
        this.discarding += buf.length;
        return;
      }
      const bytes = this.discarding + nl;
      this.discarding = -1;
      if (this.opts.onTooLong?.(bytes) === false) {
        this.stopped = true;
        return;
      }
      start = nl + 1;
    }
    const last = buf.lastIndexOf(NL);
    if (last < start) {
      this.keep(buf, start);
      return;
    }
    if (this.restBytes > 0) {
      // The line begun in earlier chunks ends at the first newline of this one.
      const nl = buf.indexOf(NL, start);
      this.rest.push(buf.subarray(start, nl));
      const line = decode(Buffer.concat(this.rest, this.restBytes + nl - start), 0, this.restBytes + nl - start);
      this.rest = [];
      this.restBytes = 0;
      if (!this.emit(line)) return;
      start = nl + 1;
    }
    // The complete lines [start, last], decoded a piece of whole lines at a time.
    let pos = start;
    while (pos <= last) {
      let end = pos + PIECE_BYTES > last ? last : buf.lastIndexOf(NL, pos + PIECE_BYTES - 1);
      if (end < pos) end = buf.indexOf(NL, pos); // one line longer than a piece
      this.deliver(decode(buf, pos, end));
      if (this.stopped) return;
      pos = end + 1;
    }
    this.keep(buf, last + 1);
  }

  /** The end of the input: an unfinished last line (no final newline) is delivered. */
  end(): void {
    if (this.stopped) return;
    if (this.discarding >= 0) {
      const bytes = this.discarding;
      this.discarding = -1;
      if (this.opts.onTooLong?.(bytes) === false) this.stopped = true;
      return;
    }
    if (this.restBytes === 0) return;
    const text = decode(Buffer.concat(this.rest, this.restBytes), 0, this.restBytes);
    this.rest = [];
    this.restBytes = 0;
    this.emit(text);
  }

  /** Stops delivering lines and drops what is held. */
  close(): void {
    this.stopped = true;
    this.rest = [];
    this.restBytes = 0;
  }

  private keep(buf: Buffer, from: number): void {
    const n = buf.length - from;
    if (n <= 0) return;
    if (this.restBytes + n > this.max) {
      this.discarding = this.restBytes + n;
      this.rest = [];
      this.restBytes = 0;
      return;
    }
    // A copy: the caller may reuse its chunk's memory.
    this.rest.push(Buffer.from(buf.subarray(from)));
    this.restBytes += n;
  }

  /** Delivers the lines of a text that ended at a newline. */
  private deliver(text: string): void {
    let pos = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      const line = nl < 0 ? text.slice(pos) : text.slice(pos, nl);
      if (!this.emit(line)) return;
      if (nl < 0) return;
      pos = nl + 1;
    }
  }

  private emit(line: string): boolean {
    const l = line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    if (this.onLine(l) === false) {
      this.close();
      return false;
    }
    return true;
  }
}
