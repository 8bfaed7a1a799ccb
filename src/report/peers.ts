/**
 * `--by peer`: channel rows folded into their peers (the channels table's
 * peer_pubkey as last seen). Channels whose peer is unknown (never listed by
 * the node, or a foreign id in an UNKNOWN_NEXT_PEER failure) form one row
 * with a null pubkey. Sums are BigInt, so exact.
 */
import type { Db } from '../history/sqlite.js';

export interface ChannelPeer {
  readonly pubkey: string | null;
  readonly alias: string | null;
}

const key = (node: bigint | number, g: unknown) => `${node}|${String(g)}`;

/** Peer pubkey and alias by `node|channel_id` (the stored, signed channel id). */
export function peerOfChannel(db: Db, nodes: readonly number[]): Map<string, ChannelPeer> {
  const out = new Map<string, ChannelPeer>();
  const rows = db
    .prepare(
      `SELECT node, channel_id, peer_pubkey, alias FROM channels WHERE node IN (${nodes.map(() => '?').join(', ')}) ORDER BY updated_ms`,
    )
    .raw()
    .safeIntegers()
    .all(...nodes) as Array<[bigint, bigint, string | null, string | null]>;
  for (const [node, chan, pubkey, alias] of rows) out.set(key(node, chan), { pubkey, alias });
  return out;
}

export interface PeerTotals {
  readonly node: bigint;
  readonly pubkey: string | null;
  readonly alias: string | null;
  readonly t: Record<string, bigint>;
}

export function foldPeers(
  rows: ReadonlyMap<string, { node: bigint; g: unknown; t: Record<string, bigint> }>,
  channels: ReadonlyMap<string, ChannelPeer>,
): PeerTotals[] {
  const peers = new Map<
    string,
    { node: bigint; pubkey: string | null; alias: string | null; t: Record<string, bigint> }
  >();
  for (const [k, { node, t }] of rows) {
    const ch = channels.get(k);
    const pubkey = ch?.pubkey ?? null;
    const pk = key(node, pubkey);
    const p = peers.get(pk);
    if (p === undefined) {
      peers.set(pk, { node, pubkey, alias: pubkey === null ? null : (ch?.alias ?? null), t: { ...t } });
    } else {
      for (const [name, v] of Object.entries(t)) p.t[name] = (p.t[name] ?? 0n) + v;
      if (p.alias === null && pubkey !== null && ch?.alias) p.alias = ch.alias;
    }
  }
  return [...peers.values()];
}
