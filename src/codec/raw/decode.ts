/**
 * lnd's HtlcEvent as JSON (protojson): the value lnd's REST gateway puts under
 * "result" (and what `--format raw` writes), parsed by JSON.parse, into the
 * event model. The inverse of encode.ts; the general path that fast-line.ts
 * speeds up for canonical lines.
 *
 * Accepts what protojson emits, and is lenient the way protojson parsing is:
 * - field names in proto form (incoming_channel_id) or JSON form (incomingChannelId);
 * - uint64 as decimal strings or as JSON numbers (numbers only while exact:
 *   JSON.parse has already rounded integers above 2^53, so those are refused);
 *   uint32 as numbers or strings; integral exponent forms such as "1e3";
 * - enums as names or numbers (or numeric strings);
 * - bytes as standard or URL-safe base64, with or without padding;
 * - missing fields and null mean the default (0, "", false; an unset HtlcInfo);
 * - unknown fields are ignored (a newer lnd's additions; an unknown oneof
 *   member gives the kind `unknown`, as in the wire decoder).
 * Everything else throws a JsonEventError that names the field.
 */
import { EVENT_TYPE_NUMBERS, FAILURE_CODE_NUMBERS, FAILURE_DETAIL_NUMBERS } from '../../events/enums.js';
import type { EventKind, HtlcEvent, HtlcInfo } from '../../events/model.js';
import type { Mutable } from '../../util/mutable.js';

export class JsonEventError extends Error {
  override name = 'JsonEventError';
  /** The offending field, e.g. "link_fail_event.wire_failure"; "" for the value itself. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(field ? `HtlcEvent JSON, field ${field}: ${message}` : `HtlcEvent JSON: ${message}`);
    this.field = field;
  }
}

type Obj = Record<string, unknown>;

/** A short, terminal-safe rendering of a bad value for an error message. */
function show(v: unknown): string {
  let s: string;
  try {
    s =
      typeof v === 'string'
        ? JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v)
        : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  if (s.length > 80) s = s.slice(0, 80) + '…';
  // JSON.stringify escapes C0 controls; also make C1 controls and bidi overrides harmless.
  return s.replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value of a field by its proto name or its JSON name; undefined when absent or null. */
function field(o: Obj, proto: string, json: string, path: string): unknown {
  let v = o[proto];
  if (proto !== json && Object.hasOwn(o, json)) {
    if (Object.hasOwn(o, proto)) throw new JsonEventError(path + proto, `given twice, as ${proto} and as ${json}`);
    v = o[json];
  } else if (!Object.hasOwn(o, proto)) return undefined;
  return v === null ? undefined : v;
}

const U64_MAX = '18446744073709551615';
const U32_MAX = 4294967295;
const DIGITS = /^\d+$/;
const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * The exact integer an integral number text denotes, as a decimal string
 * (leading zeros removed, "-" for negatives), or undefined when the text is
 * not a number or not integral.
 */
function integerText(s: string): string | undefined {
  if (DIGITS.test(s)) {
    const t = s.replace(/^0+(?=\d)/, '');
    return t;
  }
  const m = NUMBER_TEXT.exec(s);
  if (m === null) return undefined;
  const neg = m[1] === '-';
  const intPart = m[2]!;
  const fracPart = m[3] ?? '';
  const exp = Number(m[4] ?? '0');
  let digits = intPart + fracPart;
  let point = intPart.length + exp; // digits before the decimal point
  if (!Number.isSafeInteger(point) || point > 40) return undefined; // far beyond any 64-bit value
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point >= digits.length) digits += '0'.repeat(point - digits.length);
  else if (/[1-9]/.test(digits.slice(point))) return undefined; // not integral
  const t = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  return neg && t !== '0' ? '-' + t : t;
}

function u64(v: unknown, path: string): string {
  if (v === undefined) return '0';
  if (typeof v === 'string') {
    const t = integerText(v);
    if (t === undefined || t.startsWith('-'))
      throw new JsonEventError(path, `expected a uint64 decimal string, got ${show(v)}`);
    if (t.length > 20 || (t.length === 20 && t > U64_MAX))
      throw new JsonEventError(path, `${show(v)} is out of range for uint64`);
    return t;
  }
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) throw new JsonEventError(path, `expected a uint64, got ${show(v)}`);
    if (!Number.isSafeInteger(v)) {
      throw new JsonEventError(
        path,
        `${show(v)} is above 2^53 as a JSON number and may have lost digits; write uint64 values as decimal strings`,
      );
    }
    return String(v);
  }
  throw new JsonEventError(path, `expected a uint64 decimal string, got ${show(v)}`);
}

