/**
 * The addresses to dial, gRPC (`--rpcserver`) and REST (`--restserver`), by
 * one rule: the flag (or LNCLI_RPCSERVER), then the lndconnect URI, then the
 * lncli profile, then lnd.conf's first TCP `rpclisten`/`restlisten` made
 * dialable (`0.0.0.0`/`[::]`/`:P` → localhost), else localhost with the
 * default port. A host without a port gets the default port (10009, 8080).
 */
import { usageError } from '../errors.js';
import {
  DEFAULT_REST_PORT,
  DEFAULT_RPC_PORT,
  dialHost,
  firstDialTarget,
  parseHostPort,
  type HostPort,
} from './listen.js';
import { confSource } from './lndconf-file.js';
import type { LndConf } from './lndconf.js';
import type { Given } from './given.js';
import type { ProfileConnection } from './profile-connection.js';
import type { Endpoint } from './types.js';

export interface EndpointKind {
  readonly flag: '--rpcserver' | '--restserver';
  readonly listenKey: 'rpclisten' | 'restlisten';
  readonly defaultPort: number;
  /** For messages: "the lnd's gRPC address". */
  readonly what: string;
  /** The endpoint a profile (which holds lncli's gRPC address) gives. */
  fromProfile(p: ProfileConnection): Endpoint;
}

export const RPC_ENDPOINT: EndpointKind = {
  flag: '--rpcserver',
  listenKey: 'rpclisten',
  defaultPort: DEFAULT_RPC_PORT,
  what: "lnd's gRPC",
  fromProfile: (p) => ({ ...p.rpcServer, source: p.source }),
};

export const REST_ENDPOINT: EndpointKind = {
  flag: '--restserver',
  listenKey: 'restlisten',
  defaultPort: DEFAULT_REST_PORT,
  what: "lnd's REST",
  fromProfile: (p) => ({
    host: p.rpcServer.host,
    port: DEFAULT_REST_PORT,
    source: `${p.source} (its rpcserver host, REST port)`,
  }),
};

/** A flag's (or variable's) HOST:PORT; a usage error naming it when it is not one. */
export function givenEndpoint(kind: EndpointKind, g: Given): Endpoint {
  const hp = parseHostPort(g.value, kind.defaultPort);
  if (!hp) {
    const p = kind.defaultPort;
    throw usageError(
      `${g.source} ${JSON.stringify(g.value)} is not HOST:PORT (e.g. localhost:${p}, [::1]:${p}, mynode.onion:${p}); give the ${kind.what} address`,
    );
  }
  return { host: dialHost(hp.host), port: hp.port, source: g.source };
}

/** What an endpoint can come from, most important first (each may be absent). */
export interface EndpointSources {
  readonly given: Endpoint | undefined;
  readonly lndconnect: (HostPort & { readonly source: string }) | undefined;
  readonly profile: ProfileConnection | undefined;
  readonly conf: LndConf | undefined;
}

export function resolveEndpoint(kind: EndpointKind, s: EndpointSources): Endpoint {
  if (s.given) return s.given;
  if (s.lndconnect) return { host: s.lndconnect.host, port: s.lndconnect.port, source: s.lndconnect.source };
  if (s.profile) return kind.fromProfile(s.profile);
  const t =
    s.conf && firstDialTarget(s.conf[kind.listenKey], kind.defaultPort, s.conf.fileName, kind.listenKey, kind.flag);
  return t
    ? { host: t.host, port: t.port, source: confSource(s.conf, t.line, kind.listenKey) }
    : { host: 'localhost', port: kind.defaultPort, source: 'default' };
}
