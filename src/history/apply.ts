/**
 * One batch of pending writes applied to the database in one transaction:
 * events (each stored once: see "An event seen twice" below), gaps (placed after the last event stored so far), channel
 * learnings, node liveness, then, when the batch is small, the `htlcs` rows
 * of the events not derived yet (derive.ts: a burst's derivation waits for
 * a quieter batch, so that the writer keeps up with the stream).
 * Synchronous (better-sqlite3), so the caller decides when it runs (the
 * writer's timer, close, or a capture loaded at once).
 */
import type { GapMarker, HtlcEvent } from '../events/model.js';
import { Deriver } from './derive.js';
import { EVENT_COLUMNS, insertEventsSql, RowWriter, type Bind } from './rows.js';
import type { Db } from './sqlite.js';
import { u64ToDb } from './u64.js';

/** What a recorder learned about a channel (ListChannels, GetNodeInfo). */
export interface ChannelInfo {
  /** Decimal channel id. */
  readonly channelId: string;
  readonly peerPubkey?: string;
  /** The peer's alias; empty or absent when unknown (a known alias is then kept). */
  readonly alias?: string;
}

export type PendingWrite =
  | { readonly t: 'event'; readonly node: number; readonly ev: HtlcEvent }
  | { readonly t: 'gap'; readonly node: number; readonly gap: GapMarker }
  | { readonly t: 'channels'; readonly node: number; readonly atMs: number; readonly rows: readonly ChannelInfo[] };

export interface BatchStatements {
  /** Applies the batch; returns how many stored events are not derived into `htlcs` yet. */
  apply(items: readonly PendingWrite[], alive: ReadonlyMap<number, number>): number;
  /** Derives up to `maxEvents` more events into `htlcs` in a transaction of its own; returns how many are left. */
  derive(maxEvents: number): number;
}

/**
 * A batch with fewer events than this derives `htlcs` in its transaction (up
 * to DERIVE_STEP events of what is left); a larger one is part of a burst
 * and leaves it for later.
 */
export const DERIVE_BELOW = 1024;
/** Events derived per step: a few tens of ms of SQLite. */
export const DERIVE_STEP = 8192;

/**
 * An event seen twice (two recorders on one database, lnd sending it again)
 * is stored once: its key is (node, timestamp_ns, incoming channel and htlc
 * id, outgoing channel and htlc id, kind). A unique index on that key cost
 * the recorder about 15% of its time per event and 60 bytes per event on
 * disk; instead, in the batch's write transaction (so no other writer moves
 * underneath), an event later than every event stored for its node cannot
 * be stored already and is inserted at once (lnd's events come in time
 * order, so nearly all are), and any other is looked up by its key through
 * the (node, timestamp_ns) index first.
 */

/**
 * Whether an event with timestamp_ns `ts` (as stored: a signed INTEGER) is
 * later than `max`, the largest stored for its node (null: none). If so, no
 * stored event of the node has its timestamp, so it is not stored yet.
 */
export function laterThan(ts: bigint, max: bigint | null): boolean {
  return max === null || ts > max;
}

/** Whether an event is stored: its key, looked up through events_node_time (node, time, both htlc ids). */
export const STORED_SQL = `SELECT 1 FROM events WHERE node = ? AND timestamp_ns = ? AND incoming_channel_id = ?
  AND incoming_htlc_id = ? AND outgoing_channel_id = ? AND outgoing_htlc_id = ? AND kind = ? LIMIT 1`;

/** A gap's time as whole ms (0 for a time that cannot be represented, which jsonl shows as null too). */
const wholeMs = (ms: number): number => (Number.isFinite(ms) ? Math.round(ms) : 0);

/** Events per multi-row INSERT: fewer statement runs (about 20% less CPU per event than one by one). */
const ROWS_PER_INSERT = 32;
const EVENT_COLUMNS_COUNT = EVENT_COLUMNS.length;

