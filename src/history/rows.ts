/**
 * An event as a row of the `events` table, and back.
 *
 * The row is lossless for lnd's message: every field of the HtlcEvent has a
 * column (ids, time, type, kind, HtlcInfo, failure codes and text, preimage,
 * final_htlc flags), so `-f raw` written from a stored event is byte for byte
 * the line written live. The amount and timelock columns hold what jsonl
 * shows: a forward's or link_fail's own HtlcInfo (all four NULL when lnd left
 * it unset), for the other kinds the HtlcInfo correlation copied from the
 * HTLC's first event. Correlation's other results (first event_type,
 * duration, replayed) have columns too, so a replay from the store prints
 * what the live tail printed, even for an event whose forward lies before
 * `--since`.
 */
import type { Correlation, EventKind, HtlcEvent, HtlcInfo } from '../events/model.js';
import { u64FromDbText, u64ToDbBig } from './u64.js';
import type { Mutable } from '../util/mutable.js';

export const EVENT_COLUMNS = [
  'node',
  'timestamp_ns',
  'kind',
  'event_type',
  'incoming_channel_id',
  'incoming_htlc_id',
  'outgoing_channel_id',
  'outgoing_htlc_id',
  'incoming_amt_msat',
  'outgoing_amt_msat',
  'incoming_timelock',
  'outgoing_timelock',
  'wire_failure',
  'failure_detail',
  'failure_string',
  'preimage',
  'settled',
  'offchain',
  'first_event_type',
  'duration_ns',
  'replayed',
] as const;

/** The INSERT of `rows` events in one statement (rows get their ids in this order; apply.ts stores each event once). */
export function insertEventsSql(rows: number): string {
  const one = `(${EVENT_COLUMNS.map(() => '?').join(', ')})`;
  return `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES ${new Array<string>(rows).fill(one).join(', ')}`;
}

export type Bind = string | number | bigint | Buffer | null;

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** A signed decimal (a duration) when it fits SQLite's INTEGER, else NULL (only nonsense timestamps get there). */
function signedOrNull(dec: string | undefined): string | null {
  if (dec === undefined) return null;
  if (dec.length < 19) return dec;
  const v = BigInt(dec);
  return v >= I64_MIN && v <= I64_MAX ? dec : null;
}

const bool = (b: boolean | undefined): number | null => (b === undefined ? null : b ? 1 : 0);

/** The info the amount columns hold: own (forward, link_fail) or correlated. */
export function storedInfo(ev: HtlcEvent): HtlcInfo | null | undefined {
  return ev.info !== undefined ? ev.info : ev.corr?.info;
}

/**
 * A uint64 decimal as bound: a number when it has at most 15 digits (exact in
 * a double), else a BigInt (u64ToDbBig). Both bind as SQLite integers without
 * any text for SQLite to parse (a decimal string costs better-sqlite3 a UTF-8
 * copy and SQLite a conversion: about a third of an insert's time).
 */
function u64Bind(dec: string): number | bigint {
  return dec.length < 16 ? Number(dec) : u64ToDbBig(dec);
}

/** Distinct channel ids remembered by a RowWriter (a node has a few hundred). */
const MAX_CHANNELS = 4096;

/**
 * Writes events' bind values for insertEventsSql (EVENT_COLUMNS.length of
 * them) into an array, without allocating a row. One per writer: it
 * remembers the BigInt of each channel id it has seen (they repeat).
 */
export class RowWriter {
  private readonly channels = new Map<string, bigint>();

  private channel(dec: string): number | bigint {
    if (dec.length < 16) return u64Bind(dec);
    let v = this.channels.get(dec);
    if (v === undefined) {
      if (this.channels.size >= MAX_CHANNELS) this.channels.clear();
      v = u64ToDbBig(dec);
      this.channels.set(dec, v);
    }
    return v;
  }

