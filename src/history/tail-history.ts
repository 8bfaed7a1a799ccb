/**
 * The store behind the live tail's `--since`/`--tail`: checked and opened
 * (read-only) before the tail connects, so a missing or bad database ends the
 * run before anything else. A missing one is a usage error naming `htlc-tail
 * record` (SPEC: `--since` without a store); any other bad database is the
 * store's one-line exit-3 error. Each node gets its own read connection (a
 * store is read by one iterator at a time), closed at the end of the run.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { TailHistoryConfig } from '../config/tail-history.js';
import { usageError } from '../errors.js';
import type { NodeConnection } from '../transport/node-connection.js';
import { openStore, type Store } from './open.js';
import { withHistorySeam } from './tail-seam.js';

export interface TailHistory {
  /** The node's connection behind the seam: recorded events first, then live. */
  attach(conn: NodeConnection): Promise<NodeConnection>;
  close(): void;
}

/** `recordingTo`: the file this run records into (`--record`), if any. */
export async function openTailHistory(cfg: TailHistoryConfig, recordingTo?: string): Promise<TailHistory> {
  const file = path.resolve(cfg.db.path);
  const recording = recordingTo !== undefined && path.resolve(recordingTo) === file;
  const size = await stat(file).then(
    (st) => (st.isFile() ? st.size : -1),
    () => 0,
  );
  if (size === 0) {
    throw usageError(
      `${cfg.option} prints recorded events, and there is no history database at ${file} (${cfg.db.source}); record one first with \`htlc-tail record\` (or tail with --record), or name one with --db FILE`,
    );
  }
  const stores: Store[] = [await openStore(file, 'read')];
  let first = true;
  return {
    async attach(conn) {
      const store = first ? stores[0]! : await openStore(file, 'read');
      if (!first) stores.push(store);
      first = false;
      return withHistorySeam(conn, { store, select: cfg.select, recording });
    },
    close() {
      for (const s of stores) s.close();
    },
  };
}
