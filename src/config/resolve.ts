/**
 * resolveConfig: options from the CLI, the environment, an lndconnect URI,
 * lnd.conf and lnd's defaults → one validated, frozen Config.
 *
 * Order for every connection setting (SPEC): flag, then environment, then
 * `--lndconnect`, then lnd.conf, then lnd's defaults. Decisions:
 *
 * - Flags and lndconnect do not conflict: a flag (or its variable) wins over
 *   the URI setting by setting, so `--lndconnect URI --rpcserver tor:10009`
 *   dials tor:10009 with the URI's cert and macaroon.
 * - With an lndconnect URI, the local lnd.conf is not read unless
 *   `--configfile` names one: the URI describes the node to connect to, and a
 *   local lnd.conf describes a local node. The network then comes from
 *   -n/LNCLI_NETWORK or is mainnet (it only matters for default macaroon paths,
 *   which the URI replaces). A URI without `macaroon` is an error (exit 3)
 *   unless --macaroonpath/LNCLI_MACAROONPATH is given.
 * - lnd.conf is found at `--configfile`, else `<lnddir>/lnd.conf` where lnddir
 *   is --lnddir/LNCLI_LNDDIR or the OS default (as lnd finds it). A
 *   `--configfile` that does not exist is an error (exit 3); a missing default
 *   one is not. Its `lnddir` key then sets lnd's directory when neither
 *   --lnddir nor LNCLI_LNDDIR does.
 * - Like lnd itself (ValidateConfig), a non-default lnddir puts the data
 *   directory at `<lnddir>/data` and the cert at `<lnddir>/tls.cert`, whatever
 *   lnd.conf's `datadir`/`tlscertpath` say; with the default lnddir those keys
 *   are used.
 * - The macaroon: --macaroonpath/LNCLI_MACAROONPATH, the URI's, lnd.conf
 *   `readonlymacaroonpath`, else `<datadir>/chain/bitcoin/<net>/readonly.macaroon`
 *   (least privilege). With lnd.conf `no-macaroons=1` and no macaroon given,
 *   none is sent.
 * - The cert: --tlscertpath/LNCLI_TLSCERTPATH, the URI's (without `cert`: the
 *   system CA roots), lnd.conf `tlscertpath`, else `<lnddir>/tls.cert`; when
 *   nothing names a cert and that default file does not exist, the system CA
 *   roots verify the node (a CA-signed node needs no file) and the missing
 *   path is kept for the message should the handshake fail.
 * - The rpcserver: the first TCP `rpclisten` of lnd.conf, made dialable
 *   (`0.0.0.0`/`[::]`/`:P` → localhost), else localhost:10009; a host without
 *   a port gets 10009 (8080 for --restserver/restlisten).
 * - The TLS server name: --tls-server-name, else the host dialed.
 * - All paths (flags, variables, lnd.conf) are expanded like lnd does (`~`,
 *   `$VAR`, `${VAR}`). Empty variables count as unset.
 *
 * Errors: a bad option or variable value is a usage error (exit 2) naming it;
 * a missing, unreadable or malformed lnd.conf or lndconnect URI is a
 * configuration error (exit 3) naming the file (and line) or the option.
 * This layer reads lnd.conf only; certificate and macaroon files are read by
 * the lnd layer.
 */
import { configError, usageError } from '../errors.js';
import { compileFilterSpec, specAliases, specUsesAliases } from '../events/filter.js';
import { COLOR_MODES, FORMATS, TRANSPORTS } from '../format/names.js';
import { parseLndConf, type LndConf } from './lndconf.js';
import { parseLndConnect, type LndConnect } from './lndconnect.js';
import { DEFAULT_REST_PORT, DEFAULT_RPC_PORT, dialHost, firstDialTarget, parseHostPort } from './listen.js';
import { networkDirName, parseNetworkName, NETWORKS, type NetworkName } from './networks.js';
import { cleanPath, defaultLndDir, expandPath, getEnv, joinPath, type Env, type PathContext } from './paths.js';
import type { ResolveIO } from './io.js';
import type { ProfileConnection } from './profile-connection.js';
import type { CertSource, Config, Endpoint, MacaroonSource, RawOptions } from './types.js';
import { decideColor, parseChoice, parsePositiveInt, parseSeconds } from './values.js';
import { parseReasons } from './reason.js';
import { DEFAULT_CONNECT_TIMEOUT_SEC, DEFAULT_STATS_INTERVAL_SEC, DEFAULT_STUCK_AFTER_SEC } from './defaults.js';

