/**
 * The words every transport shares for how a call or a stream ended: gRPC's
 * status codes (lnd's REST gateway and WebSocket proxy carry the same codes),
 * the final status of a stream, and what a unary call rejects with.
 *
 * A status lnd sent (gRPC trailers, a REST error line) carries lnd's text; a
 * status the transport made up (the connection dropped, keepalive got no
 * answer, a step timed out) carries a `cause`, so that the same cause reads
 * the same over gRPC, REST and WebSocket.
 */

/**
 * gRPC's status codes (the ones this tool names). A code on the wire is any number, so this is
 * a table of numbers rather than an enum: `status.code === GrpcCode.UNAVAILABLE` compares numbers.
 */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** A code's name (`UNAVAILABLE`), or the number for one this table does not name. */
export function grpcCodeName(code: number): string {
  return Object.entries(GrpcCode).find(([, v]) => v === code)?.[0] ?? String(code);
}

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

/** The three ways to reach lnd (--transport). */
export type TransportName = 'grpc' | 'rest' | 'ws';

export interface StreamStatus {
  /** gRPC status code: 0 for a normal end. */
  readonly code: number;
  readonly details: string;
  readonly cause?: LossCause;
  /** With cause `timeout`: the step that did not finish. */
  readonly step?: AttemptStep;
}

/** What a unary call (GetInfo, ListChannels, …) rejects with, on every transport. */
export interface CallStatus {
  readonly code: number;
  readonly details: string;
}

/** A unary call's failure as an Error (a stack for --debug), carrying the gRPC code and lnd's text. */
export class CallFailure extends Error implements CallStatus {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(details);
    this.name = 'CallFailure';
  }
}

export function isCallStatus(e: unknown): e is CallStatus {
  return typeof e === 'object' && e !== null && typeof (e as CallStatus).code === 'number' && 'details' in e;
}
