/**
 * One gRPC channel to lnd over TLS with the certificate pinned (or the system
 * roots for a CA-signed node). Keepalive settings stay within what lnd accepts
 * (client pings no more often than every 5 s) while noticing a dead peer
 * within about a minute.
 */
import tls from 'node:tls';
import { INPUT_FILE_CAP_BYTES, readFileCapped } from '../runtime/read-file.js';
import type { GrpcModule } from './protos.js';
import { addressOf, type LndTarget } from './target.js';
import { silenceTlsServerNameWarning } from './quiet-warnings.js';

/** Client keepalive: ping after 30 s without data, give up 20 s later. lnd's minimum ping interval is 5 s. */
export const KEEPALIVE_TIME_MS = 30_000;
export const KEEPALIVE_TIMEOUT_MS = 20_000;

/**
 * Tests shorten keepalive (never below lnd's 5 s minimum) to see a half-open
 * connection detected without waiting a minute.
 */
function keepaliveTimeMs(): number {
  const v = Number(process.env.HTLC_TAIL_TEST_KEEPALIVE_MS);
  return Number.isFinite(v) && v >= 5_000 ? v : KEEPALIVE_TIME_MS;
}

/** Ping after `timeMs` without a sign of life; give up when the answer takes longer than `timeoutMs`. */
export function keepaliveSettings(): { readonly timeMs: number; readonly timeoutMs: number } {
  const timeMs = keepaliveTimeMs();
  return { timeMs, timeoutMs: timeMs === KEEPALIVE_TIME_MS ? KEEPALIVE_TIMEOUT_MS : 2_000 };
}

export function channelOptions(target: LndTarget): Record<string, string | number> {
  const keepalive = keepaliveSettings();
  const opts: Record<string, string | number> = {
    'grpc.keepalive_time_ms': keepalive.timeMs,
    'grpc.keepalive_timeout_ms': keepalive.timeoutMs,
    'grpc.keepalive_permit_without_calls': 0,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    // Our own reconnect loop decides when to retry a lost stream.
    'grpc.initial_reconnect_backoff_ms': 500,
    'grpc.max_reconnect_backoff_ms': 5_000,
    'grpc.enable_retries': 0,
    // One channel per tail: never share subchannels with another client in the process.
    'grpc.use_local_subchannel_pool': 1,
    // Every connection to lnd is direct (lnd/proxy-env.ts): grpc-js would otherwise follow
    // grpc_proxy/https_proxy/http_proxy, which the stream, REST and WebSocket connections never do.
    'grpc.enable_http_proxy': 0,
  };
  if (target.tlsServerName !== target.host) {
    opts['grpc.ssl_target_name_override'] = target.tlsServerName;
    opts['grpc.default_authority'] = target.tlsServerName;
  }
  return opts;
}

export type LndChannel = InstanceType<GrpcModule['Channel']>;

/**
 * The roots for a CA-signed node: Node's bundled CAs plus NODE_EXTRA_CA_CERTS,
 * exactly what Node's own TLS (and so the TLS probe) trusts. grpc-js left to
 * itself would ignore NODE_EXTRA_CA_CERTS.
 */
function systemRoots(): Buffer {
  const pems = [...tls.rootCertificates];
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    try {
      pems.push(readFileCapped(extra, 4 * INPUT_FILE_CAP_BYTES).toString('utf8'));
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS at start.
    }
  }
  return Buffer.from(pems.join('\n'));
}

export function openChannel(grpc: GrpcModule, target: LndTarget): LndChannel {
  silenceTlsServerNameWarning();
  const creds = grpc.credentials.createSsl(target.certPem ?? systemRoots());
  return new grpc.Channel(addressOf(target), creds, channelOptions(target));
}

/** The macaroon as lnd wants it: metadata `macaroon` = hex of the file's bytes. */
export function macaroonMetadata(grpc: GrpcModule, macaroon: Buffer | null): InstanceType<GrpcModule['Metadata']> {
  const md = new grpc.Metadata();
  if (macaroon) md.set('macaroon', macaroon.toString('hex'));
  return md;
}
