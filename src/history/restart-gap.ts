/**
 * A recorder starting on a node that the database already knows: the time
 * since the node was last seen alive (by the last recorder: its last commit,
 * or its once-a-second heartbeat) is a time no event was recorded, stored as
 * a gap like a lost stream's, placed after the last event stored so far. No
 * gap when another recorder saw the node within the last few seconds (two
 * recorders on one database: the other one was recording).
 */
import { registerNode, type NodeIdentity } from './nodes.js';
import type { Db } from './sqlite.js';

/** A node last seen this recently is being recorded by another recorder. */
export const OTHER_RECORDER_MS = 5_000;
export const RESTART_GAP_REASON = 'not recorded: no htlc-tail recorder was running';

/** Registers the node for this run (returns its id), with the gap since it was last seen. */
export function registerRun(db: Db, identity: NodeIdentity, sinceMs: number): number {
  return db
    .transaction(() => {
      const last = db.prepare('SELECT last_seen_ms FROM nodes WHERE identity = ?').pluck().get(identity.identity) as
        number | undefined;
      const id = registerNode(db, identity, sinceMs);
      if (last !== undefined && sinceMs - last > OTHER_RECORDER_MS) {
        db.prepare(
          'INSERT INTO gaps (node, from_ms, to_ms, reason, after_event_id) VALUES (?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM events))',
        ).run(id, last, Math.round(sinceMs), RESTART_GAP_REASON);
      }
      return id;
    })
    .immediate();
}