function u32(v: unknown, path: string): number {
  if (v === undefined) return 0;
  let n: number | undefined;
  if (typeof v === 'number') n = Number.isInteger(v) ? v : undefined;
  else if (typeof v === 'string') {
    const t = integerText(v);
    n = t === undefined || t.length > 12 ? undefined : Number(t);
  } else throw new JsonEventError(path, `expected a uint32, got ${show(v)}`);
  if (n === undefined || n < 0 || n > U32_MAX) throw new JsonEventError(path, `expected a uint32, got ${show(v)}`);
  return n === 0 ? 0 : n; // no -0
}

function enumValue(v: unknown, names: ReadonlyMap<string, number>, enumName: string, path: string): number {
  if (v === undefined) return 0;
  if (typeof v === 'string') {
    const n = names.get(v);
    if (n !== undefined) return n;
    const t = integerText(v);
    if (t !== undefined && t.length <= 11) v = Number(t);
    else throw new JsonEventError(path, `${show(v)} is not a ${enumName} name known to this version of htlc-tail`);
  }
  if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return v === 0 ? 0 : v;
  throw new JsonEventError(path, `expected a ${enumName} name or number, got ${show(v)}`);
}

function bool(v: unknown, path: string): boolean {
  if (v === undefined) return false;
  if (typeof v === 'boolean') return v;
  throw new JsonEventError(path, `expected true or false, got ${show(v)}`);
}

function str(v: unknown, path: string): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  throw new JsonEventError(path, `expected a string, got ${show(v)}`);
}

const BASE64_STD = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_URL = /^[A-Za-z0-9\-_]*={0,2}$/;

function bytes(v: unknown, path: string): Uint8Array {
  if (v === undefined) return new Uint8Array(0);
  if (typeof v !== 'string') throw new JsonEventError(path, `expected base64 text, got ${show(v)}`);
  const std = BASE64_STD.test(v);
  if (!std && !BASE64_URL.test(v)) throw new JsonEventError(path, `not valid base64: ${show(v)}`);
  const body = v.replace(/=+$/, '');
  const padded = v.length !== body.length;
  if (body.length % 4 === 1 || (padded && v.length % 4 !== 0))
    throw new JsonEventError(path, `not valid base64: ${show(v)}`);
  const buf = Buffer.from(body, std ? 'base64' : 'base64url');
  return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

function message(v: unknown, path: string): Obj | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new JsonEventError(path, `expected an object, got ${show(v)}`);
  return v;
}

function htlcInfo(v: unknown, path: string): HtlcInfo | null {
  const o = message(v, path);
  if (o === undefined) return null;
  const p = path + '.';
  return {
    incomingTimelock: u32(field(o, 'incoming_timelock', 'incomingTimelock', p), p + 'incoming_timelock'),
    outgoingTimelock: u32(field(o, 'outgoing_timelock', 'outgoingTimelock', p), p + 'outgoing_timelock'),
    incomingAmtMsat: u64(field(o, 'incoming_amt_msat', 'incomingAmtMsat', p), p + 'incoming_amt_msat'),
    outgoingAmtMsat: u64(field(o, 'outgoing_amt_msat', 'outgoingAmtMsat', p), p + 'outgoing_amt_msat'),
  };
}

const MEMBERS: ReadonlyArray<readonly [proto: string, json: string, kind: EventKind]> = [
  ['forward_event', 'forwardEvent', 'forward'],
  ['forward_fail_event', 'forwardFailEvent', 'forward_fail'],
  ['settle_event', 'settleEvent', 'settle'],
  ['link_fail_event', 'linkFailEvent', 'link_fail'],
  ['subscribed_event', 'subscribedEvent', 'subscribed'],
  ['final_htlc_event', 'finalHtlcEvent', 'final_htlc'],
];

