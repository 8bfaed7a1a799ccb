/**
 * Everything the transport needs to reach one node, with files already read.
 * The transport knows nothing about output; config builds this.
 */
import type { DialProxy } from './dial.js';

export interface LndTarget {
  /** host as given (name, IPv4, or IPv6 without brackets) */
  readonly host: string;
  readonly port: number;
  /** The name the server certificate must cover (--tls-server-name, else host). */
  readonly tlsServerName: string;
  /** PEM of the pinned certificate, or null to verify with the system roots (CA-signed node). */
  readonly certPem: Buffer | null;
  /** Where the pinned cert came from, for messages ("lndconnect URI", a path). */
  readonly certSource: string;
  /**
   * Set when no cert was named and the default tls.cert does not exist: the
   * system roots are tried (CA-signed nodes), and a failed verification is then
   * reported as this missing file (exit 3).
   */
  readonly certMissingPath?: string;
  /** The macaroon's bytes, or null when lnd runs with no-macaroons. Never printed. */
  readonly macaroon: Buffer | null;
  /** Where the macaroon came from, for messages. */
  readonly macaroonSource: string;
  readonly connectTimeoutMs: number;
  /** The SOCKS5 proxy every connection to the node goes through (dial.ts); null or absent: direct. */
  readonly proxy?: DialProxy | null;
}

/** `host:port`, with IPv6 hosts in brackets. */
export function addressOf(t: { host: string; port: number }): string {
  return t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}
