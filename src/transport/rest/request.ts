/**
 * What every request to lnd's REST port shares: the socket opened through
 * dial.ts (directly or through the node's SOCKS5 proxy), TLS verified the way
 * the gRPC stream verifies it (the pinned tls.cert as the only root, or the
 * system roots for a CA-signed node; the name checked against
 * --tls-server-name, else the host), and the macaroon as the
 * `Grpc-Metadata-Macaroon` header (hex). Also the mapping of an HTTP error
 * answer to a gRPC-style status, so that REST failures classify exactly like
 * gRPC ones (classify.ts).
 */
import type https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { dial, DialError } from '../dial.js';
import { GrpcCode, type StreamStatus } from '../status.js';
import type { LndTarget } from '../target.js';
import { classifyRestLine, safeText } from './rest-line.js';

export const HTLC_EVENTS_PATH = '/v2/router/htlcevents';
export const MACAROON_HEADER = 'Grpc-Metadata-Macaroon';

/** TCP keepalive probes after this long idle. */
const TCP_KEEPALIVE_MS = 30_000;
/** The dial's own bound backs up the caller's timer (or the request's timeout), which fires first. */
const DIAL_BACKUP_MS = 1_000;

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

/** How far a connection got: `tls` once TCP (or the proxy) is through, `protocol` once TLS is done. */
export type ConnectStep = 'tls' | 'protocol';

type CreateConnection = (options: unknown, done: (err: Error | null, socket?: net.Socket) => void) => undefined;

/**
 * A `createConnection` for node:http(s) and ws: the TCP connection through
 * dial.ts, then TLS over it with the target's verification. A direct dial's
 * failure is passed on as Node's own error (so it reads as before); a
 * proxy's as the DialError that names the proxy.
 */
export function dialedConnection(
  target: LndTarget,
  onStep?: (step: ConnectStep) => void,
  signal?: AbortSignal,
): CreateConnection {
  const o = tlsRequestOptions(target);
  return (_options, done) => {
    dial({
      host: target.host,
      port: target.port,
      proxy: target.proxy ?? null,
      timeoutMs: target.connectTimeoutMs + DIAL_BACKUP_MS,
      signal,
    }).then(
      (raw) => {
        // TCP keepalive on the connection itself (the REST stream has no pings of its own).
        raw.setKeepAlive(true, TCP_KEEPALIVE_MS);
        onStep?.('tls');
        const sock = tls.connect({
          socket: raw,
          ca: o.ca,
          servername: o.servername,
          ALPNProtocols: o.ALPNProtocols,
          checkServerIdentity: o.checkServerIdentity,
        });
        sock.once('secureConnect', () => onStep?.('protocol'));
        done(null, sock);
      },
      (e: unknown) =>
        done(e instanceof DialError && e.proxy === null && e.cause instanceof Error ? e.cause : (e as Error)),
    );
    return undefined;
  };
}

/** A GET of `path` on lnd's REST port with the pinned TLS and the macaroon header, on a connection of its own (no agent, no reuse). */
export function getRequestOptions(
  target: LndTarget,
  path: string,
  opts: {
    readonly timeoutMs?: number;
    readonly onStep?: (step: ConnectStep) => void;
    readonly signal?: AbortSignal;
  } = {},
): https.RequestOptions {
  const { host, port, headers } = tlsRequestOptions(target);
  return {
    host,
    port,
    headers,
    method: 'GET',
    path,
    createConnection: dialedConnection(
      target,
      opts.onStep,
      opts.signal,
    ) as unknown as https.RequestOptions['createConnection'],
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
  };
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
      return {
        code: GrpcCode.UNAUTHENTICATED,
        details: `${http}: the server refused the request (a proxy in front of lnd?)`,
      };
    case 404:
    case 405:
    case 501:
      return { code: GrpcCode.UNIMPLEMENTED, details: `${http}: no ${HTLC_EVENTS_PATH} there` };
    case 408:
    case 429:
    case 502:
    case 503:
    case 504:
      return { code: GrpcCode.UNAVAILABLE, details: http };
    default:
      return { code: GrpcCode.UNKNOWN, details: http };
  }
}

/** Status details that mean: the server refused HTTP/1.1 in the TLS handshake (a gRPC-only port). */
export const NOT_HTTP1 = 'does not speak HTTP/1.1 (TLS: no application protocol)';

/** A Node network error as status details (`ECONNRESET socket hang up`). */
export function networkDetails(e: NodeJS.ErrnoException): string {
  const text = `${e.code ? `${e.code} ` : ''}${e.message}`;
  return /no application protocol/i.test(text) ? NOT_HTTP1 : text;
}
