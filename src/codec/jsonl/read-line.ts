/**
 * htlc-tail's own `-f jsonl` lines read back into the event model, so
 * `replay` takes the documented format for scripts too.
 *
 * The line is parsed with lossless-json: every number keeps its source text,
 * so amounts above 2^53 msat and durations are exact (JSON.parse would round
 * them through a float). What jsonl writes is what lnd sent plus what the
 * tail learned:
 *
 * - lnd's fields come back as they were: the ids, timestamp_ns, event_type,
 *   the HtlcInfo of a forward or link_fail (a SEND's incoming side and a
 *   RECEIVE's outgoing side, left out when zero, are zero again; no amounts
 *   means lnd left HtlcInfo unset), the failure codes and text, the preimage
 *   (hex; absent = empty), settled/offchain. Enums are names or numbers, as
 *   written. So `-f raw` from a jsonl capture gives lnd's raw lines.
 * - What correlation added is kept as recorded (`HtlcEvent.recorded`), not
 *   recomputed: the amounts a settle, forward_fail or final_htlc got from its
 *   HTLC's first event, duration_ms, replayed, and the HTLC's type (fee_msat
 *   marks a forward). A capture may be filtered or start mid-stream, so
 *   recomputing could differ; keeping the record makes `replay -f jsonl`
 *   reproduce the capture line for line.
 * - The peer aliases are kept as the recorded aliases of those events.
 * - `node` (a capture of several nodes) is kept, so the replayed lines
 *   (jsonl, csv) name their node as the capture did.
 * - `time`, the scids and fee_msat are derived from the rest and not read
 *   (fee_msat only tells the type); unknown keys are ignored.
 *
 * A line missing a key jsonl always writes, or with a value of the wrong
 * kind, is a bad line (JsonlLineError names the key).
 */
import { isLosslessNumber, parse } from 'lossless-json';
import { EVENT_TYPE, EVENT_TYPE_NUMBERS, FAILURE_CODE_NUMBERS, FAILURE_DETAIL_NUMBERS } from '../../events/enums.js';
import {
  EVENT_KINDS,
  type EventKind,
  type HtlcEvent,
  type HtlcInfo,
  type RecordedCorrelation,
} from '../../events/model.js';
import type { Mutable } from '../../util/mutable.js';

export class JsonlLineError extends Error {
  override name = 'JsonlLineError';
}

type Obj = Record<string, unknown>;

const U64_MAX = '18446744073709551615';
const U32_MAX = 4294967295;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function bad(key: string, what: string): JsonlLineError {
  return new JsonlLineError(`an htlc-tail --format jsonl line whose "${key}" ${what}`);
}

/** The source text of a JSON number, or undefined when the value is not a number. */
function numberText(v: unknown): string | undefined {
  return isLosslessNumber(v) ? v.value : undefined;
}

function u64(o: Obj, key: string, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined) {
    if (required) throw bad(key, 'is missing');
    return undefined;
  }
  // Identifiers are written as decimal strings, quantities as numbers; both are read either way.
  const t = typeof v === 'string' ? v : numberText(v);
  if (t === undefined || !/^\d{1,20}$/.test(t)) throw bad(key, 'is not a uint64 decimal');
  const d = t.replace(/^0+(?=\d)/, '');
  if (d.length === 20 && d > U64_MAX) throw bad(key, 'is out of range for a uint64');
  return d;
}

function u32(o: Obj, key: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  const t = numberText(v);
  if (t === undefined || !/^\d{1,10}$/.test(t) || Number(t) > U32_MAX) throw bad(key, 'is not a uint32 number');
  return Number(t);
}

function enumValue(o: Obj, key: string, names: ReadonlyMap<string, number>, required: boolean): number | undefined {
  const v = o[key];
  if (v === undefined) {
    if (required) throw bad(key, 'is missing');
    return undefined;
  }
  if (typeof v === 'string') {
    const n = names.get(v);
    if (n === undefined) throw bad(key, `is not a name this version knows (${JSON.stringify(v.slice(0, 40))})`);
    return n;
  }
  const t = numberText(v);
  if (t === undefined || !/^-?\d{1,10}$/.test(t) || Number(t) < INT32_MIN || Number(t) > INT32_MAX)
    throw bad(key, 'is not an enum name or number');
  return Number(t);
}

function str(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw bad(key, 'is not a string');
  return v;
}

function bool(o: Obj, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw bad(key, 'is not true or false');
  return v;
}

/**
 * duration_ms (exact ms, e.g. "9.412353", "-0.0015", "2e-3") as an integer
 * count of ns in a decimal string; a value finer than 1 ns is refused.
 */
export function msTextToNs(text: string): string | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return undefined;
  const digits = m[2]! + (m[3] ?? '');
  const exp = Number(m[4] ?? '0');
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 40) return undefined;
  // The decimal point sits after `point` digits of `digits`, once shifted to ns (×10^6).
  const point = m[2]!.length + 6 + exp;
  let int: string;
  if (point >= digits.length) int = digits + '0'.repeat(point - digits.length);
  else if (point <= 0) int = /^0*$/.test(digits) ? '0' : '';
  else int = /^0*$/.test(digits.slice(point)) ? digits.slice(0, point) : '';
  if (int === '') return undefined;
  int = int.replace(/^0+(?=\d)/, '');
  return m[1] === '-' && int !== '0' ? '-' + int : int;
}

