/**
 * `--retain DAYS`: deletes history older than a cutoff (lnd's clock for
 * events and HTLCs, the gap's end for gaps), at most `batch` rows of each
 * table per call, in one short transaction, through the (node, time) indexes.
 * Returns true while rows older than the cutoff remain.
 */
import type { Db } from './sqlite.js';
import { u64ToDbBig } from './u64.js';

export function pruneStep(db: Db, cutoffNs: bigint, batch: number): boolean {
  const nodes = db.prepare('SELECT id FROM nodes').pluck().all() as number[];
  const cutoff = u64ToDbBig(cutoffNs < 0n ? 0n : cutoffNs);
  const cutoffMs = Number(cutoffNs / 1_000_000n);
  const delEvents = db.prepare(
    'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE node = ? AND timestamp_ns >= 0 AND timestamp_ns < ? LIMIT ?)',
  );
  const delHtlcs = db.prepare(
    `DELETE FROM htlcs WHERE (node, event_type, channel_id, htlc_id) IN
       (SELECT node, event_type, channel_id, htlc_id FROM htlcs WHERE node = ? AND first_ns >= 0 AND first_ns < ? LIMIT ?)`,
  );
  const delGaps = db.prepare('DELETE FROM gaps WHERE node = ? AND to_ms < ?');
  let more = false;
  db.transaction(() => {
    for (const node of nodes) {
      if (delEvents.run(node, cutoff, batch).changes >= batch) more = true;
      if (delHtlcs.run(node, cutoff, batch).changes >= batch) more = true;
      delGaps.run(node, cutoffMs);
    }
  }).immediate();
  return more;
}
