/**
 * Opening the history database, for reading or for writing.
 *
 * Every check that can refuse a file happens before anything is written to
 * it: the file's first bytes must be SQLite's header; its `application_id`
 * must be htlc-tail's (or it must be an empty database); its `user_version`
 * must not be newer than this build; when writing, the file and its
 * directory must be writable (SQLite puts the -wal and -shm files beside it).
 * The inspection uses a read-only connection. Only then is the database
 * opened for real, switched to WAL and migrated forward.
 */
import { constants as fsc } from 'node:fs';
import { access, mkdir, open as openFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { APPLICATION_ID, migrate, MIGRATIONS, refreshEnumNames, SCHEMA_VERSION, type Migration } from './schema.js';
import { loadSqlite, sqliteCode, type Db, type SqliteConstructor } from './sqlite.js';
import { storeErrors, translateStoreError } from './store-errors.js';

export type StoreMode = 'read' | 'write';

export interface Store {
  readonly db: Db;
  /** The absolute path, as messages name it. */
  readonly file: string;
  readonly mode: StoreMode;
  close(): void;
}

export interface OpenStoreOptions {
  /** Milliseconds a statement waits for another connection's write lock (default 5000). */
  readonly busyTimeoutMs?: number;
  /** For tests of the migration mechanism: the list and target to migrate with. */
  readonly migrations?: readonly Migration[];
  readonly targetVersion?: number;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** Tables every htlc-tail database of the current version has. */
const REQUIRED_TABLES = ['meta', 'nodes', 'events', 'gaps', 'channels', 'htlcs'];

interface Inspection {
  /** 'new': no file, an empty file, or an empty SQLite database. */
  readonly state: 'new' | 'ours';
  readonly version: number;
}

async function firstBytes(file: string, n: number): Promise<Buffer> {
  const fh = await openFile(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Whether this user may write `p` (a file or directory). */
export async function writable(p: string): Promise<boolean> {
  try {
    await access(p, fsc.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Refuses, without writing, a file that is not htlc-tail's or is newer; says whether it is new. */
async function inspect(
  Database: SqliteConstructor,
  file: string,
  mode: StoreMode,
  target: number,
): Promise<Inspection> {
  let size: number;
  try {
    const st = await stat(file);
    if (st.isDirectory()) throw storeErrors.isDirectory(file);
    size = st.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      if (mode === 'read') throw storeErrors.missing(file);
      return { state: 'new', version: 0 };
    }
    throw translateStoreError(file, err);
  }
  if (size === 0) {
    if (mode === 'read') throw storeErrors.missing(file);
    return { state: 'new', version: 0 };
  }
  const head = await firstBytes(file, 100).catch((err: unknown) => {
    throw translateStoreError(file, err);
  });
  if (head.length < 100 || !head.subarray(0, 16).equals(SQLITE_HEADER)) throw storeErrors.notSqlite(file);

  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[]
    ).filter((t) => !t.startsWith('sqlite_'));
    if (appId !== APPLICATION_ID) {
      if (appId === 0 && tables.length === 0) {
        if (mode === 'read') throw storeErrors.missing(file);
        return { state: 'new', version: 0 };
      }
      const what =
        appId !== 0
          ? `application_id 0x${(appId >>> 0).toString(16).padStart(8, '0')}`
          : `tables ${tables.slice(0, 4).join(', ')}${tables.length > 4 ? ', …' : ''}`;
      throw storeErrors.foreign(file, what);
    }
    if (version > target) throw storeErrors.newer(file, version, target);
    if (version === target) {
      const missing = REQUIRED_TABLES.filter((t) => !tables.includes(t));
      if (missing.length > 0 && target === SCHEMA_VERSION)
        throw storeErrors.corrupt(file, `table ${missing.join(', ')} missing`);
    }
    return { state: 'ours', version };
  } catch (err) {
    // A WAL database opened read-only needs its -shm file: without one, a read-only directory stops it.
    if (mode === 'read' && (sqliteCode(err) === 'SQLITE_READONLY_DIRECTORY' || sqliteCode(err) === 'SQLITE_CANTOPEN')) {
      throw storeErrors.unreadable(
        file,
        `its directory ${path.dirname(file)} is not writable, and SQLite needs to create the database's -shm file there to read it; make the directory writable, or copy the file somewhere writable`,
      );
    }
    throw translateStoreError(file, err);
  } finally {
    db?.close();
  }
}

/**
 * Opens (and for `write`, creates) the history database at `file`. Throws a
 * configuration error (exit 3) for every file it must not or cannot use.
 */
export async function openStore(fileArg: string, mode: StoreMode, opts: OpenStoreOptions = {}): Promise<Store> {
  const file = path.resolve(fileArg);
  const target = opts.targetVersion ?? SCHEMA_VERSION;
  const migrations = opts.migrations ?? MIGRATIONS;
  const Database = await loadSqlite();
  const dir = path.dirname(file);
  if (mode === 'write') {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw storeErrors.createDir(dir, e.code === 'EACCES' ? 'permission denied' : (e.code ?? e.message));
    }
  }
  // Writing: the file and its directory must be writable, checked first (the read-only
  // inspection of a WAL database needs its directory too, and would fail less clearly).
  const fileExists = await stat(file).then(
    (st) => st.isFile(),
    () => false,
  );
  const canWrite = async (): Promise<string | undefined> => {
    if (fileExists && !(await writable(file))) return 'the file is read-only';
    if (!(await writable(dir))) return `its directory ${dir} is read-only (SQLite writes its journal files there)`;
    return undefined;
  };
  if (mode === 'write') {
    const why = await canWrite();
    if (why !== undefined) throw storeErrors.readOnly(file, why);
  }
  const found = await inspect(Database, file, mode, target);
  const mustWrite = mode === 'write' || found.version < target;
  if (mode === 'read' && mustWrite && (await canWrite()) !== undefined)
    throw storeErrors.needsMigration(file, found.version, target);
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: !mustWrite });
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    if (mustWrite) {
      db.pragma('journal_mode = WAL');
      // WAL with synchronous=NORMAL: a commit is durable once it is in the OS
      // (a killed process loses nothing committed); only a power cut may lose
      // the last commits. Never a corrupt database either way.
      db.pragma('synchronous = NORMAL');
      migrate(db, found.version, migrations, target);
      if (mode === 'write' && target === SCHEMA_VERSION) db.transaction(() => refreshEnumNames(db!)).immediate();
    }
    if (mode === 'read' && mustWrite) {
      db.close();
      db = new Database(file, { readonly: true });
      db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    }
  } catch (err) {
    db?.close();
    throw translateStoreError(file, err);
  }
  const handle = db;
  return {
    db: handle,
    file,
    mode,
    close: () => {
      if (handle.open) handle.close();
    },
  };
}

/** An in-memory store (for a report over a capture): same schema, same queries, nothing on disk. */
export async function openMemoryStore(): Promise<Store> {
  const Database = await loadSqlite();
  const db = new Database(':memory:');
  migrate(db, 0);
  return { db, file: ':memory:', mode: 'write', close: () => db.open && db.close() };
}
