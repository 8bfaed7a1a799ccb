/** The config step's pure part: which lnd.conf was read, and each connection setting with where it came from. */
import type { Config } from '../config/types.js';
import { cleanPath, defaultLndDir, getEnv, type Env } from '../config/paths.js';
import { ENV_VARS } from '../config/connection.js';
import { addressOf } from '../transport/target.js';
import { ok, warn, type StepOutcome } from './types.js';

/** Where lnd's directory came from: `--lnddir`, `LNCLI_LNDDIR`, lnd.conf's `lnddir`, or `default`. */
export function lndDirSource(
  config: Config,
  given: { readonly lnddir?: string },
  env: Env,
  platform: NodeJS.Platform,
  homedir: string,
): string {
  if (given.lnddir !== undefined) return '--lnddir';
  const v = getEnv(env, ENV_VARS.lnddir, platform);
  if (v !== undefined && v.trim() !== '') return ENV_VARS.lnddir;
  if (config.connection.lndDir !== cleanPath(defaultLndDir(platform, env, homedir), platform)) return 'lnd.conf lnddir';
  return 'default';
}

/** `/home/u/.lnd/lnd.conf:12 (rpclisten)` → `lnd.conf:12 rpclisten` when it is the lnd.conf shown anyway. */
export function shortSource(source: string, configFile: string | null): string {
  if (configFile && source.startsWith(`${configFile}:`)) {
    return `lnd.conf${source.slice(configFile.length)}`.replace(/ \((.*)\)$/, ' $1');
  }
  return source;
}

export function configOutcome(
  config: Config,
  dirSource: string,
  proxy: { readonly host: string; readonly port: number; readonly source: string } | null = null,
): StepOutcome {
  const c = config.connection;
  const src = (s: string) => shortSource(s, c.configFile);
  const parts = [
    c.configFile ? `lnd.conf ${c.configFile}` : 'no lnd.conf read',
    `network ${c.network} (${src(c.networkSource)})`,
    `lnddir ${c.lndDir} (${dirSource})`,
    `rpcserver ${addressOf(c.rpcServer)} (${src(c.rpcServer.source)})`,
  ];
  if (c.tlsServerNameSource === '--tls-server-name') parts.push(`tls name ${c.tlsServerName} (--tls-server-name)`);
  if (proxy) parts.push(`SOCKS5 proxy ${addressOf(proxy)} (${proxy.source})`);
  const detail = parts.join('; ');
  if (c.transport !== 'grpc') {
    return warn(
      `${detail}; --transport ${c.transport}: check tests the gRPC port only`,
      'the REST/WebSocket port is not checked',
    );
  }
  return ok(detail);
}
