/** The config layer's public API. */
export type {
  CertSource,
  Config,
  ConnectionConfig,
  Endpoint,
  FilterSpec,
  HostPort,
  MacaroonSource,
  NetworkName,
  OutputConfig,
  RawOptions,
} from './types.js';
export { resolveConfig } from './resolve.js';
export { ENV_VARS } from './connection.js';
export { defaultConfigIo, type ResolveIO, type ConfigIo } from './io.js';
export { targetSpecOf } from './target-spec.js';
export { parseLndConf, type LndConf, type LndConfValue } from './lndconf.js';
export { parseLndConnect, type LndConnect } from './lndconnect.js';
export { defaultLndDir, expandPath } from './paths.js';
export { formatHostPort, parseHostPort, parseListenAddress, DEFAULT_RPC_PORT, DEFAULT_REST_PORT } from './listen.js';
export { NETWORKS, parseNetworkName } from './networks.js';
