/**
 * lnd's HTLC event stream over REST: `GET /v2/router/htlcevents`, a chunked
 * response with one JSON line per message. Lines are split incrementally (a
 * message may span chunks, a chunk may hold several), in order. Pausing stops
 * reading the socket, so TCP flow control pushes back on lnd.
 *
 * The final status (handlers.onEnd, exactly once): an `{"error": ...}` line's
 * code and message; for an HTTP error, the status in its body (or one mapped
 * from the HTTP status); 0 when lnd ended the response normally; UNAVAILABLE
 * when the connection was lost; CANCELLED after cancel(). TCP, TLS and lnd's
 * HTTP response must arrive within `connectTimeoutMs`, else UNAVAILABLE with
 * cause `timeout` naming the step (a server that completes TLS and then says
 * nothing does not hang the tail).
 */
import https from 'node:https';
import type http from 'node:http';
import { LineSplitter } from '../../util/line-splitter.js';
import { stepTimeoutStatus } from '../reasons.js';
import { GrpcCode, type AttemptStep, type StreamStatus } from '../status.js';
import type { HtlcStream, StreamHandlers } from '../stream.js';
import { addressOf, type LndTarget } from '../target.js';
import { ERROR_BODY_LIMIT, getRequestOptions, HTLC_EVENTS_PATH, networkDetails, statusFromHttp } from './request.js';
import { streamLine } from './stream-lines.js';

/** Longest message accepted (lnd's are well under 1 KiB; failure strings may hold a channel update dump). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface RestStream extends HtlcStream {
  /** Drops the connection (after the end, or on stop). */
  close(): void;
}

export function subscribeRest(target: LndTarget, handlers: StreamHandlers): RestStream {
  let done = false;
  let paused = false;
  let res: http.IncomingMessage | undefined;

  let step: AttemptStep = 'tcp';
  const finish = (status: StreamStatus): void => {
    if (done) return;
    done = true;
    clearTimeout(connectTimer);
    handlers.onEnd(status);
    dialing.abort();
    req.destroy();
  };
  const dialing = new AbortController();
  const connectTimer = setTimeout(
    () => finish(stepTimeoutStatus(step, 'rest', addressOf(target), target.connectTimeoutMs)),
    target.connectTimeoutMs,
  );

  const req = https.request(
    getRequestOptions(target, HTLC_EVENTS_PATH, { onStep: (s) => (step = s), signal: dialing.signal }),
  );
  req.on('error', (e: NodeJS.ErrnoException) =>
    finish({ code: GrpcCode.UNAVAILABLE, details: networkDetails(e), cause: 'lost' }),
  );
  req.on('response', (r) => {
    clearTimeout(connectTimer);
    handlers.onAlive?.();
    res = r;
    if (r.statusCode !== 200) {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => {
        if (body.length < ERROR_BODY_LIMIT) body += c;
      });
      r.on('end', () => finish(statusFromHttp(r.statusCode ?? 0, r.statusMessage, body)));
      r.on('close', () => finish(statusFromHttp(r.statusCode ?? 0, r.statusMessage, body)));
      return;
    }
    handlers.onHeaders?.();
    const splitter = new LineSplitter(
      (line) => {
        if (done) return false;
        const out = streamLine(line);
        if (out.kind === 'event') handlers.onEvent(out.event);
        else if (out.kind === 'end') {
          finish(out.status);
          return false;
        }
        return !done;
      },
      {
        maxLineBytes: MAX_MESSAGE_BYTES,
        onTooLong: (bytes) => {
          finish({
            code: GrpcCode.INTERNAL,
            details: `the REST stream sent a message of more than ${bytes} bytes without a line end`,
            cause: 'undecodable',
          });
          return false;
        },
      },
    );
    r.on('data', (chunk: Buffer) => {
      handlers.onAlive?.();
      splitter.push(chunk);
    });
    r.on('end', () => {
      splitter.end();
      finish({ code: GrpcCode.OK, details: '' });
    });
    r.on('close', () => {
      if (!r.complete)
        finish({ code: GrpcCode.UNAVAILABLE, details: 'connection lost: the REST stream was cut off', cause: 'lost' });
    });
    if (paused) r.pause();
  });
  req.end();

  return {
    pause() {
      paused = true;
      res?.pause();
    },
    resume() {
      if (!paused) return;
      paused = false;
      res?.resume();
    },
    cancel() {
      finish({ code: GrpcCode.CANCELLED, details: 'Cancelled on client' });
    },
    close() {
      clearTimeout(connectTimer);
      dialing.abort();
      req.destroy();
    },
  };
}
