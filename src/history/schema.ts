/**
 * The history database's schema, as a list of migrations. A new database runs
 * them all; an older one runs those above its `PRAGMA user_version`, each in
 * one transaction with the version bump, so a database is always at exactly
 * one version. The README's schema table describes the result for users.
 *
 * Version 1: nodes, events, gaps, channels, meta, enum_names.
 * Version 2: htlcs, one row per HTLC derived from its events (so the report is
 *   one indexed GROUP BY), backfilled from the events already stored.
 * Version 3: htlcs_out, a covering index of the forwards by outgoing channel
 *   (the report's out side and --by reason read it in order: no table lookups,
 *   no sort of the table); the events_raw view (raw-view.ts).
 * Version 4: meta.htlcs_derived_to, the event id up to which htlcs is derived
 *   (the writer may leave the derivation of a burst for later: derive.ts); the
 *   events' unique key replaced by the index events_node_time (node, timestamp_ns, incoming_htlc_id, outgoing_htlc_id)
 *   (the writer stores each event once without it: apply.ts).
 */
import { EVENT_TYPE_NAMES, FAILURE_CODE_NAMES, FAILURE_DETAIL_NAMES } from '../events/enums.js';
import { DERIVE_HTLCS_SQL, DERIVED_TO_KEY } from './derive.js';
import { EVENTS_RAW_VIEW } from './raw-view.js';
import type { Db } from './sqlite.js';

/** `PRAGMA application_id`: "HTLC" in ASCII; marks the file as htlc-tail's. */
export const APPLICATION_ID = 0x48544c43;

export interface Migration {
  /** The version the database has after this migration. */
  readonly to: number;
  readonly up: (db: Db) => void;
}

const V1 = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE nodes (
  id INTEGER PRIMARY KEY,
  identity TEXT NOT NULL UNIQUE,
  pubkey TEXT,
  name TEXT,
  alias TEXT,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL
);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  node INTEGER NOT NULL,
  timestamp_ns INTEGER NOT NULL,
  kind TEXT NOT NULL,
  event_type INTEGER NOT NULL,
  incoming_channel_id INTEGER NOT NULL,
  incoming_htlc_id INTEGER NOT NULL,
  outgoing_channel_id INTEGER NOT NULL,
  outgoing_htlc_id INTEGER NOT NULL,
  incoming_amt_msat INTEGER,
  outgoing_amt_msat INTEGER,
  incoming_timelock INTEGER,
  outgoing_timelock INTEGER,
  wire_failure INTEGER,
  failure_detail INTEGER,
  failure_string TEXT,
  preimage BLOB,
  settled INTEGER,
  offchain INTEGER,
  first_event_type INTEGER,
  duration_ns INTEGER,
  replayed INTEGER NOT NULL DEFAULT 0,
  time TEXT GENERATED ALWAYS AS (
    CASE WHEN timestamp_ns > 0 THEN
      strftime('%Y-%m-%dT%H:%M:%S', timestamp_ns / 1000000000, 'unixepoch') || '.' ||
      substr('000000000' || (timestamp_ns % 1000000000), -9) || 'Z'
    END) VIRTUAL
);
CREATE UNIQUE INDEX events_key ON events (node, timestamp_ns, incoming_channel_id, incoming_htlc_id, outgoing_channel_id, outgoing_htlc_id, kind);

CREATE TABLE gaps (
  id INTEGER PRIMARY KEY,
  node INTEGER NOT NULL,
  from_ms INTEGER NOT NULL,
  to_ms INTEGER NOT NULL,
  reason TEXT NOT NULL,
  after_event_id INTEGER NOT NULL
);
CREATE INDEX gaps_node_time ON gaps (node, to_ms);

CREATE TABLE channels (
  node INTEGER NOT NULL,
  channel_id INTEGER NOT NULL,
  peer_pubkey TEXT,
  alias TEXT,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (node, channel_id)
) WITHOUT ROWID;

