/**
 * The one place that words why a subscription ended or never came up, for
 * every transport alike: the gap line's `reason` (from the stream's final
 * status, see status.ts), and the text for a connection step that did not
 * finish within --connect-timeout (classify.ts words what it means).
 */
import { GrpcCode, type AttemptStep, type StreamStatus, type TransportName } from './status.js';

export type { AttemptStep, LossCause, StreamStatus, TransportName } from './status.js';

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
  if (s.code === GrpcCode.OK) return 'lnd ended the stream';
  return lndText(s.details) || `lnd ended the stream (status ${s.code})`;
}

const PROTOCOL_WORDS: Record<TransportName, string> = {
  grpc: 'no HTTP/2 SETTINGS',
  rest: 'no HTTP response',
  ws: 'no answer to the WebSocket upgrade',
};

/** What did not finish, e.g. `TLS done but no HTTP/2 SETTINGS from 127.0.0.1:10009 within 10 s`. */
export function stepTimeoutText(
  step: AttemptStep,
  transport: TransportName,
  address: string,
  timeoutMs: number,
): string {
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
export function stepTimeoutStatus(
  step: AttemptStep,
  transport: TransportName,
  address: string,
  timeoutMs: number,
): StreamStatus {
  return {
    code: GrpcCode.UNAVAILABLE,
    details: stepTimeoutText(step, transport, address, timeoutMs),
    cause: 'timeout',
    step,
  };
}
