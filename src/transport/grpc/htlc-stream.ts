/**
 * routerrpc.Router/SubscribeHtlcEvents over HTTP/2 directly (node:http2):
 * gRPC's framing for one server-streaming call is small, and reading it here
 * keeps grpc-js's per-message layers (filters, promises, buffers) off the hot
 * path. Each message's bytes are normalized straight into the event model
 * (events/decode-wire). The unary calls use the same HTTP/2 code on a
 * connection of their own (unary.ts).
 *
 * A small state machine: connecting (tcp → tls → protocol) → awaiting-headers
 * → streaming → ending → ended. `paused` (backpressure) is orthogonal to it.
 *
 * - TLS as the probe does it (h2-connect.ts); every socket through dial.ts.
 * - Backpressure: pause() stops taking messages and stops reading the HTTP/2
 *   stream, so flow control pushes back on lnd (window: 1 MiB).
 * - Bounded slices (delivery-slice.ts): at most ~1,000 messages or 5 ms of the
 *   pipeline's work per macrotask; then reading stops as for a pause and
 *   delivery goes on after the timers and I/O waiting (metrics scrapes, signals).
 * - Order: the final status (trailers, a reset, a lost connection) is only
 *   reported after every message received before it was delivered, even
 *   while paused (`ending` holds it); nothing lnd sent before an error is
 *   dropped: what Node still buffers for a stream that errors is salvaged.
 *   A status lnd sent in the trailers beats whatever happens to the
 *   connection afterwards, and counts once every DATA byte before it was read.
 * - Keepalive (keepalive.ts): after `timeMs` without data an HTTP/2 PING is
 *   sent; no answer within `timeoutMs` ends the stream as UNAVAILABLE (a
 *   half-open connection). A GOAWAY "too_many_pings" makes the run's policy
 *   ping less often. Every sign of life (SETTINGS, headers, DATA, a PING
 *   answer) is reported through `onAlive`, so a gap can start where the
 *   connection was last alive.
 * - Connecting is bounded: TCP, TLS, lnd's HTTP/2 SETTINGS and the response
 *   headers must all arrive within `connectTimeoutMs` (one timer); otherwise
 *   the stream ends UNAVAILABLE with cause `timeout` naming the step that did
 *   not finish (a peer that completes TLS and then says nothing is not a
 *   subscription).
 * - Statuses are gRPC's (h2-status.ts): grpc-status/grpc-message from the
 *   trailers (or a trailers-only answer); an HTTP status other than 200, a
 *   reset stream and a lost connection are mapped as gRPC's HTTP/2 mapping says.
 *
 * Longer than most files (about 370 lines): the state machine's transitions are read together;
 * framing, statuses, connecting and keepalive are already in files of their own.
 */
import http2 from 'node:http2';
import { decodeHtlcEventWire } from '../../codec/wire/decode-htlc-event.js';
import type { HtlcEvent } from '../../events/model.js';
import { systemClock, type Clock, type Timer } from '../clock.js';
import { DeliverySlice } from '../delivery-slice.js';
import { DialAbortedError, DialError } from '../dial.js';
import { stepTimeoutStatus } from '../reasons.js';
import { GrpcCode, type StreamStatus } from '../status.js';
import type { HtlcConnection, StreamHandlers } from '../stream.js';
import { addressOf, type LndTarget } from '../target.js';
import { GrpcFrameError, GrpcFrameReader } from './frames.js';
import { connectH2, grpcRequestHeaders } from './h2-connect.js';
import {
  codeForReset,
  errorText,
  goawayOf,
  lostStatus,
  statusOfHeaders,
  statusOfNonGrpcResponse,
  tooManyPings,
  type Goaway,
} from './h2-status.js';
import {
  KeepalivePinger,
  keepalivePolicy,
  slowDownAfterTooManyPings,
  type KeepalivePolicy,
  type KeepaliveSettings,
} from './keepalive.js';

