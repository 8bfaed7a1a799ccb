/**
 * Events on their way from the recorder (main thread) to the writer thread
 * (record-worker.ts), as one string per batch: the `events` row of each
 * event (rows.ts, without the node column) as EVENT_FIELDS text fields,
 * separated by U+001F. One string crosses the thread boundary as one copy,
 * where an array of values or of event objects costs a structured clone of
 * every value (measured: 3–4 µs per event to deserialize, more than SQLite's
 * insert). The writer splits it once and binds the fields as text; SQLite's
 * column affinity turns the numeric ones into INTEGERs (uint64 values above
 * 2^63 arrive as their negative image, u64.ts), so no value goes through a
 * JS float on either side.
 *
 * An empty field is NULL. The only free text, lnd's failure string, is
 * written as U+001A + its JSON when it holds the separator or starts with
 * U+001A. An empty failure string and an empty preimage are stored as NULL,
 * which reads back the same (rows.ts `eventFromRow`).
 */
import type { HtlcEvent } from '../events/model.js';
import { EVENT_COLUMNS, storedInfo } from './rows.js';
import { u64ToDb } from './u64.js';

export const FIELD_SEP = '\u001f';
const ESCAPED = '\u001a';
/** Fields per event: every `events` column but `node`. */
export const EVENT_FIELDS = EVENT_COLUMNS.length - 1;
/** Index of failure_string and preimage among the fields. */
export const TEXT_FIELD = EVENT_COLUMNS.indexOf('failure_string') - 1;
export const PREIMAGE_FIELD = EVENT_COLUMNS.indexOf('preimage') - 1;

const I64_MAX_TEXT = '9223372036854775807';

/** A uint64 decimal as the text of its stored INTEGER. */
function u64Text(dec: string): string {
  const v = u64ToDb(dec);
  return typeof v === 'string' ? v : v.toString();
}

/** A signed decimal (a duration) when it fits SQLite's INTEGER, else empty (NULL). */
function signedText(dec: string | undefined): string {
  if (dec === undefined) return '';
  const digits = dec.charCodeAt(0) === 45 ? dec.length - 1 : dec.length;
  if (digits < 19) return dec;
  const v = BigInt(dec);
  return v >= -(1n << 63n) && v <= BigInt(I64_MAX_TEXT) ? dec : '';
}

function textField(s: string | undefined): string {
  if (s === undefined) return '';
  return s.includes(FIELD_SEP) || s.charCodeAt(0) === 0x1a ? ESCAPED + JSON.stringify(s) : s;
}

const flag = (b: boolean | undefined): number | undefined => (b === undefined ? undefined : b ? 1 : 0);

/** True when an amount of the event needs the wide (≥ 2^63) storage (the report's sums must allow for it). */
export function hasWideAmount(ev: HtlcEvent): boolean {
  const info = storedInfo(ev);
  if (!info) return false;
  return typeof u64ToDb(info.incomingAmtMsat) === 'bigint' || typeof u64ToDb(info.outgoingAmtMsat) === 'bigint';
}

/** A field as `Array.prototype.join` writes it: undefined and null as '' (NULL), numbers in decimal. */
export type Field = string | number | undefined;

/**
 * Appends the event's EVENT_FIELDS fields to `out` (the same values rows.ts
 * `eventRow` binds); the batch is `out.join(FIELD_SEP)`. No string is built
 * per event: the decimal strings are the event's own, and join writes the
 * numbers, so the only garbage is the batch's one string.
 */
export function encodeEvent(ev: HtlcEvent, out: Field[]): void {
  const info = storedInfo(ev);
  const corr = ev.corr;
  const pre = ev.preimage;
  out.push(
    u64Text(ev.timestampNs),
    ev.event,
    ev.eventType,
    u64Text(ev.incomingChannelId),
    u64Text(ev.incomingHtlcId),
    u64Text(ev.outgoingChannelId),
    u64Text(ev.outgoingHtlcId),
  );
  if (info)
    out.push(
      u64Text(info.incomingAmtMsat),
      u64Text(info.outgoingAmtMsat),
      info.incomingTimelock,
      info.outgoingTimelock,
    );
  else out.push(undefined, undefined, undefined, undefined);
  out.push(
    ev.wireFailure,
    ev.failureDetail,
    textField(ev.failureString),
    pre === undefined || pre.byteLength === 0
      ? undefined
      : Buffer.from(pre.buffer, pre.byteOffset, pre.byteLength).toString('hex'),
    flag(ev.settled),
    flag(ev.offchain),
    corr?.firstEventType,
    corr ? signedText(corr.durationNs) : undefined,
    corr?.replayed ? 1 : 0,
  );
}

/**
 * The writer's side: `n` events' fields from `text` (EVENT_FIELDS each), empty
 * ones as null and escaped texts decoded, in place, ready to bind.
 */
export function decodeFields(text: string, n: number): Array<string | number | Buffer | null> {
  const f: Array<string | number | Buffer | null> = text.split(FIELD_SEP);
  if (f.length !== n * EVENT_FIELDS) throw new Error(`history batch: ${f.length} fields for ${n} events`);
  for (let i = 0, k = 0; i < f.length; i++, k = k === EVENT_FIELDS - 1 ? 0 : k + 1) {
    const v = f[i] as string;
    if (v === '') f[i] = null;
    else if (SMALL[k]) f[i] = Number(v);
    else if (k === PREIMAGE_FIELD) f[i] = Buffer.from(v, 'hex');
    else if (k === TEXT_FIELD && v.charCodeAt(0) === 0x1a) f[i] = JSON.parse(v.slice(1)) as string;
  }
  return f;
}

/** Fields that hold small integers (< 2^32: enums, timelocks, flags): bound as numbers, which SQLite stores without parsing text. */
const SMALL: readonly boolean[] = EVENT_COLUMNS.slice(1).map((c) =>
  [
    'event_type',
    'incoming_timelock',
    'outgoing_timelock',
    'wire_failure',
    'failure_detail',
    'settled',
    'offchain',
    'first_event_type',
    'replayed',
  ].includes(c),
);
