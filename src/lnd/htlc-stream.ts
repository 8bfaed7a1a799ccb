/**
 * routerrpc.Router/SubscribeHtlcEvents over HTTP/2 directly (node:http2):
 * gRPC's framing for one server-streaming call is small, and reading it here
 * takes grpc-js's per-message layers (filters, promises, buffers) off the
 * hot path. Each message's bytes are normalized straight into the event
 * model (events/decode-wire). Unary calls (aliases, GetInfo) still go through
 * grpc-js (lnd/unary.ts), lazily, on their own connection.
 *
 * - TLS as the probe does it: the pinned cert (or Node's roots, which include
 *   NODE_EXTRA_CA_CERTS), the name checked against tlsServerName (an IP name
 *   is checked without being sent as SNI: no DEP0123 warning), ALPN h2.
 * - Backpressure: pause() stops taking messages and stops reading the HTTP/2
 *   stream, so flow control pushes back on lnd (window: 1 MiB).
 * - Order: the final status (trailers, a reset, a lost connection) is only
 *   reported after every message received before it was delivered, even
 *   while paused; nothing lnd sent before an error is dropped.
 * - Keepalive: after `timeMs` without data an HTTP/2 PING is sent; no answer
 *   within `timeoutMs` ends the stream as UNAVAILABLE (a half-open connection).
 *   Every sign of life (SETTINGS, headers, DATA, a PING answer) is reported
 *   through `onAlive`, so a gap can start where the connection was last alive.
 * - Connecting is bounded: TCP, TLS, lnd's HTTP/2 SETTINGS and the response
 *   headers must all arrive within `connectTimeoutMs`; otherwise the stream
 *   ends UNAVAILABLE with cause `timeout` naming the step that did not finish
 *   (a peer that completes TLS and then says nothing is not a subscription).
 * - Statuses are gRPC's: grpc-status/grpc-message from the trailers (or a
 *   trailers-only answer); an HTTP status other than 200, a reset stream and a
 *   lost connection are mapped as gRPC's HTTP/2 mapping says.
 */
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { keepaliveSettings } from './channel.js';
import { GrpcCode } from './classify.js';
import { GrpcFrameError, GrpcFrameReader } from './grpc-frames.js';
import { addressOf, type LndTarget } from './target.js';
import { stepTimeoutStatus, type AttemptStep, type StreamStatus } from './reasons.js';
import { decodeHtlcEventWire } from '../codec/wire/decode-htlc-event.js';
import type { HtlcEvent } from '../events/model.js';

export const SUBSCRIBE_HTLC_EVENTS = '/routerrpc.Router/SubscribeHtlcEvents';

export type { StreamStatus } from './reasons.js';

export interface StreamHandlers {
  /** Called for each event, in order. */
  onEvent(ev: HtlcEvent): void;
  /** lnd answered (response headers): the subscription is accepted so far. */
  onHeaders?(): void;
  /** A sign that the connection is alive (data, a keepalive answer); may be called often. */
  onAlive?(): void;
  /** Called once, after the last event: code 0 for a normal end. */
  onEnd(status: StreamStatus): void;
}

export interface HtlcStream {
  pause(): void;
  resume(): void;
  cancel(): void;
}

/** A subscription and the connection it runs on. */
export interface HtlcConnection {
  readonly stream: HtlcStream;
  /** Closes the connection (after the end, or to abandon it). */
  close(): void;
}

const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Keepalive time after lnd complained about too many pings: above grpc-go's default 5-minute minimum. */
const TOO_MANY_PINGS_KEEPALIVE_MS = 310_000;

/**
 * How the stream pings: after `timeMs` without data, `timeoutMs` for the answer.
 * One per run, shared by its reconnects: a GOAWAY "too_many_pings" raises
 * `timeMs` for the rest of the run.
 */
export interface KeepalivePolicy {
  timeMs: number;
  readonly timeoutMs: number;
}

export function keepalivePolicy(): KeepalivePolicy {
  return { ...keepaliveSettings() };
}
const WINDOW_BYTES = 1024 * 1024;
/** An empty SubscribeHtlcEventsRequest, framed: not compressed, length 0. */
const EMPTY_REQUEST = Buffer.alloc(5);


/** gRPC's mapping of an HTTP status (when no grpc-status came). */
export function codeForHttpStatus(status: number): number {
  switch (status) {
    case 400:
      return GrpcCode.INTERNAL;
    case 401:
      return GrpcCode.UNAUTHENTICATED;
    case 403:
      return GrpcCode.PERMISSION_DENIED;
    case 404:
      return GrpcCode.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcCode.UNAVAILABLE;
    default:
      return GrpcCode.UNKNOWN;
  }
}

