/**
 * Reading history back: the events of some nodes in the order they were
 * received (the `events.id` order), gap lines in their place, each event with
 * its recorded correlation and the channel aliases stored for its node.
 *
 * Both entry points first find where to start through an index, then walk the
 * table by id from there, so the time to the first item does not grow with the
 * size of the store:
 * - `readHistory({ sinceNs, untilNs })`: the first id with a timestamp in range
 *   comes from the (node, timestamp_ns) index; the walk keeps the events whose
 *   timestamp is in range and stops after the last such id.
 * - `readLastEvents(n)`: the n-th last id of the nodes, walking the id index
 *   backwards.
 */
import type { GapMarker, HtlcEvent, OutputItem, RecordedCorrelation } from '../events/model.js';
import type { Mutable } from '../util/mutable.js';
import { EVENT_SELECT, eventFromRow, type EventRowValues } from './rows.js';
import type { Db } from './sqlite.js';
import { u64FromDbText, u64ToDbBig } from './u64.js';

export interface StoredItem {
  /** The node's id in the store (`nodes.id`). */
  readonly node: number;
  /** `events.id` of an event; for a gap, the id of the event it follows. */
  readonly id: number;
  readonly item: OutputItem;
}

export interface HistoryRange {
  /** Node ids to read (at least one). */
  readonly nodes: readonly number[];
  /** Only events with timestamp_ns >= sinceNs (lnd's clock, Unix ns). */
  readonly sinceNs?: bigint;
  /** Only events with timestamp_ns < untilNs. */
  readonly untilNs?: bigint;
}

/** Peer aliases by node and channel id, as last stored. */
export function loadAliases(db: Db, nodes: readonly number[]): Map<number, Map<string, string>> {
  const out = new Map<number, Map<string, string>>();
  const rows = db
    .prepare(
      `SELECT node, CAST(channel_id AS TEXT), alias FROM channels WHERE alias IS NOT NULL AND node IN (${placeholders(nodes)})`,
    )
    .raw()
    .all(...nodes) as Array<[number, string, string]>;
  for (const [node, chan, alias] of rows) {
    let m = out.get(node);
    if (!m) out.set(node, (m = new Map<string, string>()));
    m.set(u64FromDbText(chan), alias);
  }
  return out;
}

const placeholders = (xs: readonly unknown[]) => xs.map(() => '?').join(', ');

/** The id range [first, last] of the nodes' events with a timestamp in range, or undefined when there are none. */
/** WHERE terms (after `first`) and arguments for the nodes and the time range. */
function rangeWhere(
  r: HistoryRange,
  first: string,
  firstArgs: number[],
): { sql: string; args: Array<number | bigint> } {
  const where = [first, `node IN (${placeholders(r.nodes)})`];
  const args: Array<number | bigint> = [...firstArgs, ...r.nodes];
  if (r.sinceNs !== undefined) {
    where.push('timestamp_ns >= ?');
    args.push(u64ToDbBig(r.sinceNs));
  }
  if (r.untilNs !== undefined) {
    where.push('timestamp_ns < ?');
    args.push(u64ToDbBig(r.untilNs));
  }
  return { sql: where.join(' AND '), args };
}

function idRange(db: Db, r: HistoryRange): { first: number; last: number } | undefined {
  const w = rangeWhere(r, '1', []);
  // Both through the (node, timestamp_ns, …) index, which holds the id.
  const row = db
    .prepare(`SELECT min(id), max(id) FROM events INDEXED BY events_node_time WHERE ${w.sql}`)
    .raw()
    .get(...w.args) as [number | null, number | null];
  return row[0] === null ? undefined : { first: row[0], last: row[1]! };
}

/** Gaps of the nodes placed in [afterFrom, afterTo], and overlapping the time range, in order. */
function gapsBetween(
  db: Db,
  r: HistoryRange,
  afterFrom: number,
  afterTo: number,
): Array<{ node: number; after: number; gap: GapMarker }> {
  const sinceMs = r.sinceNs === undefined ? -Infinity : Number(r.sinceNs / 1_000_000n);
  const untilMs = r.untilNs === undefined ? Infinity : Number(r.untilNs / 1_000_000n);
  const rows = db
    .prepare(
      `SELECT node, from_ms, to_ms, reason, after_event_id FROM gaps WHERE node IN (${placeholders(r.nodes)})
       AND after_event_id >= ? AND after_event_id <= ? ORDER BY after_event_id, id`,
    )
    .raw()
    .all(...r.nodes, afterFrom, afterTo) as Array<[number, number, number, string, number]>;
  return rows
    .filter(([, from, to]) => to >= sinceMs && from < untilMs)
    .map(([node, fromMs, toMs, reason, after]) => ({ node, after, gap: { event: 'gap', fromMs, toMs, reason } }));
}

