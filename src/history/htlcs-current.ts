/**
 * Before the report reads `htlcs`: the events a recorder has not derived yet
 * (it leaves a burst's derivation for later, derive.ts) are derived now, so
 * the report covers every stored event.
 *
 * - A database this user can write: derived into it (a short write
 *   transaction per step, beside a running recorder), then read as usual.
 * - A database this user may only read: the reader's own temporary copy of
 *   `htlcs` (same columns and indexes, in SQLite's temp schema, which shadows
 *   the table for this connection) with the rest derived into it; nothing
 *   is written to the file.
 * - An in-memory store (a capture): derived into it.
 */
import path from 'node:path';
import { Deriver, DERIVE_HTLCS_SQL } from './derive.js';
import { openStore, writable, type Store } from './open.js';
import { HTLCS_STORED_COLUMNS, htlcsOutIndex, htlcsTable } from './schema.js';
import type { Db } from './sqlite.js';

/** Events per write transaction while catching up. */
const STEP = 50_000;

function catchUp(db: Db): void {
  const d = new Deriver(db);
  const step = db.transaction(() => d.step(STEP));
  while (step.immediate() > 0);
}

/** Makes `htlcs` as read through `store` cover every stored event. */
export async function currentHtlcs(store: Store): Promise<void> {
  const deriver = new Deriver(store.db);
  if (deriver.lag() === 0) return;
  if (store.mode === 'write') {
    catchUp(store.db);
    return;
  }
  if ((await writable(store.file)) && (await writable(path.dirname(store.file)))) {
    const w = await openStore(store.file, 'write');
    try {
      catchUp(w.db);
    } finally {
      w.close();
    }
    return;
  }
  temporaryHtlcs(store.db, deriver.derived());
}

/**
 * This connection's own `htlcs` (temp schema, shadowing the database's for
 * it): the database's rows, and the events after id `after` derived into it.
 */
export function temporaryHtlcs(db: Db, after: number): void {
  db.exec(htlcsTable('temp.') + htlcsOutIndex('temp.'));
  db.exec(`INSERT INTO temp.htlcs (${HTLCS_STORED_COLUMNS}) SELECT ${HTLCS_STORED_COLUMNS} FROM main.htlcs`);
  db.prepare(DERIVE_HTLCS_SQL).run({ after, upto: Number.MAX_SAFE_INTEGER });
}