export const SUBSCRIBE_HTLC_EVENTS = '/routerrpc.Router/SubscribeHtlcEvents';

const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** An empty SubscribeHtlcEventsRequest, framed: not compressed, length 0. */
const EMPTY_REQUEST = Buffer.alloc(5);
/** The dial's own bound backs up the connect timer, which always fires first. */
const DIAL_BACKUP_MS = 1_000;

type State =
  | { readonly name: 'connecting'; readonly step: 'tcp' | 'tls' | 'protocol' }
  | { readonly name: 'awaiting-headers' }
  | { readonly name: 'streaming' }
  /** The final status is known; it is reported once the messages received before it are delivered. */
  | { readonly name: 'ending'; readonly status: StreamStatus; readonly cancelled: boolean }
  | { readonly name: 'ended' };

export function subscribeHtlcEvents(
  target: LndTarget,
  handlers: StreamHandlers,
  policy: KeepalivePolicy = keepalivePolicy(),
  clock: Clock = systemClock,
): HtlcConnection {
  const s = new GrpcHtlcStream(target, handlers, policy, clock);
  return { stream: s, close: () => s.close() };
}

class GrpcHtlcStream {
  private state: State = { name: 'connecting', step: 'tcp' };
  private paused = false;
  /** The connection was released by its owner (close()). */
  private closed = false;
  /** The status from the trailers, once they arrived (it counts when the data before it was read). */
  private trailers: StreamStatus | undefined;
  /** A GOAWAY lnd sent (the stream in progress still ends with its own status when it can). */
  private goaway: Goaway | undefined;
  private session: http2.ClientHttp2Session | undefined;
  private req: http2.ClientHttp2Stream | undefined;
  private readonly frames = new GrpcFrameReader(MAX_MESSAGE_BYTES);
  private readonly slice = new DeliverySlice(() => this.continueDelivery());
  private readonly dialing = new AbortController();
  private readonly connectTimer: Timer;
  private readonly pinger: KeepalivePinger;
  /** The keepalive in force for this connection (the policy may change for later ones). */
  private readonly keepalive: KeepaliveSettings;

  constructor(
    private readonly target: LndTarget,
    private readonly handlers: StreamHandlers,
    private readonly policy: KeepalivePolicy,
    private readonly clock: Clock,
  ) {
    this.keepalive = { timeMs: policy.timeMs, timeoutMs: policy.timeoutMs };
    this.pinger = new KeepalivePinger(
      this.keepalive,
      clock,
      { ping: (answered) => this.ping(answered) },
      {
        onDead: (ms) => {
          this.end({
            code: GrpcCode.UNAVAILABLE,
            details: `keepalive: no answer from lnd within ${ms / 1000} s (connection lost)`,
            cause: 'silent',
          });
          this.session?.destroy();
        },
        onAnswer: () => this.handlers.onAlive?.(),
      },
    );
    this.connectTimer = clock.setTimeout(() => this.connectTimedOut(), target.connectTimeoutMs);
    connectH2(target, {
      signal: this.dialing.signal,
      timeoutMs: target.connectTimeoutMs + DIAL_BACKUP_MS,
      onStep: (step) => this.stepDone(step),
    }).then(
      (session) => this.connected(session),
      (e: unknown) => {
        if (e instanceof DialAbortedError) return;
        const why = e instanceof DialError ? (e.proxy === null ? errorText(e.cause ?? e) : e.message) : errorText(e);
        this.end(lostStatus(undefined, `connection lost: ${why}`));
      },
    );
  }

  pause(): void {
    this.paused = true;
    this.req?.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.continueDelivery();
  }

  /** Delivers what is held, then reads on unless paused, waiting for the next slice or ended. */
  private continueDelivery(): void {
    this.deliver();
    if (!this.paused && !this.slice.waiting && this.state.name !== 'ended') this.req?.resume();
  }

