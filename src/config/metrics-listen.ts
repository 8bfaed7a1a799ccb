/**
 * `--metrics-listen HOST:PORT`: the address the metrics server binds.
 *
 * - `HOST:PORT`, `[IPV6]:PORT` (zone allowed: `[fe80::1%eth0]:9464`), a host
 *   name (`localhost:9464`, resolved when binding).
 * - No host (`:9464`, or just `9464`): loopback, 127.0.0.1. SPEC: loopback
 *   unless the user names another address; `0.0.0.0:9464` or `[::]:9464`
 *   serve every interface, on purpose.
 * - The port is required (there is no registered default worth guessing);
 *   0 asks the system for a free port (tests), the server reports the one it got.
 * - A bare IPv6 literal with a port (`::1:9464`) is ambiguous: brackets required.
 *
 * Anything else is a usage error (exit 2) naming the option. Pure.
 */
import net from 'node:net';
import { usageError } from '../errors.js';
import { formatHostPort, type HostPort } from './listen.js';

export const METRICS_LOOPBACK = '127.0.0.1';

export interface MetricsListen extends HostPort {
  /** As shown in messages: `host:port`, IPv6 in brackets. */
  readonly display: string;
}

/** A DNS name (letters, digits, hyphens, dots) or an IPv4 literal. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

function portOf(p: string): number | undefined {
  if (!/^\d{1,5}$/.test(p)) return undefined;
  const n = Number(p);
  return n <= 65535 ? n : undefined;
}

function split(t: string): { host: string; port: string } | string {
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close < 0) return 'an IPv6 address needs its closing bracket';
    const host = t.slice(1, close);
    if (!net.isIPv6(host.replace(/%[^%]+$/, ''))) return `[${host}] is not an IPv6 address`;
    const rest = t.slice(close + 1);
    if (rest === '') return 'the port is missing';
    if (rest[0] !== ':') return 'expected :PORT after the bracketed address';
    return { host, port: rest.slice(1) };
  }
  if (/^\d+$/.test(t)) return { host: '', port: t };
  const colons = t.split(':').length - 1;
  if (colons === 0) return 'the port is missing';
  if (colons > 1)
    return net.isIPv6(t)
      ? 'the port is missing (write an IPv6 address in brackets: [::1]:9464)'
      : 'write an IPv6 address in brackets, e.g. [::1]:9464';
  const i = t.indexOf(':');
  return { host: t.slice(0, i), port: t.slice(i + 1) };
}

export function parseMetricsListen(value: string, option = '--metrics-listen'): MetricsListen {
  const t = value.trim();
  const fail = (why: string) =>
    usageError(
      `${option} ${JSON.stringify(value)}: ${why}; give HOST:PORT, e.g. ${option} 127.0.0.1:9464 (:9464 is loopback, 0.0.0.0:9464 every interface)`,
    );
  if (t === '') throw fail('no address given');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) throw fail('give an address, not a URL');
  const parts = split(t);
  if (typeof parts === 'string') throw fail(parts);
  const port = portOf(parts.port);
  if (port === undefined)
    throw fail(parts.port === '' ? 'the port is missing' : `${JSON.stringify(parts.port)} is not a port (0–65535)`);
  const host = parts.host === '' ? METRICS_LOOPBACK : parts.host;
  if (/^[\d.]+$/.test(host) && !net.isIPv4(host)) throw fail(`${JSON.stringify(host)} is not an IPv4 address`);
  if (!net.isIPv6(host.replace(/%[^%]+$/, '')) && !HOST_NAME.test(host))
    throw fail(`${JSON.stringify(parts.host)} is not a host name or IP address`);
  return { host, port, display: formatHostPort({ host, port }) };
}