  /**
   * The event's values into `out` from `at`; returns whether an amount needed
   * the wide (≥ 2^63) storage, which the report's sums must then allow for.
   * timestamp_ns is always a BigInt (apply.ts compares it).
   */
  write(node: number, ev: HtlcEvent, out: Bind[], at: number): boolean {
    const info = storedInfo(ev);
    const inAmt = info ? u64Bind(info.incomingAmtMsat) : null;
    const outAmt = info ? u64Bind(info.outgoingAmtMsat) : null;
    const corr = ev.corr;
    const pre = ev.preimage;
    out[at] = node;
    out[at + 1] = u64ToDbBig(ev.timestampNs);
    out[at + 2] = ev.event;
    out[at + 3] = ev.eventType;
    out[at + 4] = this.channel(ev.incomingChannelId);
    out[at + 5] = u64Bind(ev.incomingHtlcId);
    out[at + 6] = this.channel(ev.outgoingChannelId);
    out[at + 7] = u64Bind(ev.outgoingHtlcId);
    out[at + 8] = inAmt;
    out[at + 9] = outAmt;
    out[at + 10] = info ? info.incomingTimelock : null;
    out[at + 11] = info ? info.outgoingTimelock : null;
    out[at + 12] = ev.wireFailure ?? null;
    out[at + 13] = ev.failureDetail ?? null;
    out[at + 14] = ev.failureString ?? null;
    out[at + 15] =
      pre === undefined ? null : Buffer.isBuffer(pre) ? pre : Buffer.from(pre.buffer, pre.byteOffset, pre.byteLength);
    out[at + 16] = bool(ev.settled);
    out[at + 17] = bool(ev.offchain);
    out[at + 18] = corr ? (corr.firstEventType ?? null) : null;
    out[at + 19] = corr ? signedOrNull(corr.durationNs) : null;
    out[at + 20] = corr?.replayed ? 1 : 0;
    return (typeof inAmt === 'bigint' && inAmt < 0n) || (typeof outAmt === 'bigint' && outAmt < 0n);
  }
}

/** The SELECT list that `eventFromRow` reads (uint64 columns as text, so no value goes through a float). */
export const EVENT_SELECT = `id, node, CAST(timestamp_ns AS TEXT), kind, event_type,
  CAST(incoming_channel_id AS TEXT), CAST(incoming_htlc_id AS TEXT), CAST(outgoing_channel_id AS TEXT), CAST(outgoing_htlc_id AS TEXT),
  CAST(incoming_amt_msat AS TEXT), CAST(outgoing_amt_msat AS TEXT), incoming_timelock, outgoing_timelock,
  wire_failure, failure_detail, failure_string, preimage, settled, offchain, first_event_type, CAST(duration_ns AS TEXT), replayed`;

/** A row of EVENT_SELECT in `.raw()` form. */
export type EventRowValues = [
  id: number,
  node: number,
  ts: string,
  kind: string,
  eventType: number,
  inChan: string,
  inHtlc: string,
  outChan: string,
  outHtlc: string,
  inAmt: string | null,
  outAmt: string | null,
  inLock: number | null,
  outLock: number | null,
  wire: number | null,
  detail: number | null,
  text: string | null,
  preimage: Buffer | null,
  settled: number | null,
  offchain: number | null,
  firstType: number | null,
  durationNs: string | null,
  replayed: number,
];

/** The stored event, with its correlation as recorded; aliases are added by the reader. */
export function eventFromRow(r: EventRowValues): HtlcEvent {
  const kind = r[3] as EventKind;
  const info: HtlcInfo | null =
    r[9] !== null && r[10] !== null
      ? {
          incomingAmtMsat: u64FromDbText(r[9]),
          outgoingAmtMsat: u64FromDbText(r[10]),
          incomingTimelock: r[11] ?? 0,
          outgoingTimelock: r[12] ?? 0,
        }
      : null;
  const ownInfo = kind === 'forward' || kind === 'link_fail';
  const ev: Mutable<HtlcEvent> = {
    event: kind,
    eventType: r[4],
    timestampNs: u64FromDbText(r[2]),
    incomingChannelId: u64FromDbText(r[5]),
    outgoingChannelId: u64FromDbText(r[7]),
    incomingHtlcId: u64FromDbText(r[6]),
    outgoingHtlcId: u64FromDbText(r[8]),
  };
  if (ownInfo) ev.info = info;
  if (kind === 'settle') ev.preimage = r[16] === null ? new Uint8Array(0) : new Uint8Array(r[16]);
  if (kind === 'link_fail') {
    ev.wireFailure = r[13] ?? 0;
    ev.failureDetail = r[14] ?? 0;
    ev.failureString = r[15] ?? '';
  }
  if (kind === 'final_htlc') {
    ev.settled = r[17] === 1;
    ev.offchain = r[18] === 1;
  }
  if (r[19] !== null) {
    const corr: Mutable<Correlation> = { firstEventType: r[19] };
    if (info !== null) corr.info = info;
    if (r[20] !== null) corr.durationNs = r[20];
    if (r[21] === 1) corr.replayed = true;
    ev.corr = corr;
  }
  return ev;
}
