/**
 * better-sqlite3, loaded on first use (`await import`), so that commands that
 * never touch the history (and `--help`) do not pay for the native module.
 */
import type BetterSqlite3 from 'better-sqlite3';

export type Db = BetterSqlite3.Database;
export type SqliteConstructor = typeof BetterSqlite3;

export async function loadSqlite(): Promise<SqliteConstructor> {
  return (await import('better-sqlite3')).default;
}

/** better-sqlite3's error: an Error with SQLite's extended result code name in `code` (e.g. SQLITE_CORRUPT). */
export function sqliteCode(err: unknown): string | undefined {
  // By name, not instanceof: the error may come from another realm (a test runner's VM context).
  if (typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'SqliteError') {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Another connection holds the lock (past busy_timeout): worth retrying later. */
export function isBusy(err: unknown): boolean {
  const code = sqliteCode(err);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
