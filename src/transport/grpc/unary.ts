/**
 * gRPC unary calls over node:http2, with the stream's framing and statuses
 * (frames.ts, h2-status.ts) on a connection of its own, opened through
 * dial.ts on the first call and reused; a lost connection is opened again by
 * the next call. Each call has a deadline (sent as grpc-timeout too); its
 * failures reject with a CallFailure (a CallStatus): lnd's status (trailers or a
 * trailers-only answer), DEADLINE_EXCEEDED, or UNAVAILABLE when there is no
 * connection (worded as grpc-js words it, so messages read as before).
 *
 * close() lets the calls in flight finish (bounded by their deadline), then
 * closes the connection; calls after close() fail as CANCELLED. An idle
 * connection does not keep the process alive.
 */
import http2 from 'node:http2';
import { DialError } from '../dial.js';
import { CallFailure, GrpcCode, type CallStatus, type StreamStatus } from '../status.js';
import type { LndTarget } from '../target.js';
import { GrpcFrameReader } from './frames.js';
import { connectH2, grpcFrame, grpcRequestHeaders } from './h2-connect.js';
import { codeForReset, errorText, statusOfHeaders, statusOfNonGrpcResponse } from './h2-status.js';

const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** One HTTP/2 connection and its state. */
interface Link {
  readonly session: http2.ClientHttp2Session;
  /** TLS and HTTP/2 came up: a failure now is a lost connection, not a failed one. */
  up: boolean;
  /** The error that ended it, if one did. */
  error?: unknown;
}

/** A call's path and its encoded request (or a promise of them, e.g. while the protos load). */
export interface UnaryRequest {
  readonly path: string;
  readonly body: Uint8Array;
}

export class GrpcUnaryClient {
  private link: Link | undefined;
  private opening: Promise<Link> | undefined;
  private closing = false;
  private inFlight = 0;

  constructor(
    private readonly target: LndTarget,
    private readonly timeoutMs: number = target.connectTimeoutMs,
  ) {}

  /**
   * Makes the call; resolves with the answer's bytes. It counts as in flight
   * from now (close() waits for it), while the request is still being
   * prepared and the connection opened, both at once.
   */
  call(request: UnaryRequest | Promise<UnaryRequest>, withMacaroon = true): Promise<Buffer> {
    if (this.closing) return Promise.reject<Buffer>(new CallFailure(GrpcCode.CANCELLED, 'the tail is ending'));
    this.inFlight++;
    this.link?.session.ref();
    return new Promise<Buffer>((resolve, reject) => {
      let req: http2.ClientHttp2Stream | undefined;
      let settled = false;
      const done = (status: CallStatus | undefined, answer?: Buffer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        this.inFlight--;
        this.idle();
        if (status) reject(new CallFailure(status.code, status.details));
        else resolve(answer!);
      };
      const deadline = setTimeout(() => {
        done({ code: GrpcCode.DEADLINE_EXCEEDED, details: 'Deadline exceeded' });
        req?.close(http2.constants.NGHTTP2_CANCEL);
      }, this.timeoutMs);
      const opened = this.open();
      opened.catch(() => undefined); // reported below, once the request is ready
      Promise.resolve(request).then(
        (r) =>
          opened.then(
            (link) => {
              if (!settled) req = this.request(link, r.path, r.body, withMacaroon, done);
            },
            (e: unknown) =>
              done({ code: GrpcCode.UNAVAILABLE, details: `No connection established. Last error: ${failureText(e)}` }),
          ),
        (e: unknown) =>
          done({ code: GrpcCode.INTERNAL, details: `the request cannot be encoded (${(e as Error).message})` }),
      );
    });
  }

  close(): void {
    this.closing = true;
    this.idle();
  }

  /** The connection, opened when there is none (or it was lost). */
  private open(): Promise<Link> {
    const l = this.link;
    if (l && !l.session.destroyed && !l.session.closed) return Promise.resolve(l);
    this.opening ??= connectH2(this.target, { timeoutMs: this.timeoutMs }).then(
      (session) => {
        const link: Link = { session, up: false };
        session.once('connect', () => (link.up = true));
        session.on('error', (e: Error) => (link.error ??= e));
        const forget = () => {
          if (this.link === link) this.link = undefined;
        };
        session.once('close', forget);
        session.once('goaway', forget);
        this.link = link;
        this.opening = undefined;
        if (this.closing && this.inFlight === 0) session.destroy();
        return link;
      },
      (e: unknown) => {
        this.opening = undefined;
        throw e;
      },
    );
    return this.opening;
  }

  private request(
    link: Link,
    path: string,
    body: Uint8Array,
    withMacaroon: boolean,
    done: (s: CallStatus | undefined, answer?: Buffer) => void,
  ): http2.ClientHttp2Stream {
    const gone = () => link.session.destroyed || link.session.closed;
    const headers = { ...grpcRequestHeaders(this.target, path, withMacaroon), 'grpc-timeout': `${this.timeoutMs}m` };
    const req = link.session.request(headers);
    req.end(grpcFrame(body));
    const frames = new GrpcFrameReader(MAX_MESSAGE_BYTES);
    let status: StreamStatus | undefined;
    const lost = (e: unknown): StreamStatus => {
      const text = errorText(link.error ?? e);
      return {
        code: GrpcCode.UNAVAILABLE,
        details: link.up ? `connection lost: ${text}` : `No connection established. Last error: ${text}`,
      };
    };
    req.on('response', (h) => {
      status = statusOfHeaders(h);
      if (status) return;
      status = statusOfNonGrpcResponse(h);
      if (status) req.close(http2.constants.NGHTTP2_CANCEL);
    });
    req.on('data', (chunk: Buffer) => frames.push(chunk));
    req.on('trailers', (h: http2.IncomingHttpHeaders) => {
      status ??= statusOfHeaders(h) ?? { code: GrpcCode.UNKNOWN, details: 'the call ended without a gRPC status' };
    });
    req.on('error', (e: Error) => {
      const cause = (e as { cause?: unknown }).cause ?? e;
      status ??= gone()
        ? lost(cause)
        : { code: req.rstCode ? codeForReset(req.rstCode) : GrpcCode.UNAVAILABLE, details: errorText(e) };
    });
    req.on('close', () => {
      if (!status) {
        if (gone()) status = lost(link.error ?? new Error('Connection dropped'));
        else if (req.rstCode)
          status = { code: codeForReset(req.rstCode), details: `Received RST_STREAM with code ${req.rstCode}` };
        else status = { code: GrpcCode.UNKNOWN, details: 'the call ended without a gRPC status' };
      }
      if (status.code !== GrpcCode.OK) return done(status);
      let answer: Buffer | undefined;
      try {
        answer = frames.next();
      } catch (e) {
        return done({ code: GrpcCode.INTERNAL, details: (e as Error).message });
      }
      if (answer === undefined) return done({ code: GrpcCode.INTERNAL, details: 'lnd sent no answer message' });
      done(undefined, Buffer.from(answer));
    });
    return req;
  }

  /** No call in flight: the connection may be closed (after close()) and does not keep the process alive. */
  private idle(): void {
    if (this.inFlight > 0) return;
    const l = this.link;
    if (!l) return;
    if (this.closing) {
      this.link = undefined;
      l.session.destroy();
    } else l.session.unref();
  }
}

function failureText(e: unknown): string {
  if (e instanceof DialError) return e.proxy === null ? errorText(e.cause ?? e) : e.message;
  return errorText(e);
}