  cancel(): void {
    const s = this.state;
    if (s.name === 'ended' || (s.name === 'ending' && s.cancelled)) return;
    this.state = {
      name: 'ending',
      status: { code: GrpcCode.CANCELLED, details: 'Cancelled on client' },
      cancelled: true,
    };
    this.req?.close(http2.constants.NGHTTP2_CANCEL);
    this.deliver();
  }

  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.connectTimer);
    this.pinger.stop();
    this.dialing.abort();
    this.session?.destroy();
  }

  private stepDone(step: 'tls' | 'protocol'): void {
    if (this.state.name === 'connecting') this.state = { name: 'connecting', step };
  }

  private connectTimedOut(): void {
    const s = this.state;
    if (s.name !== 'connecting' && s.name !== 'awaiting-headers') return;
    const step = s.name === 'connecting' ? s.step : 'answer';
    this.end(stepTimeoutStatus(step, 'grpc', addressOf(this.target), this.target.connectTimeoutMs));
    this.dialing.abort();
    this.session?.destroy();
  }

  /**
   * The first reason to end wins, but a status lnd sent in the trailers beats
   * whatever happens to the connection afterwards; it is reported after the
   * messages still held.
   */
  private end(status: StreamStatus): void {
    const s = this.state;
    if (s.name !== 'ending' && s.name !== 'ended')
      this.state = { name: 'ending', status: this.trailers ?? status, cancelled: false };
    this.deliver();
  }

  private finish(status: StreamStatus): void {
    if (this.state.name === 'ended') return;
    this.state = { name: 'ended' };
    this.clock.clearTimeout(this.connectTimer);
    this.pinger.stop();
    if (!this.session) this.dialing.abort(); // ended before connecting (cancelled): no connection needed
    this.handlers.onEnd(status);
  }

  /** Delivers the messages held (unless paused), then the final status once nothing deliverable is left. */
  private deliver(): void {
    for (;;) {
      const s = this.state;
      if (this.paused || s.name === 'ended' || (s.name === 'ending' && s.cancelled)) break;
      if (!this.slice.take()) {
        // This macrotask's share is used up: the rest waits, in order, for the slice's continuation.
        this.req?.pause();
        return;
      }
      let ev: HtlcEvent;
      try {
        const msg = this.frames.next();
        if (msg === undefined) break;
        ev = decodeHtlcEventWire(msg);
      } catch (err) {
        const what =
          err instanceof GrpcFrameError
            ? err.message
            : `lnd sent an HtlcEvent that cannot be decoded (${(err as Error).message})`;
        this.finish({ code: GrpcCode.INTERNAL, details: what, cause: 'undecodable' });
        this.req?.close(http2.constants.NGHTTP2_CANCEL);
        return;
      }
      this.handlers.onEvent(ev);
    }
    const s = this.state;
    if (s.name !== 'ending' || (this.paused && !s.cancelled)) return;
    // Not paused, so no complete message is left; a partial one means the stream was cut inside a message.
    const pending = this.frames.pendingBytes;
    if (s.status.code === GrpcCode.OK && !s.cancelled && pending > 0) {
      this.finish({
        code: GrpcCode.INTERNAL,
        details: `the stream ended inside a message (${pending} bytes of it received)`,
        cause: 'undecodable',
      });
    } else this.finish(s.status);
  }

  private ping(answered: (ok: boolean) => void): boolean {
    const session = this.session;
    if (!session || session.destroyed) return false;
    try {
      return session.ping((err) => answered(!err));
    } catch {
      return false;
    }
  }

  /** The connection failed or was lost (Node destroys the session before its streams), as opposed to a reset of this stream. */
  private connectionGone(): boolean {
    return this.session === undefined || this.session.destroyed || this.session.closed;
  }

  private connected(session: http2.ClientHttp2Session): void {
    this.session = session;
    if (this.closed || this.state.name === 'ended') {
      session.destroy();
      return;
    }
    const alive = (): void => {
      this.pinger.alive();
      this.handlers.onAlive?.();
    };
    session.once('connect', () => this.pinger.start());
    session.once('close', () => this.clock.clearTimeout(this.connectTimer));
    session.on('error', (e) => this.end(lostStatus(this.goaway, `connection lost: ${errorText(e)}`)));
    session.on('close', () => this.end(lostStatus(this.goaway, 'Connection dropped')));
    session.on('goaway', (code: number, _lastStreamId: number, data?: Buffer) => {
      this.goaway = goawayOf(code, data);
      // grpc-go's default policy (lnd before 0.17) allows one client ping per 5 minutes and
      // closes the connection after a few more: ping less often from now on (as grpc-js does).
      if (tooManyPings(this.goaway)) slowDownAfterTooManyPings(this.policy, this.keepalive.timeMs);
    });
    session.once('remoteSettings', () => {
      if (this.state.name === 'connecting') this.state = { name: 'awaiting-headers' };
      alive();
    });

    const req = session.request(grpcRequestHeaders(this.target, SUBSCRIBE_HTLC_EVENTS));
    this.req = req;
    req.end(EMPTY_REQUEST);
    if (this.paused) req.pause();
    req.on('frameError', (type: number) => {
      this.end({
        code: GrpcCode.INTERNAL,
        details: `the request could not be sent (HTTP/2 frame type ${type}): is the macaroon file unusually large?`,
      });
    });
    req.on('response', (h) => {
      this.clock.clearTimeout(this.connectTimer);
      alive();
      const trailersOnly = statusOfHeaders(h);
      if (trailersOnly) return this.end(trailersOnly);
      const notGrpc = statusOfNonGrpcResponse(h);
      if (notGrpc) {
        this.end(notGrpc);
        req.close(http2.constants.NGHTTP2_CANCEL);
        return;
      }
      if (this.state.name === 'connecting' || this.state.name === 'awaiting-headers')
        this.state = { name: 'streaming' };
      this.handlers.onHeaders?.();
    });
    req.on('data', (chunk: Buffer) => {
      alive();
      this.frames.push(chunk);
      this.deliver();
      if (this.paused || this.slice.waiting) req.pause();
    });
    req.on('trailers', (h: http2.IncomingHttpHeaders) => {
      this.trailers = statusOfHeaders(h) ?? {
        code: GrpcCode.UNKNOWN,
        details: 'the stream ended without a gRPC status',
      };
    });
    req.on('end', () => {
      if (this.trailers) this.end(this.trailers);
    });
    req.on('error', (e: Error) => {
      this.salvage(req);
      const cause = (e as { cause?: unknown }).cause ?? e;
      if (this.connectionGone()) this.end(lostStatus(this.goaway, `connection lost: ${errorText(cause)}`));
      else this.end({ code: req.rstCode ? codeForReset(req.rstCode) : GrpcCode.UNAVAILABLE, details: errorText(e) });
    });
    req.on('close', () => {
      this.salvage(req);
      this.end(this.closeStatus(req));
    });
  }

  /** Takes what Node still buffers for a stream that ends with an error (read() still returns it). */
  private salvage(req: http2.ClientHttp2Stream): void {
    for (let c: Buffer | null; (c = req.read() as Buffer | null) !== null;) this.frames.push(c);
  }

  /** The status of a stream that closed without one of the reasons above. */
  private closeStatus(req: http2.ClientHttp2Stream): StreamStatus {
    if (this.connectionGone()) return lostStatus(this.goaway, 'Connection dropped');
    if (req.rstCode && req.rstCode !== http2.constants.NGHTTP2_NO_ERROR) {
      return { code: codeForReset(req.rstCode), details: `Received RST_STREAM with code ${req.rstCode}` };
    }
    return {
      code: GrpcCode.UNAVAILABLE,
      details: 'Connection dropped: the stream ended without a gRPC status',
      cause: 'lost',
    };
  }
}