CREATE TABLE enum_names (
  enum TEXT NOT NULL,
  code INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (enum, code)
) WITHOUT ROWID;
`;

/** The htlcs table and its indexes (`schema`: '' for the database, 'temp.' for a reader's own copy). */
export const htlcsTable = (schema: '' | 'temp.') => `
CREATE TABLE ${schema}htlcs (
  node INTEGER NOT NULL,
  event_type INTEGER NOT NULL,
  channel_id INTEGER NOT NULL,
  htlc_id INTEGER NOT NULL,
  incoming_channel_id INTEGER,
  outgoing_channel_id INTEGER,
  outgoing_htlc_id INTEGER,
  incoming_amt_msat INTEGER,
  outgoing_amt_msat INTEGER,
  first_ns INTEGER NOT NULL,
  forward_ns INTEGER,
  settle_ns INTEGER,
  forward_fail_ns INTEGER,
  link_fail_ns INTEGER,
  wire_failure INTEGER,
  failure_detail INTEGER,
  outcome TEXT GENERATED ALWAYS AS (
    CASE WHEN settle_ns IS NOT NULL THEN 'settled'
         WHEN forward_fail_ns IS NOT NULL THEN 'failed_downstream'
         WHEN link_fail_ns IS NOT NULL THEN 'failed_here'
         ELSE 'in_flight' END) VIRTUAL,
  fee_msat INTEGER GENERATED ALWAYS AS (
    CASE WHEN event_type = 3 AND incoming_amt_msat != 0 AND outgoing_amt_msat != 0
         THEN incoming_amt_msat - outgoing_amt_msat END) VIRTUAL,
  settle_duration_ns INTEGER GENERATED ALWAYS AS (settle_ns - forward_ns) VIRTUAL,
  PRIMARY KEY (node, event_type, channel_id, htlc_id)
) WITHOUT ROWID;
CREATE INDEX ${schema}htlcs_node_time ON htlcs (node, first_ns);
`;

/** The htlcs columns that are stored (not generated). */
export const HTLCS_STORED_COLUMNS =
  'node, event_type, channel_id, htlc_id, incoming_channel_id, outgoing_channel_id, outgoing_htlc_id, ' +
  'incoming_amt_msat, outgoing_amt_msat, first_ns, forward_ns, settle_ns, forward_fail_ns, link_fail_ns, wire_failure, failure_detail';

export const htlcsOutIndex = (schema: '' | 'temp.') => `
CREATE INDEX ${schema}htlcs_out ON htlcs (node, event_type, outgoing_channel_id, incoming_channel_id, settle_ns, forward_fail_ns, link_fail_ns, forward_ns,
  incoming_amt_msat, outgoing_amt_msat, wire_failure, failure_detail, first_ns);
`;

const V2 = htlcsTable('');

const V3 = `${htlcsOutIndex('')}
${EVENTS_RAW_VIEW};
`;

/**
 * Version 3 derived every batch at once: every stored event is in htlcs. The
 * unique key becomes a plain time index (the writer stores each event once:
 * apply.ts), with the htlc ids after the time, so that looking an event up
 * stays one short range even from a server that gives many events one
 * timestamp.
 */
const V4 = `
INSERT OR REPLACE INTO meta (key, value) VALUES ('${DERIVED_TO_KEY}', (SELECT coalesce(max(id), 0) FROM events));
DROP INDEX events_key;
CREATE INDEX events_node_time ON events (node, timestamp_ns, incoming_htlc_id, outgoing_htlc_id);
`;

/** lnd's enum names, for joins in `sqlite3` (refreshed whenever a writer opens the database). */
export function enumNameRows(): Array<[string, number, string]> {
  const rows: Array<[string, number, string]> = [];
  EVENT_TYPE_NAMES.forEach((n, i) => rows.push(['event_type', i, n]));
  for (const [code, n] of FAILURE_CODE_NAMES) rows.push(['wire_failure', code, n]);
  FAILURE_DETAIL_NAMES.forEach((n, i) => rows.push(['failure_detail', i, n]));
  return rows;
}

export function refreshEnumNames(db: Db): void {
  const put = db.prepare('INSERT OR REPLACE INTO enum_names (enum, code, name) VALUES (?, ?, ?)');
  for (const r of enumNameRows()) put.run(r);
}

export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    up(db) {
      db.exec(V1);
      db.prepare("INSERT INTO meta (key, value) VALUES ('application', 'htlc-tail history')").run();
      refreshEnumNames(db);
    },
  },
  {
    to: 2,
    up(db) {
      db.exec(V2);
      db.prepare(DERIVE_HTLCS_SQL).run({ after: 0, upto: Number.MAX_SAFE_INTEGER });
    },
  },
  {
    to: 3,
    up(db) {
      db.exec(V3);
    },
  },
  {
    to: 4,
    up(db) {
      db.exec(V4);
    },
  },
];

/** The schema version this build writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.to;

/**
 * Brings `db` from `from` up to `target` with `migrations`, each step in its
 * own transaction together with its `user_version`. The caller has checked
 * that `from` is not newer than `target`. Safe against a concurrent opener:
 * each step re-reads the version under the write lock.
 */
export function migrate(
  db: Db,
  from: number,
  migrations: readonly Migration[] = MIGRATIONS,
  target = SCHEMA_VERSION,
): void {
  for (const m of migrations) {
    if (m.to <= from || m.to > target) continue;
    db.transaction(() => {
      // Another process may have migrated (or created) the database since it was inspected:
      // the write lock is held now, so the version read here is the one to go on from.
      if ((db.pragma('user_version', { simple: true }) as number) >= m.to) return;
      if (m.to === 1) db.pragma(`application_id = ${APPLICATION_ID}`);
      m.up(db);
      db.pragma(`user_version = ${m.to}`);
    }).immediate();
  }
}
