/**
 * HTTP(S) proxy variables. Every connection htlc-tail makes to lnd (the gRPC
 * stream, the unary calls, REST and WebSocket) is opened by dial.ts: directly,
 * or through the node's SOCKS5 proxy (--socks5). The HTTP(S) proxy variables are
 * ignored by all of them alike; when one that names a proxy is set, the tail
 * says once that it ignores it, so nobody wonders why traffic bypasses it.
 * Pure: the environment is passed in.
 */

/** Variables that name a proxy, as curl, grpc-js and most tools read them. */
export const PROXY_VARIABLES = [
  'grpc_proxy',
  'https_proxy',
  'HTTPS_PROXY',
  'http_proxy',
  'HTTP_PROXY',
  'all_proxy',
  'ALL_PROXY',
] as const;

/** The notice for stderr when a proxy variable is set, else undefined. */
export function proxyNotice(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const set = PROXY_VARIABLES.filter((k) => (env[k] ?? '').trim() !== '');
  if (set.length === 0) return undefined;
  const names = set.join(', ');
  return `${names} ${set.length === 1 ? 'is' : 'are'} set but ignored: htlc-tail connects to lnd directly, or through the SOCKS5 proxy of --socks5 (gRPC, REST and WebSocket alike)`;
}