function* walk(db: Db, r: HistoryRange, first: number, last: number, gapsAfter: number): Generator<StoredItem> {
  const aliases = loadAliases(db, r.nodes);
  const w = rangeWhere(r, 'id >= ? AND id <= ?', [first, last]);
  const gaps = gapsBetween(db, r, gapsAfter, r.untilNs === undefined ? Number.MAX_SAFE_INTEGER : last);
  let g = 0;
  // NOT INDEXED: walk the table in id order from `first` (streaming; no sort of the whole range first).
  const stmt = db.prepare(`SELECT ${EVENT_SELECT} FROM events NOT INDEXED WHERE ${w.sql} ORDER BY id`).raw();
  for (const row of stmt.iterate(...w.args) as IterableIterator<EventRowValues>) {
    const id = row[0];
    while (g < gaps.length && gaps[g]!.after < id) {
      const x = gaps[g++]!;
      yield { node: x.node, id: x.after, item: x.gap };
    }
    const ev = eventFromRow(row);
    const m = aliases.get(row[1]);
    if (m) addAliases(ev, m);
    yield { node: row[1], id, item: ev };
  }
  for (; g < gaps.length; g++) yield { node: gaps[g]!.node, id: gaps[g]!.after, item: gaps[g]!.gap };
}

function addAliases(ev: HtlcEvent, m: ReadonlyMap<string, string>): void {
  if (ev.incomingChannelId !== '0') {
    const a = m.get(ev.incomingChannelId);
    if (a) ev.incomingAlias = a;
  }
  if (ev.outgoingChannelId !== '0') {
    const a = m.get(ev.outgoingChannelId);
    if (a) ev.outgoingAlias = a;
  }
}

/** `replay --db`, the live tail's `--since`: the nodes' history in the time range, in receive order. */
export function* readHistory(db: Db, r: HistoryRange): Generator<StoredItem> {
  if (r.nodes.length === 0) return;
  const ids = idRange(db, r);
  if (ids === undefined) {
    // No events in range: the gaps in it still tell the reader what is missing.
    for (const x of gapsBetween(db, r, 0, Number.MAX_SAFE_INTEGER)) yield { node: x.node, id: x.after, item: x.gap };
    return;
  }
  // A gap just before the first event is shown when its time overlaps the range (events may be missing there).
  yield* walk(db, r, ids.first, ids.last, ids.first - 1);
}

/** The live tail's `--tail N`: the last n events of the nodes (and the gaps among them), in receive order. */
export function* readLastEvents(db: Db, nodes: readonly number[], n: number): Generator<StoredItem> {
  if (nodes.length === 0 || n <= 0) return;
  const first = db
    .prepare(
      `SELECT min(id) FROM (SELECT id FROM events NOT INDEXED WHERE node IN (${placeholders(nodes)}) ORDER BY id DESC LIMIT ?)`,
    )
    .pluck()
    .get(...nodes, n) as number | null;
  if (first === null) return;
  // Only the gaps among these events.
  yield* walk(db, { nodes }, first, Number.MAX_SAFE_INTEGER, first);
}

/** The latest moment the node's recorder knew its stream alive (for the gap a restarted recorder writes). */
export function lastSeenMs(db: Db, node: number): number | undefined {
  const v = db.prepare('SELECT last_seen_ms FROM nodes WHERE id = ?').pluck().get(node) as number | undefined;
  return v ?? undefined;
}

/**
 * A stored event as the pipeline takes a recorded one (like a line of a jsonl
 * capture): its correlation as recorded moves to `recorded`, which the
 * pipeline's correlator keeps over what it would compute (events/recorded.ts),
 * so a replay or the tail's `--since` prints what was printed live even for an
 * event whose first event lies before the range. `recorded` also tells sinks
 * that the event was not received live now.
 */
export function toRecorded(ev: HtlcEvent): HtlcEvent {
  const c = ev.corr;
  const rec: Mutable<RecordedCorrelation> = {};
  if (c !== undefined) {
    if (c.info) rec.info = c.info;
    if (c.firstEventType !== undefined) rec.firstEventType = c.firstEventType;
    if (c.durationNs !== undefined) rec.durationNs = c.durationNs;
    if (c.replayed) rec.replayed = true;
  }
  const { corr: _corr, ...rest } = ev;
  return { ...rest, recorded: rec };
}
