/**
 * The nodes of a run: lncli profiles (or the plain options when no profile
 * applies) → one resolved Config per node, each with its SOCKS5 proxy, plus
 * the notices the CLI prints once. Async because encrypted macaroons need a
 * password (asked at most once per run through the provider the CLI passes
 * in) and scrypt.
 *
 * Precedence with a profile, per setting: a command-line flag, then the
 * profile, then lnd's defaults. The LNCLI_* variables are not read for a node
 * that comes from a profile (lncli ignores them then too), and lnd.conf is
 * read only when --configfile names it (as with --lndconnect). So
 * `-p umbrel --rpcserver 10.0.0.5:10009` dials that address with the
 * profile's cert and macaroon, and `--macaroonpath` replaces the jar's
 * macaroon (nothing is then decrypted).
 *
 * Several nodes: repeated -p, `-p all`, or repeated --lndconnect (one node
 * per distinct URI). The options that set one node's address, files or
 * names (--rpcserver, --macaroonpath, …) are then usage errors: they would
 * apply to every node alike, which is never right; each profile or URI
 * holds its own. The options shared by all nodes (--connect-timeout,
 * --socks5, --wait, --no-reconnect, --transport, output and filters) apply
 * to each node.
 */
import { configError, usageError } from '../errors.js';
import { closestNames, typoDistance } from '../util/closest-names.js';
import { formatHostPort } from './listen.js';
import type { ResolveIO } from './io.js';
import { getEnv, type Env } from './paths.js';
import {
  PASSWORD_ENV,
  resolveProfileConnection,
  type PasswordProvider,
  type ProfileConnection,
} from './profile-connection.js';
import { NODE_FLAGS, requestProfiles, type ProfileOptions } from './profile-select.js';
import { loadProfilesFile, type ProfileEntry, type ProfilesFile } from './profiles-file.js';
import { resolveConfig } from './resolve.js';
import { SnaclError } from './snacl.js';
import { isOnionHost, onionDefaultNotice, proxyForHost, socksFromOptions, type SocksProxyConfig } from './socks.js';
import type { Config, RawOptions } from './types.js';

/** RawOptions plus the options of several nodes, profiles and proxies. */
export interface NodeOptions extends Omit<RawOptions, 'lndconnect'>, ProfileOptions {
  /** --lndconnect URI, repeatable: one node per distinct URI. */
  readonly lndconnect?: string | readonly string[];
  /** --socks5 HOST:PORT */
  readonly socks5?: string;
}

/** The options that set one node's address, files or TLS name: refused when several nodes are named. */
const ONE_NODE_OPTIONS: ReadonlyArray<readonly [keyof NodeOptions, string]> = [
  ...NODE_FLAGS.filter(([k]) => k !== 'lndconnect'),
  ['tlsServerName', '--tls-server-name'],
];

/** The --lndconnect values, trimmed and without repeats (undefined: none given). */
function lndconnectList(v: string | readonly string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return [...new Set((typeof v === 'string' ? [v] : v).map((u) => u.trim()))];
}

/** The options as resolveConfig reads them, for one node: one --lndconnect URI (or none). */
function oneNode(raw: NodeOptions, uri: string | undefined): RawOptions {
  const { lndconnect: _all, ...rest } = raw;
  return uri === undefined ? rest : { ...rest, lndconnect: uri };
}

/** A profile as the rest of the program may show it (no secrets). */
export interface ProfileInfo {
  readonly name: string;
  readonly file: string;
  /** The jar entry used ('' when --macaroonpath replaced it). */
  readonly macaroonName: string;
  readonly macaroonEncrypted: boolean;
  readonly macaroonTimeoutSec: number;
  readonly macaroonIp: string;
  /** gRPC metadata lncli would send; values may be secret. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ResolvedNode {
  /** The profile name, or null for a node given by flags, variables, lndconnect or lnd.conf. */
  readonly name: string | null;
  readonly config: Config;
  readonly profile: ProfileInfo | null;
  /** The SOCKS5 proxy every connection to this node goes through; null = direct. */
  readonly proxy: SocksProxyConfig | null;
}

