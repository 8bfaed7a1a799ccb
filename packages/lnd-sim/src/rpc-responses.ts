/**
 * The unary answers of the simulated node, in proto-loader object form
 * (int64/uint64 as decimal strings), shaped like lnd's.
 */
import { STATUS_NOT_FOUND, type RpcFailure } from './backend.js';
import type { SimChannel, SimNode } from './node-state.js';

export function getInfoResponse(node: SimNode): object {
  const active = node.channels.filter((c) => c.active).length;
  return {
    version: node.version,
    commit_hash: node.commitHash,
    identity_pubkey: node.pubkey,
    alias: node.alias,
    color: node.color,
    num_pending_channels: 0,
    num_active_channels: active,
    num_inactive_channels: node.channels.length - active,
    num_peers: active,
    block_height: node.blockHeight,
    block_hash: node.blockHash,
    best_header_timestamp: String(Math.floor(Date.now() / 1000) - 120),
    synced_to_chain: true,
    synced_to_graph: true,
    testnet: node.network === 'testnet',
    chains: [{ chain: 'bitcoin', network: node.network }],
    uris: [],
  };
}

/** lnd's peer_alias when the peer is not in the graph (it puts the error text there). */
export const ALIAS_LOOKUP_FAILED = 'unable to lookup peer alias: alias for node not found';

function channelObject(c: SimChannel, aliasLookup: boolean): object {
  return {
    active: c.active,
    remote_pubkey: c.peer.pubkey,
    channel_point: c.channelPoint,
    chan_id: c.chanId.toString(),
    capacity: String(c.capacitySat),
    local_balance: String(c.localBalanceSat),
    remote_balance: String(c.remoteBalanceSat),
    peer_alias: aliasLookup ? (c.peer.graphAlias === null ? ALIAS_LOOKUP_FAILED : c.peer.listAlias) : '',
  };
}

/** ListChannels: `peer_alias` is filled only when `peer_alias_lookup` is set, as in lnd. */
export function listChannelsResponse(node: SimNode, req: Record<string, unknown>): object {
  const peer = req.peer as Buffer | undefined;
  const peerHex = peer && peer.length > 0 ? Buffer.from(peer).toString('hex') : undefined;
  const channels = node.channels.filter((c) => {
    if (req.active_only && !c.active) return false;
    if (req.inactive_only && c.active) return false;
    if (req.private_only && c.peer.graphAlias !== null) return false;
    if (req.public_only && c.peer.graphAlias === null) return false;
    if (peerHex && c.peer.pubkey !== peerHex) return false;
    return true;
  });
  return { channels: channels.map((c) => channelObject(c, req.peer_alias_lookup === true)) };
}

/** GetNodeInfo: the graph's alias for a peer; NOT_FOUND `unable to find node` for unknown nodes. */
export function getNodeInfoResponse(node: SimNode, req: Record<string, unknown>): object | RpcFailure {
  const pub = typeof req.pub_key === 'string' ? req.pub_key : '';
  if (pub === node.pubkey) {
    return {
      node: { last_update: 0, pub_key: pub, alias: node.alias, color: node.color },
      num_channels: node.channels.length,
      total_capacity: '0',
    };
  }
  const ch = node.channels.find((c) => c.peer.pubkey === pub);
  if (!ch || ch.peer.graphAlias === null) return { code: STATUS_NOT_FOUND, message: 'unable to find node' };
  return {
    node: {
      last_update: Math.floor(Date.now() / 1000) - 3600,
      pub_key: pub,
      alias: ch.peer.graphAlias,
      color: ch.peer.color,
    },
    num_channels: 12,
    total_capacity: String(ch.capacitySat * 12),
  };
}
