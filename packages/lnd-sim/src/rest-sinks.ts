/**
 * The REST face's event streams (rest-server.ts): a chunked HTTP response and
 * a WebSocket as EventSinks, framed as lnd's grpc-gateway and websocket proxy
 * frame them.
 */
import type http from 'node:http';
import type { WebSocket } from 'ws';
import { STATUS_UNKNOWN } from './backend.js';
import { errorLine, httpStatusFromCode, resultLine } from './rest-json.js';
import { SinkBase } from './sink-base.js';
import type { WireHtlcEvent } from './wire-event.js';

export interface RestServerOptions {
  /** Cut every write into HTTP chunks of this many bytes (a list: the sizes in turn, cycling). */
  readonly splitBytes?: number | readonly number[];
  /** Join the lines of one event-loop turn into one write. */
  readonly batch?: boolean;
  /** WebSocket ping interval (default 30 s, as lnd). */
  readonly pingIntervalMs?: number;
}

/** Writes text to the response, with the test framing options. */
class ChunkWriter {
  private pending = '';
  private scheduled = false;
  private sizeIndex = 0;

  constructor(
    private readonly res: http.ServerResponse,
    private readonly opts: RestServerOptions,
  ) {}

  write(text: string): boolean {
    if (this.opts.batch) {
      this.pending += text;
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
      return this.pending.length < 256 * 1024;
    }
    return this.out(text);
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending === '') return;
    const t = this.pending;
    this.pending = '';
    this.out(t);
  }

  private out(text: string): boolean {
    if (this.res.destroyed || this.res.writableEnded) return false;
    const sizes =
      this.opts.splitBytes === undefined
        ? []
        : typeof this.opts.splitBytes === 'number'
          ? [this.opts.splitBytes]
          : this.opts.splitBytes;
    if (sizes.length === 0 || sizes.some((n) => !(n > 0))) return this.res.write(text);
    const buf = Buffer.from(text, 'utf8');
    let ok = true;
    for (let i = 0; i < buf.length;) {
      const n = sizes[this.sizeIndex++ % sizes.length]!;
      ok = this.res.write(buf.subarray(i, i + n));
      i += n;
    }
    return ok;
  }
}

/** A chunked HTTP response as an EventSink. */
export class HttpSink extends SinkBase {
  private readonly out: ChunkWriter;

  constructor(
    private readonly res: http.ServerResponse,
    opts: RestServerOptions,
  ) {
    super();
    this.out = new ChunkWriter(res, opts);
    res.on('close', () => this.markClosed());
  }

  private head(status: number): void {
    if (!this.res.headersSent)
      this.res.writeHead(status, {
        'Content-Type': 'application/json',
        'Grpc-Metadata-Content-Type': 'application/grpc',
      });
  }

  send(event: WireHtlcEvent): boolean {
    if (this.closed) return false;
    this.head(200);
    return this.out.write(resultLine(event) + '\n');
  }

  waitDrain(): Promise<void> {
    return this.until(this.res, 'drain');
  }

  fail(message: string, code = STATUS_UNKNOWN): void {
    if (this.closed) return;
    // Before the first message, grpc-gateway sets the HTTP status from the code.
    this.head(httpStatusFromCode(code));
    this.out.write(errorLine(code, message) + '\n');
    this.finish();
  }

  end(): void {
    if (this.closed) return;
    this.head(200);
    this.finish();
  }

  private finish(): void {
    this.out.flush();
    this.res.end();
    this.markClosed();
  }
}

/** A WebSocket as an EventSink, framed like lnd's websocket proxy. */
export class WsSink extends SinkBase {
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(private readonly ws: WebSocket) {
    super();
    ws.on('close', () => this.markClosed());
  }

  private frame(text: string): void {
    this.lastWrite = new Promise((r) => this.ws.send(text, () => r()));
  }

  send(event: WireHtlcEvent): boolean {
    if (this.closed) return false;
    this.frame(resultLine(event));
    return this.ws.bufferedAmount < 256 * 1024;
  }

  waitDrain(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return Promise.race([this.lastWrite, this.done]);
  }

  fail(message: string, code = STATUS_UNKNOWN): void {
    if (this.closed) return;
    this.frame(errorLine(code, message));
    this.drop();
  }

  end(): void {
    if (this.closed) return;
    this.drop();
  }

  /** lnd's proxy closes the connection without a close frame once the stream is over. */
  private drop(): void {
    this.markClosed();
    void this.lastWrite.then(() => this.ws.terminate());
  }
}
