/**
 * The history database's failures as one-line configuration errors (exit 3)
 * that name the file and say what to do next. Anything not recognized here is
 * not an expected failure and is passed on unchanged (a bug: exit 1).
 */
import { configError, HtlcTailError } from '../errors.js';
import { sqliteCode } from './sqlite.js';

const MOVE_AWAY = 'move it away (htlc-tail then starts a new history there) or give another file with --db FILE';

export const storeErrors = {
  missing: (file: string) =>
    configError(
      `no history database at ${file}: record first with \`htlc-tail record\`, or name an existing one with --db FILE`,
    ),
  isDirectory: (file: string) =>
    configError(`history database ${file} is a directory; give a file path with --db FILE`),
  notSqlite: (file: string) =>
    configError(
      `${file} is not an SQLite database, so not an htlc-tail history; give htlc-tail's database with --db FILE, or ${MOVE_AWAY}`,
    ),
  foreign: (file: string, what: string) =>
    configError(
      `${file} is an SQLite database of another program (${what}), not an htlc-tail history; htlc-tail leaves it untouched: give another file with --db FILE`,
    ),
  newer: (file: string, version: number, supported: number) =>
    configError(
      `${file} was written by a newer htlc-tail (history schema version ${version}; this htlc-tail reads up to ${supported}); upgrade htlc-tail, or give another file with --db FILE`,
    ),
  readOnly: (file: string, why: string) =>
    configError(
      `cannot write the history database ${file}: ${why}; make it writable, or give another file with --db FILE`,
    ),
  needsMigration: (file: string, version: number, supported: number) =>
    configError(
      `${file} has history schema version ${version} and must be upgraded to ${supported} before it can be read, but it cannot be written; make it writable once (any htlc-tail command that opens it upgrades it), or copy it somewhere writable`,
    ),
  corrupt: (file: string, detail: string) =>
    configError(`the history database ${file} is corrupt (${detail}); restore it from a backup, or ${MOVE_AWAY}`),
  unreadable: (file: string, detail: string) =>
    configError(
      `cannot read the history database ${file}: ${detail}${/;/.test(detail) ? '' : '; check its permissions, or give another file with --db FILE'}`,
    ),
  createDir: (dir: string, detail: string) =>
    configError(
      `cannot create the directory ${dir} for the history database (${detail}); create it, or give another file with --db FILE`,
    ),
};

/**
 * An error from SQLite (or the file system) while using `file`, as the
 * one-line error a user gets; anything else unchanged.
 */
export function translateStoreError(file: string, err: unknown): unknown {
  if (err instanceof HtlcTailError) return err;
  const code = sqliteCode(err);
  const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  const detail = (typeof message === 'string' ? message : String(err)).replace(/\s*\n\s*/g, ' ');
  if (code !== undefined) {
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return storeErrors.corrupt(file, detail);
    if (code.startsWith('SQLITE_READONLY')) return storeErrors.readOnly(file, detail);
    if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH'))
      return storeErrors.unreadable(file, detail);
    if (code === 'SQLITE_FULL')
      return configError(
        `the disk holding the history database ${file} is full; free some space, or give another file with --db FILE`,
        err,
      );
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      return configError(
        `the history database ${file} stayed locked by another program (${detail}); end that program's open transaction and try again`,
        err,
      );
    if (code.startsWith('SQLITE_IOERR'))
      return configError(
        `I/O error on the history database ${file} (${detail}); check the disk, or give another file with --db FILE`,
        err,
      );
    return err;
  }
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'EACCES' || errno === 'EPERM') return storeErrors.unreadable(file, 'permission denied');
  if (errno === 'EROFS') return storeErrors.readOnly(file, 'read-only file system');
  if (errno === 'ENOSPC')
    return configError(
      `the disk holding the history database ${file} is full; free some space, or give another file with --db FILE`,
      err,
    );
  return err;
}