/** gRPC's mapping of an HTTP/2 RST_STREAM error code. */
export function codeForReset(rst: number): number {
  const c = http2.constants;
  if (rst === c.NGHTTP2_REFUSED_STREAM) return GrpcCode.UNAVAILABLE;
  if (rst === c.NGHTTP2_CANCEL) return GrpcCode.CANCELLED;
  if (rst === c.NGHTTP2_ENHANCE_YOUR_CALM) return GrpcCode.RESOURCE_EXHAUSTED;
  if (rst === c.NGHTTP2_INADEQUATE_SECURITY) return GrpcCode.PERMISSION_DENIED;
  return GrpcCode.INTERNAL;
}

/** grpc-message is percent-encoded; a malformed one is shown as sent. */
export function decodeGrpcMessage(v: unknown): string {
  const s = Array.isArray(v) ? String(v[0] ?? '') : v === undefined ? '' : String(v);
  let text: string;
  try {
    text = decodeURIComponent(s);
  } catch {
    text = s;
  }
  // The node's text goes to a terminal: no control characters but newline and tab.
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

/** The final status a header block carries (trailers, or a trailers-only answer), if any. */
export function statusOfHeaders(h: http2.IncomingHttpHeaders): StreamStatus | undefined {
  const raw = h['grpc-status'];
  if (raw === undefined) return undefined;
  const code = Number(Array.isArray(raw) ? raw[0] : raw);
  return {
    code: Number.isInteger(code) && code >= 0 ? code : GrpcCode.UNKNOWN,
    details: decodeGrpcMessage(h['grpc-message']),
  };
}

/** Connects; `onStep` hears when TCP and then TLS are done. */
function connect(target: LndTarget, onStep: (step: AttemptStep) => void): http2.ClientHttp2Session {
  const isIp = net.isIP(target.tlsServerName) !== 0;
  // The connection is made here (createConnection); the URL only satisfies http2.connect,
  // and :authority is set on the request (a name with URL-special characters cannot break it).
  return http2.connect('https://lnd.invalid', {
    settings: { initialWindowSize: WINDOW_BYTES },
    createConnection: () => {
      const sock = tls.connect({
        host: target.host,
        port: target.port,
        ca: target.certPem ?? undefined,
        servername: isIp ? undefined : target.tlsServerName,
        ALPNProtocols: ['h2'],
        checkServerIdentity: (_host, cert) => tls.checkServerIdentity(target.tlsServerName, cert),
      });
      sock.once('connect', () => onStep('tls'));
      sock.once('secureConnect', () => onStep('protocol'));
      return sock;
    },
  });
}

/** A GOAWAY ENHANCE_YOUR_CALM "too_many_pings": grpc-go's keepalive enforcement (lnd before 0.17). */
function tooManyPings(g: { code: number; debug: string }): boolean {
  return g.code === http2.constants.NGHTTP2_ENHANCE_YOUR_CALM && g.debug === 'too_many_pings';
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return [err?.code, err?.message].filter((x) => x).join(' ') || String(e);
}

export function subscribeHtlcEvents(target: LndTarget, handlers: StreamHandlers, policy: KeepalivePolicy = keepalivePolicy()): HtlcConnection {
  /** How far connecting got (for the message when it does not finish in time). */
  let step: AttemptStep = 'tcp';
  const session = connect(target, (s) => {
    if (step !== 'answer') step = s;
  });
  const alive = (): void => handlers.onAlive?.();
  const frames = new GrpcFrameReader(MAX_MESSAGE_BYTES);
  const keepalive = { timeMs: policy.timeMs, timeoutMs: policy.timeoutMs };
  let paused = false;
  let done = false;
  let cancelled = false;
  /** The final status, once known; reported when every message before it is delivered. */
  let ending: StreamStatus | undefined;
  let lastData = performance.now();
  let pingOutstanding = false;
  let pingTimer: NodeJS.Timeout | undefined;

  const finish = (status: StreamStatus): void => {
    if (done) return;
    done = true;
    clearInterval(keepaliveTimer);
    clearTimeout(pingTimer);
    handlers.onEnd(status);
  };
  /** The status from the trailers, once they arrived (it counts when the data before it was read). */
  let trailerStatus: StreamStatus | undefined;
  /**
   * The first reason to end wins, but a status lnd sent in the trailers beats
   * whatever happens to the connection afterwards; it is reported after the
   * messages still held.
   */
  const end = (status: StreamStatus): void => {
    ending ??= trailerStatus ?? status;
    deliver();
  };
  const deliver = (): void => {
    while (!paused && !done && !cancelled) {
      let msg: Buffer | undefined;
      let ev: HtlcEvent;
      try {
        msg = frames.next();
        if (msg === undefined) break;
        ev = decodeHtlcEventWire(msg);
      } catch (err) {
        const what = err instanceof GrpcFrameError ? err.message : `lnd sent an HtlcEvent that cannot be decoded (${(err as Error).message})`;
        finish({ code: GrpcCode.INTERNAL, details: what, cause: 'undecodable' });
        req.close(http2.constants.NGHTTP2_CANCEL);
        return;
      }
      handlers.onEvent(ev);
    }
    // Not paused, so no complete message is left; a partial one means the stream was cut inside a message.
    if (ending && !done && (cancelled || !paused)) {
      if (ending.code === GrpcCode.OK && !cancelled && frames.pendingBytes > 0) {
        finish({ code: GrpcCode.INTERNAL, details: `the stream ended inside a message (${frames.pendingBytes} bytes of it received)`, cause: 'undecodable' });
      } else finish(ending);
    }
  };

  // connectTimeoutMs bounds TCP, TLS, lnd's SETTINGS and the response headers.
  const connectTimer = setTimeout(() => {
    end(stepTimeoutStatus(step, 'grpc', addressOf(target), target.connectTimeoutMs));
    session.destroy();
  }, target.connectTimeoutMs);
  session.once('connect', () => {
    lastData = performance.now();
  });
  session.once('close', () => clearTimeout(connectTimer));
  /** A GOAWAY lnd sent (the stream in progress still ends with its own status when it can). */
  let goaway: { code: number; debug: string } | undefined;
  /** What a lost connection is reported as: the GOAWAY that announced it, if one did. */
  const lost = (fallback: string): StreamStatus => {
    if (!goaway || goaway.code === http2.constants.NGHTTP2_NO_ERROR) return { code: GrpcCode.UNAVAILABLE, details: fallback, cause: 'lost' };
    const details = `connection lost: lnd sent GOAWAY ${goaway.code}${goaway.debug ? ` (${goaway.debug})` : ''}`;
    return { code: GrpcCode.UNAVAILABLE, details, cause: tooManyPings(goaway) ? 'pings' : 'lost' };
  };
  session.on('error', (e) => end(lost(`connection lost: ${errorText(e)}`)));
  session.on('close', () => end(lost('Connection dropped')));
  session.on('goaway', (code: number, _lastStreamId: number, data?: Buffer) => {
    goaway = { code, debug: (data?.toString('latin1') ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 200) };
    // grpc-go's default policy (lnd before 0.17) allows one client ping per 5 minutes and
    // closes the connection after a few more: ping less often from now on (as grpc-js does).
    if (tooManyPings(goaway)) {
      policy.timeMs = Math.max(policy.timeMs, 2 * keepalive.timeMs, TOO_MANY_PINGS_KEEPALIVE_MS);
    }
  });
  session.once('remoteSettings', () => {
    if (step === 'protocol' || step === 'tls') step = 'answer';
    alive();
    try {
      session.setLocalWindowSize(WINDOW_BYTES);
    } catch {
      // the session is already gone: 'close' reports it
    }
  });

  const host = target.tlsServerName.replace(/%.*$/, ''); // no IPv6 zone id
  const headers: http2.OutgoingHttpHeaders = {
    [http2.constants.HTTP2_HEADER_METHOD]: 'POST',
    [http2.constants.HTTP2_HEADER_AUTHORITY]: host.includes(':') ? `[${host}]:${target.port}` : `${host}:${target.port}`,
    [http2.constants.HTTP2_HEADER_PATH]: SUBSCRIBE_HTLC_EVENTS,
    'content-type': 'application/grpc',
    te: 'trailers',
    'user-agent': 'htlc-tail (node:http2)',
    'grpc-accept-encoding': 'identity',
  };
  if (target.macaroon) headers['macaroon'] = target.macaroon.toString('hex');
  const req = session.request(headers);
  req.end(EMPTY_REQUEST);

  req.on('frameError', (type: number) => {
    end({ code: GrpcCode.INTERNAL, details: `the request could not be sent (HTTP/2 frame type ${type}): is the macaroon file unusually large?` });
  });
  req.on('response', (h) => {
    clearTimeout(connectTimer);
    lastData = performance.now();
    alive();
    const status = Number(h[http2.constants.HTTP2_HEADER_STATUS]);
    const trailersOnly = statusOfHeaders(h);
    if (trailersOnly) {
      end(trailersOnly);
      return;
    }
    if (status !== 200) {
      end({ code: codeForHttpStatus(status), details: `Received HTTP status code ${status}` });
      req.close(http2.constants.NGHTTP2_CANCEL);
      return;
    }
    const type = String(h['content-type'] ?? '');
    if (!type.startsWith('application/grpc')) {
      end({ code: GrpcCode.UNKNOWN, details: `unexpected content-type "${type}": is that lnd's gRPC port?` });
      req.close(http2.constants.NGHTTP2_CANCEL);
      return;
    }
    handlers.onHeaders?.();
  });
  req.on('data', (chunk: Buffer) => {
    lastData = performance.now();
    alive();
    frames.push(chunk);
    deliver();
    if (paused) req.pause();
  });
  // The trailers' status counts once every DATA byte before them was read ('end'):
  // while paused, Node still holds some of them.
  req.on('trailers', (h) => {
    trailerStatus = statusOfHeaders(h) ?? { code: GrpcCode.UNKNOWN, details: 'the stream ended without a gRPC status' };
  });
  req.on('end', () => {
    if (trailerStatus) end(trailerStatus);
  });
  /** Takes what Node still buffers for a stream that ends with an error (read() still returns it). */
  const salvage = (): void => {
    for (let c: Buffer | null; (c = req.read() as Buffer | null) !== null; ) frames.push(c);
  };
  /** The connection failed or was lost (Node destroys the session before its streams), as opposed to a reset of this stream. */
  const connectionGone = (): boolean => session.destroyed || session.closed;
  req.on('error', (e) => {
    salvage();
    const cause = (e as { cause?: unknown }).cause ?? e;
    if (connectionGone()) end(lost(`connection lost: ${errorText(cause)}`));
    else end({ code: req.rstCode ? codeForReset(req.rstCode) : GrpcCode.UNAVAILABLE, details: errorText(e) });
  });
  req.on('close', () => {
    salvage();
    if (cancelled) ending ??= { code: GrpcCode.CANCELLED, details: 'Cancelled on client' };
    else if (trailerStatus) ending ??= trailerStatus;
    else if (connectionGone()) ending ??= lost('Connection dropped');
    else if (req.rstCode && req.rstCode !== http2.constants.NGHTTP2_NO_ERROR) {
      ending ??= { code: codeForReset(req.rstCode), details: `Received RST_STREAM with code ${req.rstCode}` };
    } else ending ??= { code: GrpcCode.UNAVAILABLE, details: 'Connection dropped: the stream ended without a gRPC status', cause: 'lost' };
    deliver();
  });

  // Keepalive: a PING after keepalive.timeMs without data; no answer in time is a dead connection.
  const keepaliveTimer = setInterval(
    () => {
      if (done || session.connecting || pingOutstanding || performance.now() - lastData < keepalive.timeMs) return;
      pingOutstanding = true;
      pingTimer = setTimeout(() => {
        end({ code: GrpcCode.UNAVAILABLE, details: `keepalive: no answer from lnd within ${keepalive.timeoutMs / 1000} s (connection lost)`, cause: 'silent' });
        session.destroy();
      }, keepalive.timeoutMs);
      try {
        session.ping((err) => {
          clearTimeout(pingTimer);
          pingOutstanding = false;
          if (!err) {
            lastData = performance.now();
            alive();
          }
        });
      } catch {
        clearTimeout(pingTimer);
        pingOutstanding = false;
      }
    },
    Math.min(keepalive.timeMs, 5_000),
  );
  keepaliveTimer.unref();

  return {
    stream: {
      pause() {
        paused = true;
        req.pause();
      },
      resume() {
        if (!paused) return;
        paused = false;
        deliver();
        if (!paused && !done) req.resume();
      },
      cancel() {
        if (done || cancelled) return;
        cancelled = true;
        ending = { code: GrpcCode.CANCELLED, details: 'Cancelled on client' };
        req.close(http2.constants.NGHTTP2_CANCEL);
        deliver();
      },
    },
    close() {
      clearInterval(keepaliveTimer);
      clearTimeout(pingTimer);
      session.destroy();
    },
  };
}
