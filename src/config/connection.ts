/**
 * The connection part of a run's config: where lnd is, how to verify it and
 * what to authenticate with, from flags, the LNCLI_* variables, an lndconnect
 * URI or an lncli profile, lnd.conf and lnd's defaults (the order and the
 * decisions are in resolve.ts's header).
 *
 * - lnd.conf's `lnddir` sets lnd's directory when neither --lnddir nor
 *   LNCLI_LNDDIR does. Like lnd itself (ValidateConfig), a non-default lnddir
 *   puts the data directory at `<lnddir>/data` and the cert at
 *   `<lnddir>/tls.cert`, whatever lnd.conf's `datadir`/`tlscertpath` say.
 * - The network: -n/LNCLI_NETWORK, the profile's, lnd.conf's `bitcoin.<net>`,
 *   else mainnet.
 * - The TLS server name: --tls-server-name, else the host dialed.
 */
import { usageError } from '../errors.js';
import { TRANSPORTS } from '../format/names.js';
import { givenEndpoint, resolveEndpoint, REST_ENDPOINT, RPC_ENDPOINT } from './endpoints.js';
import { resolveCert, resolveMacaroon, type CredentialSources } from './credentials.js';
import { DEFAULT_CONNECT_TIMEOUT_SEC } from './defaults.js';
import { givenReader } from './given.js';
import type { ResolveIO } from './io.js';
import { confSource, findLndConf } from './lndconf-file.js';
import { parseLndConnect } from './lndconnect.js';
import { NETWORKS, parseNetworkName, type NetworkName } from './networks.js';
import { cleanPath, defaultLndDir, expandPath, joinPath, type Env } from './paths.js';
import type { ProfileConnection } from './profile-connection.js';
import type { ConnectionOptions } from './raw-options.js';
import type { ConnectionConfig } from './types.js';
import { parseChoice, parseSeconds } from './values.js';

/** The environment variables read here (lncli's, plus one for lndconnect). */
export const ENV_VARS = {
  rpcserver: 'LNCLI_RPCSERVER',
  lnddir: 'LNCLI_LNDDIR',
  network: 'LNCLI_NETWORK',
  tlscertpath: 'LNCLI_TLSCERTPATH',
  macaroonpath: 'LNCLI_MACAROONPATH',
  lndconnect: 'HTLC_TAIL_LNDCONNECT',
} as const;

const show = (s: string): string => JSON.stringify(s);

/** `profile`: the node comes from an lncli profile; it takes the place of --lndconnect, and the LNCLI_* variables are not read. */
export function resolveConnection(
  raw: ConnectionOptions,
  env: Env,
  io: ResolveIO,
  profile?: ProfileConnection,
): ConnectionConfig {
  const expand = (p: string): string => expandPath(p, { platform: io.platform, env, homedir: io.homedir });
  const given = givenReader(env, io.platform, profile === undefined);

  // ---- values that need no files (usage errors, exit 2) -------------------
  const transport = raw.transport === undefined ? 'grpc' : parseChoice(raw.transport, '--transport', TRANSPORTS);
  const connectTimeoutSec =
    raw.connectTimeout === undefined
      ? DEFAULT_CONNECT_TIMEOUT_SEC
      : parseSeconds(raw.connectTimeout, '--connect-timeout', { allowZero: false, example: '30' });
  const netGiven = given(raw.network, '--network', ENV_VARS.network);
  const netFromUser = netGiven && parseNetworkName(netGiven.value);
  if (netGiven && !netFromUser) {
    throw usageError(`${netGiven.source} ${show(netGiven.value)} is not a network; use one of ${NETWORKS.join(', ')}`);
  }
  const rpcGiven = given(raw.rpcserver, '--rpcserver', ENV_VARS.rpcserver);
  const rpcFromUser = rpcGiven && givenEndpoint(RPC_ENDPOINT, rpcGiven);
  const restGiven = given(raw.restserver, '--restserver');
  const restFromUser = restGiven && givenEndpoint(REST_ENDPOINT, restGiven);
  if (restGiven && transport === 'grpc') {
    throw usageError(
      `--restserver is lnd's REST address, used only with --transport rest or ws (the default transport, grpc, dials --rpcserver); add --transport rest (or ws), or drop --restserver`,
    );
  }
  const tlsNameGiven = given(raw.tlsServerName, '--tls-server-name');
  if (tlsNameGiven && /[\s/]/.test(tlsNameGiven.value)) {
    throw usageError(
      `--tls-server-name ${show(tlsNameGiven.value)} is not a host name; give a name the certificate holds, e.g. localhost`,
    );
  }

  // ---- lndconnect and lnd.conf (configuration errors, exit 3) -------------
  const lcGiven = profile ? undefined : given(raw.lndconnect, '--lndconnect', ENV_VARS.lndconnect);
  const lndconnect = lcGiven && { uri: parseLndConnect(lcGiven.value, lcGiven.source), source: lcGiven.source };
  const defaultDir = defaultLndDir(io.platform, env, io.homedir);
  const dirGiven = given(raw.lnddir, '--lnddir', ENV_VARS.lnddir);
  const preDir = dirGiven ? expand(dirGiven.value) : defaultDir;
  const conf = findLndConf(raw.configfile, preDir, lndconnect !== undefined || profile !== undefined, io, expand);

  // ---- directories and network --------------------------------------------
  const lndDir = cleanPath(dirGiven ? preDir : profile?.lndDir || (conf?.lnddir?.value ?? defaultDir), io.platform);
  const customDir = lndDir !== cleanPath(defaultDir, io.platform);
  const dataDir =
    !customDir && conf?.datadir ? cleanPath(conf.datadir.value, io.platform) : joinPath(io.platform, lndDir, 'data');
  const [network, networkSource]: [NetworkName, string] = netFromUser
    ? [netFromUser, netGiven.source]
    : profile?.network
      ? [profile.network, profile.source]
      : conf?.network
        ? [conf.network.name, confSource(conf, conf.network.line, `bitcoin.${conf.network.name}`)]
        : ['mainnet', 'default'];

  // ---- addresses and credentials -------------------------------------------
  const lcEndpoint = lndconnect && { host: lndconnect.uri.host, port: lndconnect.uri.port, source: lndconnect.source };
  const rpcServer = resolveEndpoint(RPC_ENDPOINT, { given: rpcFromUser, lndconnect: lcEndpoint, profile, conf });
  const restServer =
    transport === 'grpc'
      ? null
      : resolveEndpoint(REST_ENDPOINT, { given: restFromUser, lndconnect: lcEndpoint, profile, conf });
  const sources: CredentialSources = {
    lndconnect,
    profile,
    conf,
    platform: io.platform,
    exists: (p) => io.exists(p),
    expand,
  };
  const cert = resolveCert(given(raw.tlscertpath, '--tlscertpath', ENV_VARS.tlscertpath), sources, {
    lndDir,
    customDir,
  });
  const macaroon = resolveMacaroon(given(raw.macaroonpath, '--macaroonpath', ENV_VARS.macaroonpath), sources, {
    dataDir,
    network,
  });

  return {
    rpcServer,
    restServer,
    tlsServerName: tlsNameGiven?.value ?? (restServer ?? rpcServer).host,
    tlsServerNameSource: tlsNameGiven ? '--tls-server-name' : 'host',
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
  };
}
