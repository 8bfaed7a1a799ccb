/**
 * Everything the lnd layer needs to reach one node, with files already read.
 * The lnd layer knows nothing about output; config builds this.
 */
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
  /** The macaroon's bytes. Never printed. */
  readonly macaroon: Buffer;
  /** Where the macaroon came from, for messages. */
  readonly macaroonSource: string;
  readonly connectTimeoutMs: number;
}

/** `host:port`, with IPv6 hosts in brackets. */
export function addressOf(t: { host: string; port: number }): string {
  return t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}