export interface ResolvedNodes {
  readonly nodes: readonly ResolvedNode[];
  /** One-time notices for stderr (e.g. the default Tor proxy for onion addresses). */
  readonly notices: readonly string[];
}

export interface NodesDeps {
  /** Asks on the terminal; used only when HTLC_TAIL_MACAROON_PASSWORD is unset. */
  readonly password: PasswordProvider;
}

/** A generous connect timeout for onion addresses when --connect-timeout is not given: Tor may need many seconds to build a circuit. */
export const ONION_CONNECT_TIMEOUT_MS = 60_000;

function pickProfiles(file: ProfilesFile, names: readonly string[] | 'all', source: string): ProfileEntry[] {
  if (names === 'all') {
    if (file.profiles.length === 0)
      throw configError(`profiles file ${file.path} holds no profiles (${source} all); add one with lncli profile add`);
    return [...file.profiles];
  }
  return names.map((name) => {
    const p = file.profiles.find((e) => e.name === name);
    if (p) return p;
    const all = file.profiles.map((e) => e.name);
    const near = closestNames(name, all, 3, typoDistance(name));
    const hint = near.length
      ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}?`
      : all.length
        ? `it has ${all.map((n) => `"${n}"`).join(', ')}`
        : 'it has no profiles';
    throw configError(`profile "${name}" (${source}) not found in ${file.path}; ${hint}`);
  });
}

/**
 * The passwords of a run's encrypted macaroons: HTLC_TAIL_MACAROON_PASSWORD,
 * else asked once and reused for every profile; when the typed one does not
 * decrypt a profile's macaroon (a typo, or profiles added with different
 * passwords), that profile's password is asked for once more (`again`;
 * never with the variable set, whose value is then simply wrong). Each
 * caller gets its own copy (they zero it).
 */
function runPasswords(
  env: Env,
  platform: NodeJS.Platform,
  ask: PasswordProvider,
): { first: PasswordProvider; again: PasswordProvider } {
  let cached: Promise<Buffer> | undefined;
  const fromEnv = () => {
    const v = getEnv(env, PASSWORD_ENV, platform);
    return v !== undefined && v !== '' ? v : undefined;
  };
  return {
    first: async (req) => {
      const v = fromEnv();
      if (v !== undefined) return Buffer.from(v, 'utf8');
      cached ??= ask(req);
      return Buffer.from(await cached);
    },
    again: async (req) => {
      if (fromEnv() !== undefined) throw new SnaclError('wrong-password', 'wrong password');
      return ask(req);
    },
  };
}

function withTimeout(config: Config, ms: number): Config {
  return Object.freeze({ ...config, connection: Object.freeze({ ...config.connection, connectTimeoutMs: ms }) });
}

/** The endpoint a node's connections dial first (REST for rest/ws, else gRPC). */
function dialEndpoint(c: Config) {
  return c.connection.restServer ?? c.connection.rpcServer;
}

function profileInfo(c: ProfileConnection): ProfileInfo {
  const { name, file, macaroonName, macaroonEncrypted, macaroonTimeoutSec, macaroonIp, metadata } = c;
  return { name, file, macaroonName, macaroonEncrypted, macaroonTimeoutSec, macaroonIp, metadata };
}

async function profileNodes(
  raw: NodeOptions,
  env: Env,
  io: ResolveIO,
  file: ProfilesFile,
  names: readonly string[] | 'all',
  source: string,
  deps: NodesDeps,
): Promise<Array<{ name: string; config: Config; profile: ProfileInfo }>> {
  const entries = pickProfiles(file, names, source);
  const passwords = runPasswords(env, io.platform, deps.password);
  const out: Array<{ name: string; config: Config; profile: ProfileInfo }> = [];
  for (const entry of entries) {
    const conn = await resolveProfileConnection(entry, file, {
      needMacaroon: raw.macaroonpath === undefined,
      password: passwords.first,
      passwordAgain: passwords.again,
    });
    out.push({
      name: entry.name,
      config: resolveConfig(oneNode(raw, undefined), env, io, conn),
      profile: profileInfo(conn),
    });
  }
  return out;
}

/** A usage error for an option that sets one node's settings when several nodes are named. */
function refuseOneNodeOptions(
  raw: NodeOptions,
  nodes: ReadonlyArray<{ readonly name: string | null; readonly config: Config }>,
): void {
  const flag = ONE_NODE_OPTIONS.find(([k]) => raw[k] !== undefined)?.[1];
  if (flag === undefined) return;
  const named = nodes.every((n) => n.name !== null);
  const list = nodes.map((n) => n.name ?? formatHostPort(n.config.connection.rpcServer)).join(', ');
  const where = named ? 'set it in each profile (lncli profile add)' : 'each lndconnect URI holds its own';
  throw usageError(
    `${flag} sets one node's connection, but ${nodes.length} nodes are named (${list}); ${where}, or tail that node alone`,
  );
}

