/**
 * Addresses: `HOST:PORT` as a user types it (--rpcserver, --restserver, the
 * lndconnect host), and lnd's `rpclisten`/`restlisten` values turned into an
 * address to dial.
 *
 * Dialing a listen address: lnd listens on `0.0.0.0`, `[::]` or an empty host
 * (`:10009`, or just `10009`) to mean every interface; a client dials
 * `localhost` instead, which is also a name in lnd's own certificate. A bare
 * host gets the default port. IPv6 literals are written in brackets
 * (`[::1]:10009`), and a bare IPv6 literal (`::1`) is a host without a port.
 *
 * Unix sockets (`unix:///path`, `unixpacket://...`): htlc-tail dials TCP only
 * (the lnd layer's target is host and port, and the REST and WebSocket
 * transports need TCP), so a socket entry is skipped in favour of the next TCP
 * `rpclisten`; when lnd.conf lists only sockets, that is a configuration error
 * telling the user to pass --rpcserver.
 */
import net from 'node:net';
import { configError } from '../errors.js';
import type { LndConfValue } from './lndconf.js';

export const DEFAULT_RPC_PORT = 10009;
export const DEFAULT_REST_PORT = 8080;

/** A TCP address to dial. `host` is a name, IPv4 or IPv6 literal, never bracketed. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** `host:port`, IPv6 hosts in brackets. */
export function formatHostPort(hp: HostPort): string {
  return hp.host.includes(':') ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}

function parsePort(p: string): number | undefined {
  if (!/^\d{1,5}$/.test(p)) return undefined;
  const n = Number(p);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** A host name or IP literal: no spaces, no URL punctuation. */
function plausibleHost(h: string): boolean {
  return !/[\s/@?#[\]\\]/.test(h);
}

/** `0.0.0.0`, `::`, `''` (every interface) → `localhost`; anything else unchanged. */
export function dialHost(listenHost: string): string {
  const h = listenHost.toLowerCase();
  if (h === '' || h === '0.0.0.0' || h === '::' || /^(0+:){7}0+$/.test(h) || h === '::0') return 'localhost';
  return listenHost;
}

/**
 * Parses `HOST:PORT`, `[IPV6]:PORT`, `[IPV6]`, a bare IPv6 literal, a bare
 * host, a bare port (`10009`) or `:PORT`. A missing port is `defaultPort`; a
 * missing host is ''. Undefined when malformed (bad port, URL, spaces).
 */
export function parseHostPort(text: string, defaultPort: number): HostPort | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (t[0] === '[') {
    const close = t.indexOf(']');
    if (close < 0) return undefined;
    const host = t.slice(1, close);
    if (!net.isIPv6(host.replace(/%.*$/, ''))) return undefined;
    const rest = t.slice(close + 1);
    if (rest === '') return { host, port: defaultPort };
    if (rest[0] !== ':') return undefined;
    const port = parsePort(rest.slice(1));
    return port === undefined ? undefined : { host, port };
  }
  if (/^\d+$/.test(t)) {
    const port = parsePort(t);
    return port === undefined ? undefined : { host: '', port };
  }
  const colons = t.split(':').length - 1;
  if (colons === 0) return plausibleHost(t) ? { host: t, port: defaultPort } : undefined;
  if (colons === 1) {
    const [host, p] = t.split(':') as [string, string];
    if (!plausibleHost(host)) return undefined;
    if (p === '') return { host, port: defaultPort };
    const port = parsePort(p);
    return port === undefined ? undefined : { host, port };
  }
  return net.isIPv6(t.replace(/%.*$/, '')) ? { host: t, port: defaultPort } : undefined;
}

export type ListenAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string }
  /** A network lnd refuses for a listener (ip, udp, unixgram). */
  | { readonly kind: 'unsupported'; readonly network: string };

const TCP_NETWORKS = new Set(['tcp', 'tcp4', 'tcp6']);
const UNIX_NETWORKS = new Set(['unix', 'unixpacket']);
const REFUSED_NETWORKS = new Set(['ip', 'ip4', 'ip6', 'udp', 'udp4', 'udp6', 'unixgram']);

/**
 * One rpclisten/restlisten value, as lnd's lncfg.ParseAddressString reads it:
 * `network://address`, `network:address` (unix, unixpacket, tcp, tcp4,
 * tcp6), or an address with an optional port. Undefined when malformed.
 */
export function parseListenAddress(value: string, defaultPort: number): ListenAddress | undefined {
  const v = value.trim();
  let network: string | undefined;
  let addr = v;
  const sep = v.indexOf('://');
  if (sep >= 0) {
    network = v.slice(0, sep).toLowerCase();
    addr = v.slice(sep + 3);
  } else {
    const colon = v.indexOf(':');
    const first = colon >= 0 ? v.slice(0, colon).toLowerCase() : '';
    if (TCP_NETWORKS.has(first) || UNIX_NETWORKS.has(first) || REFUSED_NETWORKS.has(first)) {
      network = first;
      addr = v.slice(colon + 1);
    }
  }
  if (network !== undefined) {
    if (UNIX_NETWORKS.has(network)) return addr === '' ? undefined : { kind: 'unix', path: addr };
    if (REFUSED_NETWORKS.has(network)) return { kind: 'unsupported', network };
    if (!TCP_NETWORKS.has(network)) return undefined;
  }
  // lnd: `rpclisten=` (empty) and `:` mean every interface on the default port.
  if (addr === '' || addr === ':') return { kind: 'tcp', host: 'localhost', port: defaultPort };
  const hp = parseHostPort(addr, defaultPort);
  if (!hp) return undefined;
  return { kind: 'tcp', host: dialHost(hp.host), port: hp.port };
}

/** A dial target found in lnd.conf, with the line it came from. */
export interface ListenTarget extends HostPort {
  readonly line: number;
}

/**
 * The first TCP address among lnd.conf's `key` values (rpclisten or
 * restlisten), made dialable. Undefined when the key is absent. Throws a
 * configError naming the file and line for a malformed value, a network lnd
 * refuses, or when only Unix sockets are listed.
 */
export function firstDialTarget(
  values: readonly LndConfValue[],
  defaultPort: number,
  fileName: string,
  key: string,
  flag: string,
): ListenTarget | undefined {
  let firstSocket: LndConfValue | undefined;
  for (const v of values) {
    const a = parseListenAddress(v.value, defaultPort);
    if (!a) {
      throw configError(
        `${fileName}:${v.line}: ${key} is not an address htlc-tail can read (expected HOST:PORT, [IPV6]:PORT, :PORT or unix://PATH); fix lnd.conf or pass ${flag} HOST:PORT`,
      );
    }
    if (a.kind === 'unsupported') {
      throw configError(
        `${fileName}:${v.line}: ${key} uses network "${a.network}", which lnd does not listen on (only tcp or unix); fix lnd.conf or pass ${flag} HOST:PORT`,
      );
    }
    if (a.kind === 'unix') {
      firstSocket ??= v;
      continue;
    }
    return { host: a.host, port: a.port, line: v.line };
  }
  if (firstSocket) {
    throw configError(
      `${fileName}:${firstSocket.line}: lnd listens only on a Unix socket (${key}=${firstSocket.value}); htlc-tail connects over TCP: add a TCP ${key} to lnd.conf or pass ${flag} HOST:PORT`,
    );
  }
  return undefined;
}