/** The environment variables read here (lncli's, plus one for lndconnect). */
export const ENV_VARS = {
  rpcserver: 'LNCLI_RPCSERVER',
  lnddir: 'LNCLI_LNDDIR',
  network: 'LNCLI_NETWORK',
  tlscertpath: 'LNCLI_TLSCERTPATH',
  macaroonpath: 'LNCLI_MACAROONPATH',
  lndconnect: 'HTLC_TAIL_LNDCONNECT',
} as const;

export { DEFAULT_CONNECT_TIMEOUT_SEC, DEFAULT_STATS_INTERVAL_SEC, DEFAULT_STUCK_AFTER_SEC } from './defaults.js';

/** A setting given by a flag or a variable; `source` is its name (`--rpcserver`, `LNCLI_RPCSERVER`), the one to tell the user to change. */
interface Given {
  readonly value: string;
  readonly source: string;
}

function show(s: string): string {
  return JSON.stringify(s);
}

/** Freezes plain objects and arrays, deeply; Buffers and Sets are left as they are. */
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Buffer.isBuffer(o) && !(o instanceof Set) && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/**
 * `profile`: a node from an lncli profile (see nodes.ts). It takes the place
 * of --lndconnect in the order above, and the LNCLI_* variables are not read.
 */
export function resolveConfig(raw: RawOptions, env: Env, io: ResolveIO, profile?: ProfileConnection): Config {
  const ctx: PathContext = { platform: io.platform, env, homedir: io.homedir };
  const expand = (p: string): string => expandPath(p, ctx);

  const given = (flag: string | undefined, flagName: string, envName?: string): Given | undefined => {
    if (flag !== undefined) {
      if (flag.trim() === '') throw usageError(`${flagName} needs a value; see htlc-tail --help`);
      return { value: flag.trim(), source: flagName };
    }
    if (envName && !profile) {
      const v = getEnv(env, envName, io.platform);
      if (v !== undefined && v.trim() !== '') return { value: v.trim(), source: envName };
    }
    return undefined;
  };

  // ---- values that need no files (usage errors, exit 2) -------------------
  const format = raw.format === undefined ? 'pretty' : parseChoice(raw.format, '--format', FORMATS);
  const colorMode = raw.color === undefined ? 'auto' : parseChoice(raw.color, '--color', COLOR_MODES);
  const transport = raw.transport === undefined ? 'grpc' : parseChoice(raw.transport, '--transport', TRANSPORTS);
  const connectTimeoutSec =
    raw.connectTimeout === undefined
      ? DEFAULT_CONNECT_TIMEOUT_SEC
      : parseSeconds(raw.connectTimeout, '--connect-timeout', { allowZero: false, example: '30' });
  const statsIntervalSec =
    raw.statsInterval === undefined
      ? DEFAULT_STATS_INTERVAL_SEC
      : parseSeconds(raw.statsInterval, '--stats-interval', { allowZero: true, min: 1, example: '60' });
  const stuckAfterSec =
    raw.stuckAfter === undefined
      ? DEFAULT_STUCK_AFTER_SEC
      : parseSeconds(raw.stuckAfter, '--stuck-after', { allowZero: false, example: '300' });
  const count = raw.count === undefined ? undefined : parsePositiveInt(raw.count, '--count', '10');

  const filter = compileFilterSpec(raw, parseReasons(raw.reason));
  const aliases = raw.aliases !== false;
  if (!aliases && specUsesAliases(filter)) {
    const { option, alias } = specAliases(filter)[0]!;
    throw usageError(
      `${option} ${show(alias)} is a peer alias (not a channel id or BLOCKxTXxOUT), but --no-aliases turns alias lookups off; drop --no-aliases or give the channel id`,
    );
  }
  if (raw.stats === false && statsIntervalSec > 0) {
    throw usageError('--stats-interval prints summaries and --no-stats turns them off; give only one of them');
  }
  const stats = raw.stats ?? (statsIntervalSec > 0 ? true : io.stderrIsTTY);

  const netGiven = given(raw.network, '--network', ENV_VARS.network);
  let netFromUser: NetworkName | undefined;
  if (netGiven) {
    netFromUser = parseNetworkName(netGiven.value);
    if (!netFromUser) {
      throw usageError(`${netGiven.source} ${show(netGiven.value)} is not a network; use one of ${NETWORKS.join(', ')}`);
    }
  }

  const endpointOf = (g: Given, defaultPort: number, what: string): Endpoint => {
    const hp = parseHostPort(g.value, defaultPort);
    if (!hp) {
      throw usageError(
        `${g.source} ${show(g.value)} is not HOST:PORT (e.g. localhost:${defaultPort}, [::1]:${defaultPort}, mynode.onion:${defaultPort}); give the ${what} address`,
      );
    }
    return { host: dialHost(hp.host), port: hp.port, source: g.source };
  };
  const rpcGiven = given(raw.rpcserver, '--rpcserver', ENV_VARS.rpcserver);
  const rpcFromUser = rpcGiven ? endpointOf(rpcGiven, DEFAULT_RPC_PORT, "lnd's gRPC") : undefined;
  const restGiven = given(raw.restserver, '--restserver');
  const restFromUser = restGiven ? endpointOf(restGiven, DEFAULT_REST_PORT, "lnd's REST") : undefined;
  if (restGiven && transport === 'grpc') {
    throw usageError(
      `--restserver is lnd's REST address, used only with --transport rest or ws (the default transport, grpc, dials --rpcserver); add --transport rest (or ws), or drop --restserver`,
    );
  }
  const tlsNameGiven = given(raw.tlsServerName, '--tls-server-name');
  if (tlsNameGiven && /[\s/]/.test(tlsNameGiven.value)) {
    throw usageError(`--tls-server-name ${show(tlsNameGiven.value)} is not a host name; give a name the certificate holds, e.g. localhost`);
  }

  // ---- lndconnect (configuration errors, exit 3) ---------------------------
  const lcGiven = profile ? undefined : given(raw.lndconnect, '--lndconnect', ENV_VARS.lndconnect);
  const lc: LndConnect | undefined = lcGiven ? parseLndConnect(lcGiven.value, lcGiven.source) : undefined;

  // ---- lnd.conf ------------------------------------------------------------
  const defaultDir = defaultLndDir(io.platform, env, io.homedir);
  const dirGiven = given(raw.lnddir, '--lnddir', ENV_VARS.lnddir);
  const preDir = dirGiven ? expand(dirGiven.value) : defaultDir;

  let conf: LndConf | undefined;
  const readConf = (path: string): LndConf => {
    let text: string;
    try {
      text = io.readFile(path).toString('utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        (e as { reason?: string }).reason ??
        (code === 'ENOENT'
          ? 'no such file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'EISDIR'
              ? 'it is a directory'
              : (code ?? 'read error'));
      const remedy = code === 'ENOTREG' || code === 'EFBIG' ? "point --configfile (or --lnddir) at lnd's lnd.conf" : 'make it readable for this user, or point --configfile (or --lnddir) at a readable lnd.conf';
      throw configError(`cannot read lnd.conf ${path} (${why}); ${remedy}`, e);
    }
    return parseLndConf(text, path, { expand });
  };
  if (raw.configfile !== undefined) {
    if (raw.configfile.trim() === '') throw usageError('--configfile needs a value; see htlc-tail --help');
    const path = expand(raw.configfile.trim());
    if (!io.exists(path)) {
      throw configError(
        `--configfile ${path}: no such file; check the path, or leave --configfile out to use <lnddir>/lnd.conf`,
      );
    }
    conf = readConf(path);
  } else if (!lc && !profile) {
    const path = joinPath(io.platform, preDir, 'lnd.conf');
    if (io.exists(path)) conf = readConf(path);
  }
  const confSource = (line: number, key: string): string => `${conf!.fileName}:${line} (${key})`;

  // ---- directories and network --------------------------------------------
  const lndDir = cleanPath(dirGiven ? preDir : profile?.lndDir || (conf?.lnddir?.value ?? defaultDir), io.platform);
  const customDir = lndDir !== cleanPath(defaultDir, io.platform);
  const dataDir =
    !customDir && conf?.datadir ? cleanPath(conf.datadir.value, io.platform) : joinPath(io.platform, lndDir, 'data');

  let network: NetworkName;
  let networkSource: string;
  if (netFromUser) {
    network = netFromUser;
    networkSource = netGiven!.source;
  } else if (profile?.network) {
    network = profile.network;
    networkSource = profile.source;
  } else if (conf?.network) {
    network = conf.network.name;
    networkSource = confSource(conf.network.line, `bitcoin.${conf.network.name}`);
  } else {
    network = 'mainnet';
    networkSource = 'default';
  }

  // ---- addresses -----------------------------------------------------------
  let rpcServer: Endpoint;
  if (rpcFromUser) {
    rpcServer = rpcFromUser;
  } else if (lc) {
    rpcServer = { host: lc.host, port: lc.port, source: lcGiven!.source };
  } else if (profile) {
    rpcServer = { ...profile.rpcServer, source: profile.source };
  } else {
    const t = conf && firstDialTarget(conf.rpclisten, DEFAULT_RPC_PORT, conf.fileName, 'rpclisten', '--rpcserver');
    rpcServer = t
      ? { host: t.host, port: t.port, source: confSource(t.line, 'rpclisten') }
      : { host: 'localhost', port: DEFAULT_RPC_PORT, source: 'default' };
  }

  let restServer: Endpoint | null = null;
  if (transport !== 'grpc') {
    if (restFromUser) {
      restServer = restFromUser;
    } else if (lc) {
      restServer = { host: lc.host, port: lc.port, source: lcGiven!.source };
    } else if (profile) {
      restServer = { host: profile.rpcServer.host, port: DEFAULT_REST_PORT, source: `${profile.source} (its rpcserver host, REST port)` };
    } else {
      const t = conf && firstDialTarget(conf.restlisten, DEFAULT_REST_PORT, conf.fileName, 'restlisten', '--restserver');
      restServer = t
        ? { host: t.host, port: t.port, source: confSource(t.line, 'restlisten') }
        : { host: 'localhost', port: DEFAULT_REST_PORT, source: 'default' };
    }
  }
  const tlsServerName = tlsNameGiven?.value ?? (restServer ?? rpcServer).host;
  const tlsServerNameSource = tlsNameGiven ? '--tls-server-name' : 'host';

  // ---- certificate ---------------------------------------------------------
  let cert: CertSource;
  const certGiven = given(raw.tlscertpath, '--tlscertpath', ENV_VARS.tlscertpath);
  if (certGiven) {
    cert = { kind: 'file', path: expand(certGiven.value), option: certGiven.source, source: certGiven.source };
  } else if (lc) {
    cert = lc.certPem
      ? { kind: 'pem', pem: lc.certPem, source: `${lcGiven!.source} URI` }
      : { kind: 'system', source: `${lcGiven!.source} URI without cert (CA-signed node)` };
  } else if (profile) {
    cert = profile.cert;
  } else if (!customDir && conf?.tlscertpath) {
    cert = {
      kind: 'file',
      path: conf.tlscertpath.value,
      option: '--tlscertpath',
      source: confSource(conf.tlscertpath.line, 'tlscertpath'),
    };
  } else {
    const path = joinPath(io.platform, lndDir, 'tls.cert');
    cert = io.exists(path)
      ? { kind: 'file', path, option: '--tlscertpath', source: 'default' }
      : { kind: 'system', source: `no cert given and none at ${path}`, missingDefaultPath: path };
  }

  // ---- macaroon ------------------------------------------------------------
  let macaroon: MacaroonSource;
  const macGiven = given(raw.macaroonpath, '--macaroonpath', ENV_VARS.macaroonpath);
  if (macGiven) {
    macaroon = { kind: 'file', path: expand(macGiven.value), option: macGiven.source, source: macGiven.source };
  } else if (lc) {
    if (!lc.macaroon) {
      throw configError(
        `${lcGiven!.source}: the lndconnect URI has no macaroon parameter; use a URI that includes one, or pass --macaroonpath`,
      );
    }
    macaroon = { kind: 'bytes', bytes: lc.macaroon, source: `${lcGiven!.source} URI` };
  } else if (profile?.macaroon) {
    macaroon = profile.macaroon;
  } else if (conf?.noMacaroons) {
    macaroon = { kind: 'none', source: `${conf.fileName} (no-macaroons)` };
  } else if (conf?.readonlymacaroonpath) {
    macaroon = {
      kind: 'file',
      path: conf.readonlymacaroonpath.value,
      option: '--macaroonpath',
      source: confSource(conf.readonlymacaroonpath.line, 'readonlymacaroonpath'),
    };
  } else {
    macaroon = {
      kind: 'file',
      path: joinPath(io.platform, dataDir, 'chain', 'bitcoin', networkDirName(network), 'readonly.macaroon'),
      option: '--macaroonpath',
      source: 'default',
    };
  }

  const config: Config = {
    connection: {
      rpcServer,
      restServer,
      tlsServerName,
      tlsServerNameSource,
      cert,
      macaroon,
      network,
      networkSource,
      lndDir,
      dataDir,
      configFile: conf?.fileName ?? null,
      connectTimeoutMs: Math.max(1, Math.round(connectTimeoutSec * 1000)),
      wait: raw.wait === true,
      reconnect: raw.reconnect !== false,
      transport,
    },
    output: {
      format,
      colorMode,
      color: decideColor(colorMode, env, io.stdoutIsTTY),
      stderrColor: decideColor(colorMode, env, io.stderrIsTTY),
      utc: raw.utc === true,
      aliases,
      stats,
      statsIntervalSec,
      stuckAfterSec,
    },
    filter,
    count,
    debug: raw.debug === true,
  };
  return deepFreeze(config);
}
