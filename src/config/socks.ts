/**
 * The SOCKS5 proxy setting (pure): `--socks5 HOST:PORT`, else
 * `HTLC_TAIL_SOCKS5`. Every connection then goes through it with the host
 * name resolved by the proxy (socks5h), so Tor `.onion` addresses work. A
 * `.onion` target with no proxy named uses Tor's usual 127.0.0.1:9050, and
 * the caller says so once.
 *
 * Accepted: `HOST:PORT`, `[IPV6]:PORT`, `:PORT` (127.0.0.1), and the same
 * after `socks5://` or `socks5h://` (curl's habit). A port is required. Proxy
 * credentials are not supported; other schemes are usage errors (exit 2).
 */
import { usageError } from '../errors.js';
import { formatHostPort, parseHostPort } from './listen.js';
import { getEnv, type Env } from './paths.js';

export const SOCKS5_ENV = 'HTLC_TAIL_SOCKS5';

export interface SocksProxyConfig {
  readonly host: string;
  readonly port: number;
  /** `--socks5`, `HTLC_TAIL_SOCKS5`, or ONION_DEFAULT_SOURCE. */
  readonly source: string;
}

export const ONION_DEFAULT_SOURCE = 'default for .onion addresses';
export const TOR_DEFAULT_PROXY: SocksProxyConfig = { host: '127.0.0.1', port: 9050, source: ONION_DEFAULT_SOURCE };

/** A Tor onion host: `….onion` (v3 addresses are 56 base32 characters before it). */
export function isOnionHost(host: string): boolean {
  return /\.onion\.?$/i.test(host);
}

/** Parses one --socks5 / HTLC_TAIL_SOCKS5 value; `source` names it in errors. */
export function parseSocks5(value: string, source: string): SocksProxyConfig {
  const show = JSON.stringify(value);
  const fix = 'give the proxy as HOST:PORT, e.g. 127.0.0.1:9050 for Tor';
  let t = value.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(t);
  if (scheme) {
    const s = scheme[1]!.toLowerCase();
    if (s !== 'socks5' && s !== 'socks5h') {
      throw usageError(`${source} ${show}: only SOCKS5 proxies are supported (not ${s}://); ${fix}`);
    }
    t = t.slice(scheme[0].length).replace(/\/$/, '');
  }
  if (t.includes('@')) {
    throw usageError(`${source}: proxy user names and passwords are not supported; ${fix}`);
  }
  if (t === '') throw usageError(`${source} needs a value; ${fix}`);
  const hp = parseHostPort(t, 0);
  if (!hp) throw usageError(`${source} ${show} is not HOST:PORT; ${fix}`);
  if (hp.port === 0) throw usageError(`${source} ${show} has no port; ${fix}`);
  return { host: hp.host === '' ? '127.0.0.1' : hp.host, port: hp.port, source };
}

/** The proxy the user named (flag, else variable), or null. */
export function socksFromOptions(
  flag: string | undefined,
  env: Env,
  platform: NodeJS.Platform,
): SocksProxyConfig | null {
  if (flag !== undefined) return parseSocks5(flag, '--socks5');
  const v = getEnv(env, SOCKS5_ENV, platform);
  if (v !== undefined && v.trim() !== '') return parseSocks5(v, SOCKS5_ENV);
  return null;
}

/** The proxy for one target: the named one, else Tor's default for an onion host, else none (direct). */
export function proxyForHost(host: string, named: SocksProxyConfig | null): SocksProxyConfig | null {
  if (named) return named;
  return isOnionHost(host) ? TOR_DEFAULT_PROXY : null;
}

/** The one notice for onion targets reached through the default proxy. */
export function onionDefaultNotice(target: string): string {
  return `${target} is a Tor onion address and no proxy was named: connecting through Tor's SOCKS5 proxy at ${formatHostPort(TOR_DEFAULT_PROXY)} (set --socks5 or ${SOCKS5_ENV} for another, e.g. 127.0.0.1:9150 for Tor Browser)`;
}
