/**
 * The one place that words why a subscription ended or never came up, for
 * every transport alike: the final status of a stream (with what the
 * transport knows about the cause), the gap line's `reason`, and the message
 * for a connection step that did not finish within --connect-timeout.
 *
 * A status lnd sent (gRPC trailers, a REST error line) carries lnd's text;
 * a status the transport made up (the connection dropped, keepalive got no
 * answer, a step timed out) carries a `cause`, so that the same cause reads the
 * same over gRPC, REST and WebSocket.
 */
import { HtlcTailError } from '../errors.js';
import type { Classified } from './classify.js';

/** Why the transport ended a stream itself (as opposed to lnd sending a status). */
export type LossCause =
  /** The connection dropped, was reset, or was cut off. */
  | 'lost'
  /** No sign of life within the keepalive time (a half-open connection). */
  | 'silent'
  /** lnd closed the connection over our keepalive pings (lnd < 0.17). */
  | 'pings'
  /** lnd sent something that cannot be an HtlcEvent. */
  | 'undecodable'
  /** A connection step did not finish within --connect-timeout (see `step`). */
  | 'timeout';

/**
 * How far an attempt got: TCP connect, TLS handshake, the protocol's first
 * answer (HTTP/2 SETTINGS, an HTTP response, the WebSocket upgrade), and for
 * gRPC the response headers to the call.
 */
export type AttemptStep = 'tcp' | 'tls' | 'protocol' | 'answer';

export type TransportName = 'grpc' | 'rest' | 'ws';

export interface StreamStatus {
  /** gRPC status code: 0 for a normal end. */
  readonly code: number;
  readonly details: string;
  readonly cause?: LossCause;
  /** With cause `timeout`: the step that did not finish. */
  readonly step?: AttemptStep;
}

/** The first line of lnd's text, without control or line-separator characters, at most 200 characters. */
function lndText(details: string): string {
  const first = (details.split('\n', 1)[0] ?? '').trim();
  // eslint-disable-next-line no-control-regex
  const clean = first.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}

/** The gap line's `reason` (and the reason in the lost-stream notice): the same words for the same cause on every transport. */
export function lossReason(s: StreamStatus): string {
  switch (s.cause) {
    case 'lost':
      return 'connection lost';
    case 'silent':
      return 'connection lost: no sign of life from lnd (keepalive)';
    case 'pings':
      return 'connection lost: lnd closed it over keepalive pings';
    case 'undecodable':
      return 'lnd sent data that cannot be read';
    case 'timeout':
      return 'lnd did not answer in time';
    case undefined:
      break;
  }
  if (s.code === 0) return 'lnd ended the stream';
  return lndText(s.details) || `lnd ended the stream (status ${s.code})`;
}

const PROTOCOL_WORDS: Record<TransportName, string> = {
  grpc: 'no HTTP/2 SETTINGS',
  rest: 'no HTTP response',
  ws: 'no answer to the WebSocket upgrade',
};

/** What did not finish, e.g. `TLS done but no HTTP/2 SETTINGS from 127.0.0.1:10009 within 10 s`. */
export function stepTimeoutText(step: AttemptStep, transport: TransportName, address: string, timeoutMs: number): string {
  const within = `within ${timeoutMs / 1000} s`;
  switch (step) {
    case 'tcp':
      return `no TCP connection to ${address} ${within}`;
    case 'tls':
      return `TCP connected but the TLS handshake with ${address} did not finish ${within}`;
    case 'protocol':
      return `TLS done but ${PROTOCOL_WORDS[transport]} from ${address} ${within}`;
    case 'answer':
      return `HTTP/2 up but ${address} sent no response headers to SubscribeHtlcEvents ${within}`;
  }
}

/** A status for a step that timed out. */
export function stepTimeoutStatus(step: AttemptStep, transport: TransportName, address: string, timeoutMs: number): StreamStatus {
  return { code: 14, details: stepTimeoutText(step, transport, address, timeoutMs), cause: 'timeout', step };
}

/**
 * What a step timeout means (exit 4; --wait and reconnection retry it). The
 * port advice names gRPC's; the REST connector rewords it for REST.
 */
export function classifyStepTimeout(s: StreamStatus): Classified {
  const port = "lnd's gRPC port";
  let msg: string;
  switch (s.step) {
    case 'tcp':
      msg = `cannot reach lnd: ${s.details}; check --rpcserver and firewalls, or raise --connect-timeout`;
      break;
    case 'tls':
      msg = `${s.details}: is that ${port}?`;
      break;
    case 'answer':
      msg = `${s.details}: lnd accepted the call but did not answer (lnd 0.16 and later answer at once; an older lnd sends nothing until the first HTLC event); check lnd's log, or raise --connect-timeout`;
      break;
    default:
      msg = `${s.details}: is that ${port}, and is lnd running normally? (or raise --connect-timeout)`;
  }
  return { error: new HtlcTailError('connection', msg), readiness: 'unreachable', streamLost: true };
}
