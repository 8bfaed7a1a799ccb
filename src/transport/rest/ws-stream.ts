/**
 * lnd's HTLC event stream over WebSocket (lnd's websocket proxy in front of
 * the REST gateway): `wss://HOST:PORT/v2/router/htlcevents?method=GET`, the
 * macaroon in the `Grpc-Metadata-Macaroon` header, each text frame one line
 * of the REST stream. The `ws` package does the framing and answers lnd's
 * pings (every 30 s). Nothing is sent to lnd: the subscription takes no
 * request.
 *
 * lnd's proxy drops the connection without a close frame when the stream
 * ends, so the close code is 1006 (abnormal) both after lnd's error frame and
 * when the connection is lost: without an error frame, that is a lost stream
 * (UNAVAILABLE), and the session reconnects. Once lnd has pinged, silence for
 * three ping intervals also counts as a lost connection (not while paused:
 * then nobody reads the pings). TCP, TLS and the answer to the upgrade
 * request must arrive within `connectTimeoutMs`, else UNAVAILABLE with cause
 * `timeout` naming the step that did not finish.
 */
import { WebSocket, type ClientOptions } from 'ws';
import { stepTimeoutStatus } from '../reasons.js';
import { GrpcCode, type AttemptStep, type StreamStatus } from '../status.js';
import type { StreamHandlers } from '../stream.js';
import { addressOf, type LndTarget } from '../target.js';
import {
  dialedConnection,
  ERROR_BODY_LIMIT,
  HTLC_EVENTS_PATH,
  networkDetails,
  statusFromHttp,
  tlsRequestOptions,
} from './request.js';
import { safeText } from './rest-line.js';
import { MAX_MESSAGE_BYTES, type RestStream } from './http-stream.js';
import { streamLine } from './stream-lines.js';

/** No ping from lnd for this long (after a first one) = connection lost. lnd pings every 30 s. */
export const PING_SILENCE_MS = 90_000;

/** WebSocket close codes (RFC 6455 7.4.1): a normal end, and a connection dropped without a close frame. */
const WS_NORMAL_CLOSURE = 1000;
const WS_ABNORMAL_CLOSURE = 1006;

export function closeStatus(code: number, reason: string): StreamStatus {
  if (code === WS_NORMAL_CLOSURE) return { code: GrpcCode.OK, details: '' };
  if (code === WS_ABNORMAL_CLOSURE)
    return {
      code: GrpcCode.UNAVAILABLE,
      details: 'connection lost: the WebSocket closed abnormally (1006)',
      cause: 'lost',
    };
  const why = reason ? `: ${safeText(reason).slice(0, 200)}` : '';
  return { code: GrpcCode.UNAVAILABLE, details: `the WebSocket was closed by the server (code ${code}${why})` };
}

export function subscribeWs(target: LndTarget, handlers: StreamHandlers, pingSilenceMs = PING_SILENCE_MS): RestStream {
  const o = tlsRequestOptions(target);
  let done = false;
  let paused = false;
  let sawPing = false;
  let lastError: NodeJS.ErrnoException | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let step: AttemptStep = 'tcp';

  const dialing = new AbortController();
  const options: ClientOptions = {
    headers: o.headers,
    perMessageDeflate: false,
    maxPayload: MAX_MESSAGE_BYTES,
    // The socket through dial.ts, TLS over it (verified as the target says), watching the steps on the way.
    createConnection: dialedConnection(
      target,
      (s) => (step = s),
      dialing.signal,
    ) as unknown as ClientOptions['createConnection'],
  };
  const ws = new WebSocket(`wss://${addressOf(target)}${HTLC_EVENTS_PATH}?method=GET`, options);

  const connectTimer = setTimeout(
    () => finish(stepTimeoutStatus(step, 'ws', addressOf(target), target.connectTimeoutMs)),
    target.connectTimeoutMs,
  );
  const finish = (status: StreamStatus): void => {
    if (done) return;
    done = true;
    clearTimeout(connectTimer);
    if (watchdog) clearTimeout(watchdog);
    handlers.onEnd(status);
    dialing.abort();
    ws.terminate();
  };

  const arm = () => {
    if (watchdog) clearTimeout(watchdog);
    watchdog = undefined;
    if (!sawPing || paused || done) return;
    watchdog = setTimeout(
      () =>
        finish({
          code: GrpcCode.UNAVAILABLE,
          details: `connection lost: no ping from lnd for ${Math.round(pingSilenceMs / 1000)} s`,
          cause: 'silent',
        }),
      pingSilenceMs,
    );
    watchdog.unref();
  };

  ws.on('upgrade', () => {
    clearTimeout(connectTimer);
    handlers.onAlive?.();
    handlers.onHeaders?.();
  });
  ws.on('unexpected-response', (req, res) => {
    clearTimeout(connectTimer);
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      if (body.length < ERROR_BODY_LIMIT) body += c;
    });
    const end = () => {
      finish(statusFromHttp(res.statusCode ?? 0, res.statusMessage, body));
      req.destroy();
    };
    res.on('end', end);
    res.on('close', end);
  });
  ws.on('ping', () => {
    handlers.onAlive?.();
    sawPing = true;
    arm();
  });
  ws.on('message', (data, isBinary) => {
    if (done) return;
    handlers.onAlive?.();
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data).toString('utf8');
    if (isBinary) {
      finish({
        code: GrpcCode.INTERNAL,
        details: 'the WebSocket sent a binary frame; lnd sends JSON text frames',
        cause: 'undecodable',
      });
      return;
    }
    // One line per frame; tolerate a trailing newline (or several lines) all the same.
    for (const line of text.split('\n')) {
      const out = streamLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      if (out.kind === 'event') handlers.onEvent(out.event);
      else if (out.kind === 'end') {
        finish(out.status);
        return;
      }
      if (done) return;
    }
  });
  ws.on('error', (e: NodeJS.ErrnoException) => {
    lastError ??= e;
  });
  ws.on('close', (code, reason) => {
    if (lastError) finish({ code: GrpcCode.UNAVAILABLE, details: networkDetails(lastError), cause: 'lost' });
    else finish(closeStatus(code, reason.toString('utf8')));
  });

  return {
    pause() {
      paused = true;
      arm();
      ws.pause();
    },
    resume() {
      if (!paused) return;
      paused = false;
      ws.resume();
      arm();
    },
    cancel() {
      finish({ code: GrpcCode.CANCELLED, details: 'Cancelled on client' });
    },
    close() {
      clearTimeout(connectTimer);
      dialing.abort();
      ws.terminate();
    },
  };
}