/**
 * A node's proxy (the named one, else Tor's default for an onion target,
 * else none) and, for an onion target without --connect-timeout, the longer
 * connect timeout. `check` uses it for its one node too.
 */
export function proxiedConfig(
  config: Config,
  named: SocksProxyConfig | null,
  timeoutGiven: boolean,
): { config: Config; proxy: SocksProxyConfig | null; onion: boolean } {
  const ep = dialEndpoint(config);
  const onion = isOnionHost(ep.host);
  return {
    config: onion && !timeoutGiven ? withTimeout(config, ONION_CONNECT_TIMEOUT_MS) : config,
    proxy: proxyForHost(ep.host, named),
    onion,
  };
}

/** Resolves every node of the run. Throws HtlcTailErrors (usage 2, config 3). */
export async function resolveNodes(raw: NodeOptions, env: Env, io: ResolveIO, deps: NodesDeps): Promise<ResolvedNodes> {
  const ctx = { platform: io.platform, env, homedir: io.homedir };
  const named = socksFromOptions(raw.socks5, env, io.platform);
  const request = requestProfiles(raw, env, ctx);

  const uris = lndconnectList(raw.lndconnect);
  const plain = () =>
    uris !== undefined && uris.length > 1
      ? uris.map((uri) => ({ name: null, config: resolveConfig(oneNode(raw, uri), env, io), profile: null }))
      : [{ name: null, config: resolveConfig(oneNode(raw, uris?.[0]), env, io), profile: null }];
  let base: Array<{ name: string | null; config: Config; profile: ProfileInfo | null }>;
  if (request.kind === 'named') {
    const why = `named by ${request.source}`;
    const file = loadProfilesFile(
      request.file.path,
      io,
      request.file.source === 'default' ? why : `${why}, file from ${request.file.source}`,
    );
    base = await profileNodes(raw, env, io, file, request.names, request.source, deps);
  } else if (request.kind === 'default-if-any') {
    const explicit = request.file.source !== 'default';
    // The default file is optional; one named by --profiles-file or LNCLI_PROFILES must exist.
    if (!explicit && !io.exists(request.file.path)) {
      base = plain();
    } else {
      const file = loadProfilesFile(
        request.file.path,
        io,
        explicit ? `named by ${request.file.source}` : "lncli's profiles file",
      );
      if (file.default !== '') {
        base = await profileNodes(raw, env, io, file, [file.default], `the default profile of ${file.path}`, deps);
      } else if (explicit) {
        const names = file.profiles.map((p) => `"${p.name}"`).join(', ') || 'none';
        throw usageError(
          `${request.file.source} ${file.path} has no default profile; choose one with -p NAME (profiles: ${names})`,
        );
      } else {
        base = plain();
      }
    }
  } else {
    base = plain();
  }

  if (base.length > 1) refuseOneNodeOptions(raw, base);

  const notices: string[] = [];
  const nodes = base.map((n): ResolvedNode => {
    const { config, proxy, onion } = proxiedConfig(n.config, named, raw.connectTimeout !== undefined);
    if (onion && !named && notices.length === 0) notices.push(onionDefaultNotice(formatHostPort(dialEndpoint(config))));
    return { ...n, config, proxy };
  });
  return { nodes, notices };
}
