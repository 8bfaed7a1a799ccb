/**
 * From the resolved config of a node (config/) to its NodeConnection
 * (transport/): the target spec with the node's SOCKS5 proxy, the transport,
 * --wait and --no-reconnect, and the keepalive (the test hook
 * HTLC_TAIL_TEST_KEEPALIVE_MS is read here, once, for the whole run).
 */
import { targetSpecOf } from '../config/target-spec.js';
import type { Config } from '../config/types.js';
import { buildTarget } from '../transport/credentials.js';
import type { DialProxy } from '../transport/dial.js';
import { keepaliveFromEnv } from '../transport/grpc/keepalive.js';
import { NodeConnection, type NodeConnectionConfig } from '../transport/node-connection.js';

export interface NodeSetting {
  /** The profile name, or null. */
  readonly name: string | null;
  readonly config: Config;
  /** Every connection to the node goes through it; null: direct. */
  readonly proxy: DialProxy | null;
}

export function nodeConnectionConfig(
  node: NodeSetting,
  env: Readonly<Record<string, string | undefined>>,
): NodeConnectionConfig {
  const c = node.config.connection;
  return {
    profile: node.name,
    transport: c.transport,
    target: { ...targetSpecOf(node.config), proxy: node.proxy },
    wait: c.wait,
    reconnect: c.reconnect,
    keepalive: keepaliveFromEnv(env),
  };
}

/** The node's connection, its cert and macaroon read now (a missing or malformed file: exit 3). */
export function connectNode(
  node: NodeSetting,
  env: Readonly<Record<string, string | undefined>> = process.env,
): NodeConnection {
  const cfg = nodeConnectionConfig(node, env);
  return new NodeConnection(cfg, buildTarget(cfg.target));
}