/** The HtlcInfo of a line's amount keys; undefined when none of the four is there. */
function infoOf(o: Obj): { info: HtlcInfo; inShown: boolean; outShown: boolean } | undefined {
  const inAmt = u64(o, 'incoming_amt_msat', false);
  const outAmt = u64(o, 'outgoing_amt_msat', false);
  const inLock = u32(o, 'incoming_timelock');
  const outLock = u32(o, 'outgoing_timelock');
  const inShown = inAmt !== undefined || inLock !== undefined;
  const outShown = outAmt !== undefined || outLock !== undefined;
  if (!inShown && !outShown) return undefined;
  return {
    info: {
      incomingTimelock: inLock ?? 0,
      outgoingTimelock: outLock ?? 0,
      incomingAmtMsat: inAmt ?? '0',
      outgoingAmtMsat: outAmt ?? '0',
    },
    inShown,
    outShown,
  };
}

function hexBytes(hex: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw bad('preimage', 'is not hex');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

const KINDS: ReadonlySet<string> = new Set(EVENT_KINDS);

/** Whether a parsed JSON value is (meant as) an htlc-tail jsonl event line: an object with a string "event" that is not "gap". */
export function isJsonlEventValue(v: Obj): boolean {
  return typeof v['event'] === 'string' && v['event'] !== 'gap';
}

/** A jsonl line's text into an event (with what the capture recorded); throws JsonlLineError. */
export function decodeJsonlLine(line: string): HtlcEvent {
  let v: unknown;
  try {
    v = parse(line);
  } catch (e) {
    throw new JsonlLineError(`not JSON (${e instanceof Error ? e.message.slice(0, 80) : String(e)})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new JsonlLineError('expected a JSON object');
  return decodeJsonlObject(v as Obj);
}

export function decodeJsonlObject(o: Obj): HtlcEvent {
  const kind = o['event'];
  if (typeof kind !== 'string' || !KINDS.has(kind))
    throw bad('event', `is not an event kind (${EVENT_KINDS.join(', ')}, or gap)`);
  const event = kind as EventKind;
  const eventType = enumValue(o, 'event_type', EVENT_TYPE_NUMBERS, true)!;
  const ev: Mutable<HtlcEvent> = {
    event,
    eventType,
    timestampNs: u64(o, 'timestamp_ns', true)!,
    incomingChannelId: u64(o, 'incoming_channel_id', true)!,
    outgoingChannelId: u64(o, 'outgoing_channel_id', true)!,
    incomingHtlcId: u64(o, 'incoming_htlc_id', true)!,
    outgoingHtlcId: u64(o, 'outgoing_htlc_id', true)!,
  };
  const amounts = infoOf(o);
  const ownInfo = event === 'forward' || event === 'link_fail';
  switch (event) {
    case 'forward':
      ev.info = amounts?.info ?? null;
      break;
    case 'link_fail':
      ev.info = amounts?.info ?? null;
      ev.wireFailure = enumValue(o, 'wire_failure', FAILURE_CODE_NUMBERS, false) ?? 0;
      ev.failureDetail = enumValue(o, 'failure_detail', FAILURE_DETAIL_NUMBERS, false) ?? 0;
      ev.failureString = str(o, 'failure_string') ?? '';
      break;
    case 'settle':
      ev.preimage = hexBytes(str(o, 'preimage') ?? '');
      break;
    case 'final_htlc':
      ev.settled = bool(o, 'settled') ?? false;
      ev.offchain = bool(o, 'offchain') ?? false;
      break;
    default:
      break;
  }
  const inAlias = str(o, 'incoming_alias');
  const outAlias = str(o, 'outgoing_alias');
  if (inAlias) ev.incomingAlias = inAlias;
  if (outAlias) ev.outgoingAlias = outAlias;
  const node = str(o, 'node');
  if (node) ev.node = node;

  // subscribed and unknown events carry nothing correlation adds.
  if (event === 'subscribed' || event === 'unknown') return ev;
  const fee = o['fee_msat'] !== undefined;
  const durationText = o['duration_ms'] === undefined ? undefined : numberText(o['duration_ms']);
  if (o['duration_ms'] !== undefined && durationText === undefined) throw bad('duration_ms', 'is not a number');
  const durationNs = durationText === undefined ? undefined : msTextToNs(durationText);
  if (durationText !== undefined && durationNs === undefined)
    throw bad('duration_ms', 'is not a whole number of nanoseconds in ms');
  const replayed = bool(o, 'replayed') === true;
  const rec: Mutable<RecordedCorrelation> = {};
  if (!ownInfo && amounts) rec.info = amounts.info;
  if (fee) rec.firstEventType = EVENT_TYPE.FORWARD;
  else if (eventType !== EVENT_TYPE.UNKNOWN) rec.firstEventType = eventType;
  else if (amounts && amounts.inShown !== amounts.outShown)
    rec.firstEventType = amounts.inShown ? EVENT_TYPE.RECEIVE : EVENT_TYPE.SEND;
  if (durationNs !== undefined) rec.durationNs = durationNs;
  if (replayed) rec.replayed = true;
  ev.recorded = rec;
  return ev;
}
