/**
 * The nodes of a history database. A node is identified by its identity
 * pubkey (GetInfo), or by its `host:port` when GetInfo is not permitted; its
 * name is what the output calls it (the profile name, else the alias).
 */
import { usageError } from '../errors.js';
import type { Db } from './sqlite.js';

export interface NodeIdentity {
  /** The identity pubkey (hex), or `host:port` when GetInfo is not permitted. */
  readonly identity: string;
  /** The identity pubkey when known. */
  readonly pubkey?: string;
  /** The profile name, when the node was named by one. */
  readonly name?: string;
  /** The node's alias (GetInfo). */
  readonly alias?: string;
}

export interface NodeRow {
  readonly id: number;
  readonly identity: string;
  readonly pubkey: string | null;
  readonly name: string | null;
  readonly alias: string | null;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/** Adds the node (or updates its names) and returns its id. */
export function registerNode(db: Db, node: NodeIdentity, nowMs: number): number {
  const id = db
    .prepare(
      `INSERT INTO nodes (identity, pubkey, name, alias, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (identity) DO UPDATE SET pubkey = coalesce(excluded.pubkey, pubkey), name = coalesce(excluded.name, name),
         alias = coalesce(excluded.alias, alias)
       RETURNING id`,
    )
    .pluck()
    .get(
      node.identity,
      node.pubkey || null,
      node.name || null,
      node.alias || null,
      Math.round(nowMs),
      Math.round(nowMs),
    );
  return id as number;
}

export function listNodes(db: Db): NodeRow[] {
  return (
    db
      .prepare('SELECT id, identity, pubkey, name, alias, first_seen_ms, last_seen_ms FROM nodes ORDER BY id')
      .raw()
      .all() as Array<[number, string, string | null, string | null, string | null, number, number]>
  ).map(([id, identity, pubkey, name, alias, firstSeenMs, lastSeenMs]) => ({
    id,
    identity,
    pubkey,
    name,
    alias,
    firstSeenMs,
    lastSeenMs,
  }));
}

/** How output names a node: its profile name, else its alias, else its identity. */
export function nodeLabel(n: NodeRow): string {
  return n.name || n.alias || n.identity;
}

const fold = (s: string) => s.normalize('NFC').toLowerCase();

/**
 * The nodes `--node REF` selects: REF is a pubkey (or `host:port`), a name or
 * an alias (case-insensitive), or a unique prefix of a pubkey of at least 8
 * hex digits. No REF: every node. A REF that matches nothing is a usage error
 * listing the nodes there are.
 */
export function selectNodes(nodes: readonly NodeRow[], ref: string | undefined, file: string): NodeRow[] {
  if (ref === undefined) return [...nodes];
  const r = fold(ref.trim());
  let hits = nodes.filter((n) => fold(n.identity) === r || (n.pubkey !== null && fold(n.pubkey) === r));
  if (hits.length === 0)
    hits = nodes.filter((n) => (n.name !== null && fold(n.name) === r) || (n.alias !== null && fold(n.alias) === r));
  if (hits.length === 0 && /^[0-9a-f]{8,}$/.test(r))
    hits = nodes.filter((n) => fold(n.pubkey ?? n.identity).startsWith(r));
  if (hits.length > 0) return hits;
  const known =
    nodes.length === 0
      ? 'it holds no node yet'
      : `it holds ${nodes.slice(0, 6).map(describe).join(', ')}${nodes.length > 6 ? ', …' : ''}`;
  throw usageError(`--node ${JSON.stringify(ref)} matches no node in ${file}; ${known}`);
}

function describe(n: NodeRow): string {
  const label = nodeLabel(n);
  return label === n.identity
    ? label
    : `${label} (${n.identity.length > 20 ? n.identity.slice(0, 16) + '…' : n.identity})`;
}
