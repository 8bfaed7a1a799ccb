/**
 * `htlc-tail demo`'s own options, and its config: the tail's output and
 * filter options against the simulated node it starts (its lnddir and
 * network), with nothing of the local lnd setup (no LNCLI_* variable, no
 * lndconnect URI). Connection options are refused: demo connects to its own
 * node.
 */
import { usageError } from '../errors.js';
import type { ResolveIO } from './io.js';
import { withoutLndEnvironment } from './lnd-env.js';
import type { Env } from './paths.js';
import { resolveConfig } from './resolve.js';
import type { Config, RawOptions } from './types.js';

/** The options that name a node, as RawOptions keys. */
const CONNECTION_KEYS = [
  'rpcserver',
  'lnddir',
  'network',
  'configfile',
  'tlscertpath',
  'macaroonpath',
  'tlsServerName',
  'lndconnect',
  'restserver',
] as const;

/** What the simulated node is started with. */
export interface DemoSettings {
  /** Events per second; undefined: the simulated node's default (sim/defaults.ts DEMO_RATE). */
  readonly rate: number | undefined;
  readonly seed: number | undefined;
  /** Tail its REST/WebSocket interface (--transport rest|ws) instead of gRPC. */
  readonly rest: boolean;
  readonly hostileAliases: boolean;
}

export interface DemoRawOptions extends RawOptions {
  readonly rate?: string;
  readonly seed?: string;
  readonly hostileAliases?: boolean;
}

const flagOf = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Checks demo's options (usage errors, exit 2) and returns what the node is started with. */
export function demoSettings(opts: DemoRawOptions): DemoSettings {
  for (const k of CONNECTION_KEYS) {
    if (opts[k] !== undefined) throw usageError(`demo connects to its own simulated node: drop ${flagOf(k)}`);
  }
  let rate: number | undefined;
  if (opts.rate !== undefined) {
    rate = Number(opts.rate);
    if (!Number.isFinite(rate) || rate < 0)
      throw usageError(`--rate must be a number of events per second, 0 or more (got "${opts.rate}")`);
  }
  const seed = opts.seed === undefined ? undefined : Number(opts.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed))
    throw usageError(`--seed must be an integer (got "${String(opts.seed)}")`);
  return {
    rate,
    seed,
    rest: opts.transport === 'rest' || opts.transport === 'ws',
    hostileAliases: opts.hostileAliases === true,
  };
}

/** The config to tail the simulated node at `node` with. */
export function demoConfig(
  opts: DemoRawOptions,
  node: { readonly lnddir: string; readonly network: string },
  env: Env,
  io: ResolveIO,
): Config {
  return resolveConfig({ ...opts, lnddir: node.lnddir, network: node.network }, withoutLndEnvironment(env), io);
}
