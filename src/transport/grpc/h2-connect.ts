/**
 * One HTTP/2 connection to lnd's gRPC port, for the HTLC stream and the
 * unary calls alike: TCP through dial.ts (directly or through the node's
 * SOCKS5 proxy), then TLS as the probe does it (the pinned cert or Node's
 * roots, which include NODE_EXTRA_CA_CERTS; the name checked against
 * tlsServerName, an IP name checked without being sent as SNI: no DEP0123
 * warning; ALPN h2), then HTTP/2 with a 1 MiB window.
 */
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { dial } from '../dial.js';
import type { LndTarget } from '../target.js';

/** The flow-control window for the connection and each stream. */
export const WINDOW_BYTES = 1024 * 1024;

export interface H2DialOptions {
  /** Hears when connecting got further: `tls` once TCP (or the proxy) is through, `protocol` once TLS is done. */
  readonly onStep?: (step: 'tls' | 'protocol') => void;
  /** Aborting abandons the dial (connectH2 then rejects with DialAbortedError). */
  readonly signal?: AbortSignal;
  /** The dial's own bound (TCP and SOCKS5); callers with a timer of their own pass a larger backup. */
  readonly timeoutMs: number;
}

/**
 * Dials and starts TLS and HTTP/2. Resolves with the session as soon as the
 * TCP connection is there (TLS and SETTINGS follow: watch the session's
 * events); rejects with a DialError or DialAbortedError.
 */
export async function connectH2(target: LndTarget, o: H2DialOptions): Promise<http2.ClientHttp2Session> {
  const raw = await dial({
    host: target.host,
    port: target.port,
    proxy: target.proxy ?? null,
    timeoutMs: o.timeoutMs,
    signal: o.signal,
  });
  o.onStep?.('tls');
  const isIp = net.isIP(target.tlsServerName) !== 0;
  // The connection is made here (createConnection); the URL only satisfies http2.connect,
  // and :authority is set on each request (a name with URL-special characters cannot break it).
  const session = http2.connect('https://lnd.invalid', {
    settings: { initialWindowSize: WINDOW_BYTES },
    createConnection: () => {
      const sock = tls.connect({
        socket: raw,
        ca: target.certPem ?? undefined,
        servername: isIp ? undefined : target.tlsServerName,
        ALPNProtocols: ['h2'],
        checkServerIdentity: (_host, cert) => tls.checkServerIdentity(target.tlsServerName, cert),
      });
      sock.once('secureConnect', () => o.onStep?.('protocol'));
      return sock;
    },
  });
  session.once('remoteSettings', () => {
    try {
      session.setLocalWindowSize(WINDOW_BYTES);
    } catch {
      // the session is already gone: its 'close' reports it
    }
  });
  return session;
}

/** The headers of a gRPC call to `path` on the target (with the macaroon as lnd wants it: hex, when sent). */
export function grpcRequestHeaders(target: LndTarget, path: string, withMacaroon = true): http2.OutgoingHttpHeaders {
  const host = target.tlsServerName.replace(/%.*$/, ''); // no IPv6 zone id
  const headers: http2.OutgoingHttpHeaders = {
    [http2.constants.HTTP2_HEADER_METHOD]: 'POST',
    [http2.constants.HTTP2_HEADER_AUTHORITY]: host.includes(':')
      ? `[${host}]:${target.port}`
      : `${host}:${target.port}`,
    [http2.constants.HTTP2_HEADER_PATH]: path,
    'content-type': 'application/grpc',
    te: 'trailers',
    'user-agent': 'htlc-tail (node:http2)',
    'grpc-accept-encoding': 'identity',
  };
  if (withMacaroon && target.macaroon) headers['macaroon'] = target.macaroon.toString('hex');
  return headers;
}

/** One gRPC message as sent: not compressed, a 4-byte big-endian length, the bytes. */
export function grpcFrame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}
