/**
 * gRPC's length-prefixed messages out of an HTTP/2 DATA byte stream: each
 * message is a 1-byte compressed flag, a 4-byte big-endian length, then the
 * bytes. DATA chunks may hold many messages or a part of one.
 *
 * A message that lies inside one chunk is returned as a view of that chunk
 * (no copy); only a message split across chunks is copied together. Pure: no
 * I/O; the stream feeds chunks in and takes messages out when it wants them
 * (so pausing just stops taking).
 */

export class GrpcFrameError extends Error {
  override name = 'GrpcFrameError';
}

export class GrpcFrameReader {
  private chunks: Buffer[] = [];
  /** Read position in chunks[0]. */
  private pos = 0;
  private bytes = 0;

  constructor(private readonly maxMessageBytes: number) {}

  /** Bytes held that are not yet returned as messages. */
  get pendingBytes(): number {
    return this.bytes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  /**
   * The next complete message, or undefined when more bytes are needed.
   * Throws a GrpcFrameError for a compressed message (none was asked for) or
   * one longer than the limit.
   */
  next(): Buffer | undefined {
    if (this.bytes < 5) return undefined;
    const first = this.chunks[0]!;
    let flag: number;
    let len: number;
    if (first.length - this.pos >= 5) {
      flag = first[this.pos]!;
      len = first.readUInt32BE(this.pos + 1);
    } else {
      const head = this.peek(5);
      flag = head[0]!;
      len = head.readUInt32BE(1);
    }
    if (flag !== 0) {
      throw new GrpcFrameError(
        flag === 1 ? 'lnd sent a compressed message, which was not asked for' : `bad message flag ${flag}`,
      );
    }
    if (len > this.maxMessageBytes) {
      throw new GrpcFrameError(`a message of ${len} bytes, more than the ${this.maxMessageBytes} allowed`);
    }
    if (this.bytes < 5 + len) return undefined;
    if (first.length - this.pos >= 5 + len) {
      const start = this.pos + 5;
      const msg = first.subarray(start, start + len);
      this.consume(5 + len);
      return msg;
    }
    const all = this.peek(5 + len);
    this.consume(5 + len);
    return all.subarray(5);
  }

  /** A copy of the next n bytes (n ≤ bytes held), spanning chunks. */
  private peek(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let pos = this.pos;
    for (const c of this.chunks) {
      const take = Math.min(c.length - pos, n - filled);
      c.copy(out, filled, pos, pos + take);
      filled += take;
      pos = 0;
      if (filled === n) break;
    }
    return out;
  }

  private consume(n: number): void {
    this.bytes -= n;
    while (n > 0) {
      const c = this.chunks[0]!;
      const left = c.length - this.pos;
      if (n < left) {
        this.pos += n;
        return;
      }
      n -= left;
      this.chunks.shift();
      this.pos = 0;
    }
  }
}
