/**
 * The unary calls the tail makes to a node (for peer aliases and the block
 * height), as every transport offers them: GetInfo, ListChannels with
 * peer_alias_lookup, GetNodeInfo. Failures reject with a CallStatus
 * (`{code, details}`, gRPC's codes on every transport).
 *
 * The answers have the same snake_case shape from protobufjs (keepCase, uint64
 * as strings) and from lnd's REST JSON; one mapping serves both.
 */

export interface NodeInfoSummary {
  readonly alias: string;
  readonly identityPubkey: string;
  readonly version: string;
  readonly blockHeight: number;
  readonly syncedToChain: boolean;
  readonly network: string | undefined;
}

export interface ChannelSummary {
  readonly chanId: string;
  readonly remotePubkey: string;
  readonly peerAlias: string;
  readonly active: boolean;
}

/** A node's unary lookups; gRPC (grpc/lookups.ts) and REST (rest/lookups.ts) both provide them. */
export interface NodeLookups {
  getInfo(): Promise<NodeInfoSummary>;
  listChannels(): Promise<ChannelSummary[]>;
  /** The node's alias from the graph, '' when unknown (a peer the graph does not know). */
  getNodeAlias(pubkey: string): Promise<string>;
  /** Releases the connection once the calls in flight are done; later calls fail as CANCELLED. */
  close(): void;
}

// The answers come untyped (protobufjs objects, JSON.parse): each field is checked here.
type Fields = Readonly<Record<string, unknown>>;
const fieldsOf = (v: unknown): Fields => (typeof v === 'object' && v !== null ? (v as Fields) : {});
const textOf = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A uint64 id as lnd's decimal string (protobufjs gives strings; a number or BigInt is printed exactly). */
const idOf = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? v.toString() : '0';

export function nodeInfoOf(answer: unknown): NodeInfoSummary {
  const r = fieldsOf(answer);
  const chain = fieldsOf(Array.isArray(r.chains) ? (r.chains as unknown[])[0] : undefined);
  return {
    alias: textOf(r.alias),
    identityPubkey: textOf(r.identity_pubkey),
    version: textOf(r.version),
    blockHeight: Number(idOf(r.block_height ?? 0)),
    syncedToChain: Boolean(r.synced_to_chain),
    network: textOf(chain.network) || undefined,
  };
}

export function channelsOf(answer: unknown): ChannelSummary[] {
  const list = fieldsOf(answer).channels;
  return (Array.isArray(list) ? (list as unknown[]) : []).map((v) => {
    const c = fieldsOf(v);
    return {
      chanId: idOf(c.chan_id ?? '0'),
      remotePubkey: textOf(c.remote_pubkey),
      peerAlias: peerAliasOf(c.peer_alias),
      active: Boolean(c.active),
    };
  });
}

/** GetNodeInfo's answer: the node's alias, '' when it has none. */
export function nodeAliasOf(answer: unknown): string {
  return textOf(fieldsOf(fieldsOf(answer).node).alias);
}

/**
 * lnd's ListChannels (with peer_alias_lookup) puts its lookup error into
 * `peer_alias` when the peer is not in the graph: `unable to lookup peer alias:
 * alias for node not found` (rpcserver.go formats `unable to lookup peer alias:
 * %v`). That text is not an alias: treat it as empty, so GetNodeInfo is asked
 * (and answers NOT_FOUND, i.e. no alias).
 */
export const PEER_ALIAS_LOOKUP_ERROR_PREFIX = 'unable to lookup peer alias';

export function peerAliasOf(v: unknown): string {
  if (typeof v !== 'string') return '';
  return v.startsWith(PEER_ALIAS_LOOKUP_ERROR_PREFIX) ? '' : v;
}
