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
 *   one is not (lndconf-file.ts).
 * - Directories, network and TLS server name: connection.ts; the addresses:
 *   endpoints.ts; the cert and the macaroon: credentials.ts.
 * - All paths (flags, variables, lnd.conf) are expanded like lnd does (`~`,
 *   `$VAR`, `${VAR}`). Empty variables count as unset.
 *
 * Errors: a bad option or variable value is a usage error (exit 2) naming it;
 * a missing, unreadable or malformed lnd.conf or lndconnect URI is a
 * configuration error (exit 3) naming the file (and line) or the option.
 * This layer reads lnd.conf only; certificate and macaroon files are read by
 * the lnd layer.
 *
 * The parts, each a function of its own: output (output.ts), filters and
 * --count (filter-options.ts), connection (connection.ts); the per-command
 * extras are in demo-config.ts and replay-config.ts, `report`'s own options
 * in report-config.ts, and several nodes (lncli profiles) in nodes.ts.
 */
import { resolveConnection } from './connection.js';
import { resolveFilters } from './filter-options.js';
import type { ResolveIO } from './io.js';
import { resolveOutput } from './output.js';
import type { Env } from './paths.js';
import type { ProfileConnection } from './profile-connection.js';
import type { Config, RawOptions } from './types.js';

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
  const output = resolveOutput(raw, env, io);
  const { filter, count } = resolveFilters(raw, output.aliases);
  const connection = resolveConnection(raw, env, io, profile);
  return deepFreeze({ connection, output, filter, count, debug: raw.debug === true });
}