export function prepareBatch(db: Db): BatchStatements {
  const insertEvent = db.prepare(insertEventsSql(1));
  const insertEvents = db.prepare(insertEventsSql(ROWS_PER_INSERT));
  const insertGap = db.prepare(
    'INSERT INTO gaps (node, from_ms, to_ms, reason, after_event_id) VALUES (?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM events))',
  );
  const upsertChannel = db.prepare(
    `INSERT INTO channels (node, channel_id, peer_pubkey, alias, updated_ms) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET peer_pubkey = coalesce(excluded.peer_pubkey, peer_pubkey),
       alias = coalesce(excluded.alias, alias), updated_ms = excluded.updated_ms`,
  );
  const touchNode = db.prepare('UPDATE nodes SET last_seen_ms = max(last_seen_ms, ?) WHERE id = ?');
  const markWide = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('wide_amounts', '1')");
  const deriver = new Deriver(db);
  const latest = db.prepare('SELECT max(timestamp_ns) FROM events WHERE node = ?').pluck().safeIntegers(true);
  const rows = new RowWriter();
  const stored = db.prepare(STORED_SQL).pluck();

  /** The bind values of ROWS_PER_INSERT events, of one looked up, of one left over (reused: no array per event). */
  const many: Bind[] = new Array<Bind>(ROWS_PER_INSERT * EVENT_COLUMNS_COUNT).fill(null);
  const one: Bind[] = new Array<Bind>(EVENT_COLUMNS_COUNT).fill(null);
  const rest: Bind[] = new Array<Bind>(EVENT_COLUMNS_COUNT).fill(null);

  const tx = db.transaction((items: readonly PendingWrite[], alive: ReadonlyMap<number, number>): number => {
    let wide = false;
    let events = 0;
    /** node → the latest timestamp_ns stored for it (read once per node, then kept up to date). */
    const maxTs = new Map<number, bigint | null>();
    // Events are inserted ROWS_PER_INSERT at a time; the rest one by one before anything else
    // (a gap is placed after the events before it) and at the end.
    let pending = 0;
    const flushEvents = () => {
      for (let i = 0; i < pending; i++) {
        for (let k = 0; k < EVENT_COLUMNS_COUNT; k++) rest[k] = many[i * EVENT_COLUMNS_COUNT + k]!;
        insertEvent.run(rest);
      }
      pending = 0;
    };
    for (const item of items) {
      switch (item.t) {
        case 'event': {
          events++;
          const at = pending * EVENT_COLUMNS_COUNT;
          const wideAmount = rows.write(item.node, item.ev, many, at);
          const ts = many[at + 1] as bigint;
          let max = maxTs.get(item.node);
          if (max === undefined) {
            max = (latest.get(item.node) as bigint | null) ?? null;
            maxTs.set(item.node, max);
          }
          if (!laterThan(ts, max)) {
            // Maybe stored already (or earlier in this batch: those rows are inserted first).
            for (let k = 0; k < EVENT_COLUMNS_COUNT; k++) one[k] = many[at + k]!;
            flushEvents();
            if (stored.get(one[0], one[1], one[4], one[5], one[6], one[7], one[2]) === undefined) {
              insertEvent.run(one);
              wide ||= wideAmount;
            }
            break;
          }
          maxTs.set(item.node, ts);
          wide ||= wideAmount;
          if (++pending === ROWS_PER_INSERT) {
            insertEvents.run(many);
            pending = 0;
          }
          break;
        }
        case 'gap':
          flushEvents();
          insertGap.run(item.node, wholeMs(item.gap.fromMs), wholeMs(item.gap.toMs), item.gap.reason);
          break;
        case 'channels':
          flushEvents();
          for (const c of item.rows) {
            upsertChannel.run(item.node, u64ToDb(c.channelId), c.peerPubkey || null, c.alias || null, item.atMs);
          }
          break;
      }
    }
    flushEvents();
    if (wide) markWide.run();
    for (const [node, ms] of alive) touchNode.run(Math.round(ms), node);
    return events < DERIVE_BELOW ? deriver.step(DERIVE_STEP) : deriver.lag();
  });
  const deriveTx = db.transaction((maxEvents: number) => deriver.step(maxEvents));
  return {
    apply: (items, alive) => tx.immediate(items, alive),
    derive: (maxEvents) => deriveTx.immediate(maxEvents),
  };
}