/**
 * One HtlcEvent from its protojson value. `value` is what JSON.parse gave for
 * a raw line, or the object under a REST line's "result" (not the envelope:
 * an object with a "result" or "error" key is refused with a message saying so).
 */
export function decodeJsonEvent(value: unknown): HtlcEvent {
  if (!isObject(value)) throw new JsonEventError('', `expected a JSON object, got ${show(value)}`);
  const o = value;
  if (Object.hasOwn(o, 'result') || Object.hasOwn(o, 'error')) {
    throw new JsonEventError(
      '',
      Object.hasOwn(o, 'error')
        ? `this is an lnd REST error line, not an event: ${show(o['error'])}`
        : 'this is an lnd REST envelope; pass the value under "result"',
    );
  }
  if (Object.hasOwn(o, 'event')) {
    throw new JsonEventError(
      'event',
      o['event'] === 'gap'
        ? 'this is an htlc-tail gap marker, not an event (skip it: see isGapMarkerJson)'
        : 'this looks like an htlc-tail --format jsonl line; only raw lines (lnd protojson) and lnd REST lines can be read back',
    );
  }

  let kind: EventKind = 'unknown';
  let member: Obj | undefined;
  let memberName = '';
  for (const [proto, json, k] of MEMBERS) {
    const v = field(o, proto, json, '');
    if (v === undefined) continue;
    if (memberName)
      throw new JsonEventError(proto, `more than one member of the oneof "event" is set (${memberName} and ${proto})`);
    member = message(v, proto);
    memberName = proto;
    kind = k;
  }

  const ev: Mutable<HtlcEvent> = {
    event: kind,
    eventType: enumValue(
      field(o, 'event_type', 'eventType', ''),
      EVENT_TYPE_NUMBERS,
      'HtlcEvent.EventType',
      'event_type',
    ),
    timestampNs: u64(field(o, 'timestamp_ns', 'timestampNs', ''), 'timestamp_ns'),
    incomingChannelId: u64(field(o, 'incoming_channel_id', 'incomingChannelId', ''), 'incoming_channel_id'),
    outgoingChannelId: u64(field(o, 'outgoing_channel_id', 'outgoingChannelId', ''), 'outgoing_channel_id'),
    incomingHtlcId: u64(field(o, 'incoming_htlc_id', 'incomingHtlcId', ''), 'incoming_htlc_id'),
    outgoingHtlcId: u64(field(o, 'outgoing_htlc_id', 'outgoingHtlcId', ''), 'outgoing_htlc_id'),
  };

  const m: Obj = member ?? {};
  const p = memberName + '.';
  switch (kind) {
    case 'forward':
      ev.info = htlcInfo(field(m, 'info', 'info', p), p + 'info');
      break;
    case 'settle':
      ev.preimage = bytes(field(m, 'preimage', 'preimage', p), p + 'preimage');
      break;
    case 'link_fail':
      ev.info = htlcInfo(field(m, 'info', 'info', p), p + 'info');
      ev.wireFailure = enumValue(
        field(m, 'wire_failure', 'wireFailure', p),
        FAILURE_CODE_NUMBERS,
        'lnrpc.Failure.FailureCode',
        p + 'wire_failure',
      );
      ev.failureDetail = enumValue(
        field(m, 'failure_detail', 'failureDetail', p),
        FAILURE_DETAIL_NUMBERS,
        'routerrpc.FailureDetail',
        p + 'failure_detail',
      );
      ev.failureString = str(field(m, 'failure_string', 'failureString', p), p + 'failure_string');
      break;
    case 'final_htlc':
      ev.settled = bool(field(m, 'settled', 'settled', p), p + 'settled');
      ev.offchain = bool(field(m, 'offchain', 'offchain', p), p + 'offchain');
      break;
  }
  return ev;
}

/**
 * True for the gap marker line that `--format raw` (and jsonl) writes between
 * events when the stream was lost: {"event":"gap","from":…,"to":…,"reason":…}.
 * It is not an lnd event; readers of raw captures skip it.
 */
export function isGapMarkerJson(value: unknown): boolean {
  return isObject(value) && value['event'] === 'gap';
}
