/**
 * What every request to lnd's REST port shares: TLS verified the way the gRPC
 * channel verifies it (the pinned tls.cert as the only root, or the system
 * roots for a CA-signed node; the name checked against --tls-server-name,
 * else the host), and the macaroon as the `Grpc-Metadata-Macaroon` header
 * (hex). Also the mapping of an HTTP error answer to a gRPC-style status, so
 * that REST failures classify exactly like gRPC ones (lnd/classify.ts).
 */
import type https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { LndTarget } from '../lnd/target.js';
import type { StreamStatus } from '../lnd/htlc-stream.js';
import { classifyRestLine, safeText } from './rest-line.js';

export const HTLC_EVENTS_PATH = '/v2/router/htlcevents';
export const MACAROON_HEADER = 'Grpc-Metadata-Macaroon';

/** gRPC status codes used for REST outcomes. */
export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export interface TlsRequestOptions {
  /** HTTP/1.1 is offered by ALPN: a gRPC-only port (h2) then refuses the handshake plainly. */
  readonly ALPNProtocols: string[];
  readonly host: string;
  readonly port: number;
  readonly ca: Buffer | undefined;
  readonly servername: string | undefined;
  readonly checkServerIdentity: (host: string, cert: tls.PeerCertificate) => Error | undefined;
  readonly headers: Record<string, string>;
}

export function tlsRequestOptions(target: LndTarget): TlsRequestOptions {
  const isIp = net.isIP(target.tlsServerName) !== 0;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (target.macaroon) headers[MACAROON_HEADER] = target.macaroon.toString('hex');
  return {
    ALPNProtocols: ['http/1.1'],
    host: target.host,
    port: target.port,
    ca: target.certPem ?? undefined,
    servername: isIp ? undefined : target.tlsServerName,
    checkServerIdentity: (_host, cert) => tls.checkServerIdentity(target.tlsServerName, cert),
    headers,
  };
}

/** A GET of `path` on lnd's REST port with the pinned TLS and the macaroon header; no connection reuse. */
export function getRequestOptions(target: LndTarget, path: string, timeoutMs?: number): https.RequestOptions & { ALPNProtocols: string[] } {
  return { ...tlsRequestOptions(target), method: 'GET', path, agent: false, ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}) };
}

/** At most this much of an error body is read. */
export const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * The status an HTTP answer other than 200 stands for. lnd's gateway sends
 * the gRPC status as the body (`{"code":2,"message":"..."}`, or an
 * `{"error": ...}` line when the stream failed before its first message):
 * that wins. Without one (a proxy's page), the HTTP status is mapped.
 */
export function statusFromHttp(statusCode: number, statusMessage: string | undefined, body: string): StreamStatus {
  for (const line of body.split('\n')) {
    const c = classifyRestLine(line);
    if (c.kind === 'error') return { code: c.code, details: c.message };
    if (c.kind !== 'blank') break;
  }
  const http = `HTTP ${statusCode}${statusMessage ? ` ${safeText(statusMessage)}` : ''}`;
  switch (statusCode) {
    case 401:
    case 403:
      return { code: Code.UNAUTHENTICATED, details: `${http}: the server refused the request (a proxy in front of lnd?)` };
    case 404:
    case 405:
    case 501:
      return { code: Code.UNIMPLEMENTED, details: `${http}: no ${HTLC_EVENTS_PATH} there` };
    case 408:
    case 429:
    case 502:
    case 503:
    case 504:
      return { code: Code.UNAVAILABLE, details: http };
    default:
      return { code: Code.UNKNOWN, details: http };
  }
}

/** Status details that mean: the server refused HTTP/1.1 in the TLS handshake (a gRPC-only port). */
export const NOT_HTTP1 = 'does not speak HTTP/1.1 (TLS: no application protocol)';

/** A Node network error as status details (`ECONNRESET socket hang up`). */
export function networkDetails(e: NodeJS.ErrnoException): string {
  const text = `${e.code ? `${e.code} ` : ''}${e.message}`;
  return /no application protocol/i.test(text) ? NOT_HTTP1 : text;
}
