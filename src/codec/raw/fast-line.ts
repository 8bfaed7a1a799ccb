/**
 * The fast path of `replay`: a strict reader for exactly the line that
 * `htlc-tail -f raw` writes (encode.ts `encodeRawEvent`), and for the same text
 * wrapped as an lnd REST line `{"result":...}`, straight into the event model
 * without JSON.parse and its intermediate objects.
 *
 * It recognises only the canonical layout: proto field names in field-number
 * order, no whitespace, uint64 as decimal strings without leading zeros, uint32
 * as plain numbers, enums as the names this version knows or as plain int32
 * numbers, HtlcInfo as an object or null, the preimage as standard padded
 * base64, failure_string as a JSON string without raw control characters.
 * Anything else (another key order, spacing, JSON names, extra or missing
 * fields, numbers where strings belong, leading zeros, unknown enum names,
 * out-of-range values, …) gives `undefined`, and the caller takes the slow
 * path (JSON.parse + decodeJsonEvent, decode.ts), which is lenient and
 * explains errors.
 *
 * Invariant: whenever an event is returned, it deep-equals (same keys in the
 * same order, same values, the preimage a plain Uint8Array) what
 * decodeJsonEvent(JSON.parse(line)) (or of its "result") gives; a property
 * test (test/codec/raw-fast-line.test.ts) checks it against JSON.parse.
 *
 * How: one regular expression for the whole line (V8 runs it as machine code,
 * several times faster than a scan in JavaScript), its captures checked and
 * converted as decode.ts does.
 *
 * Strings: V8 makes a substring of 13 or more characters as a view into its
 * parent, which would keep the whole decoded input piece alive for as long as
 * anything holds the value (e.g. the stats' tables). Returned strings never
 * are such views: channel ids and failure texts repeat and come from small
 * caches of copies; other long values are built from short copies.
 */
import { EVENT_TYPE_NUMBERS, FAILURE_CODE_NUMBERS, FAILURE_DETAIL_NUMBERS } from '../../events/enums.js';
import type { EventKind, HtlcEvent, HtlcInfo } from '../../events/model.js';
import { BoundedMap } from '../../util/bounded-map.js';
import type { Mutable } from '../../util/mutable.js';

/** How an lnd REST line starts; a line parsed by parseRawLine starting so was one. */
export const REST_PREFIX = '{"result":';

// ---------------------------------------------------------------------------
// The grammar (each capture group numbered below)

/** uint64: a decimal string, no leading zero, at most 20 digits (range checked after). */
const U64 = '"(0|[1-9][0-9]{0,19})"';
/** uint32: a plain number, no leading zero, at most 10 digits (range checked after). */
const U32 = '(0|[1-9][0-9]{0,9})';
/** enum: a name (looked up after) or a plain int32 number (range checked after). */
const ENUM = '(?:"([A-Z0-9_]{1,64})"|(0|-?[1-9][0-9]{0,9}))';
const INFO = `(?:null|\\{"incoming_timelock":${U32},"outgoing_timelock":${U32},"incoming_amt_msat":${U64},"outgoing_amt_msat":${U64}\\})`;
/** A JSON string's contents: no quote, no raw control character; escapes decoded after. */
const STRING = '"((?:[^"\\\\\\u0000-\\u001f]|\\\\[^\\u0000-\\u001f])*)"';

const EVENT =
  '\\{"incoming_channel_id":' +
  U64 + // 1
  ',"outgoing_channel_id":' +
  U64 + // 2
  ',"incoming_htlc_id":' +
  U64 + // 3
  ',"outgoing_htlc_id":' +
  U64 + // 4
  ',"timestamp_ns":' +
  U64 + // 5
  ',"event_type":' +
  ENUM + // 6 name, 7 number
  '(?:' +
  ',"(forward)_event":\\{"info":' +
  INFO +
  '\\}' + // 8; info 9-12
  '|,"(forward_fail|subscribed)_event":\\{\\}' + // 13
  '|,"settle_event":\\{"preimage":"([A-Za-z0-9+/]*={0,2})"\\}' + // 14
  '|,"(link_fail)_event":\\{"info":' +
  INFO + // 15; info 16-19
  ',"wire_failure":' +
  ENUM + // 20, 21
  ',"failure_detail":' +
  ENUM + // 22, 23
  ',"failure_string":' +
  STRING +
  '\\}' + // 24
  '|,"final_htlc_event":\\{"settled":(true|false),"offchain":(true|false)\\}' + // 25, 26
  ')?\\}';

/**
 * Longer lines (only a failure text can make a line long) go to the slow
 * path: the expression's backtracking stack grows with the text, and V8 throws
 * beyond about ten million characters.
 */
const MAX_LINE = 64 * 1024;

const RAW_LINE = new RegExp('^' + EVENT + '$');
const REST_LINE = new RegExp('^\\{"result":' + EVENT + '\\}$');

// ---------------------------------------------------------------------------
// Values

const U64_MAX = '18446744073709551615';
const U32_MAX = 4294967295;
/** Shortest substring V8 makes as a view into its parent instead of a copy. */
const SLICE_MIN = 13;

/** A copy of a digit string `v` (at most 24 characters) that shares no memory with the string it was cut from. */
function detached(v: string): string {
  const n = v.length;
  if (n < SLICE_MIN) return v; // already a copy
  // Both halves are shorter than SLICE_MIN, so copies; their concatenation refers only to them.
  return v.slice(0, n >> 1) + v.slice(n >> 1);
}

/** A fresh copy of a failure text without quote, backslash or control character. */
function copied(v: string): string {
  return v.length < SLICE_MIN ? v : (JSON.parse('"' + v + '"') as string);
}

/**
 * Strings that repeat (channel ids, failure texts), each kept once as a
 * copy of its own (memos of pure functions: what they hold changes no
 * result). Bounded: long strings are not kept.
 */
const channelIds = new BoundedMap<string, string>(4096);
const failureTexts = new BoundedMap<string, string>(1024);

/** `v` (a capture: maybe a view into the line) as a string of its own, from `cache` when it is there. */
function shared(v: string, cache: BoundedMap<string, string>, copy: (v: string) => string, maxLength: number): string {
  if (v.length < SLICE_MIN) return v;
  if (v.length > maxLength) return copy(v);
  const hit = cache.get(v);
  if (hit !== undefined) return hit;
  const c = copy(v);
  cache.set(c, c); // keyed by the copy: a key that is a view would keep the line alive
  return c;
}

/** A uint64 capture within range, or undefined. */
function u64(v: string): string | undefined {
  return v.length === 20 && v > U64_MAX ? undefined : detached(v);
}

function channelId(v: string): string | undefined {
  return v.length === 20 && v > U64_MAX ? undefined : shared(v, channelIds, detached, 20);
}

/** A uint32 capture as a number, or -1 when out of range. */
function u32(v: string): number {
  const n = +v;
  return n <= U32_MAX ? n : -1;
}

/** Not a value of any enum (the result for an unknown name or an out-of-range number). */
const NO = 0.5;

function enumValue(name: string | undefined, num: string | undefined, names: ReadonlyMap<string, number>): number {
  if (name !== undefined) return names.get(name) ?? NO;
  const n = +num!;
  return n >= -2147483648 && n <= 2147483647 ? n : NO;
}

/** The text of a failure_string capture (the contents between the quotes), or undefined. */
function text(v: string): string | undefined {
  if (v.indexOf('\\') < 0) return shared(v, failureTexts, copied, 256);
  try {
    // Escapes read exactly as JSON.parse reads them (and the result is a fresh string).
    return JSON.parse('"' + v + '"') as string;
  } catch {
    return undefined;
  }
}

/**
 * A preimage capture (standard base64, "=" padding only at the end) as a
 * plain Uint8Array, or undefined when it is not padded to a multiple of 4
 * (the slow path takes those).
 */
function base64(v: string): Uint8Array | undefined {
  return (v.length & 3) === 0 ? new Uint8Array(Buffer.from(v, 'base64')) : undefined;
}

/** The HtlcInfo from its four captures (all undefined: null), or undefined when out of range. */
function info(
  it: string | undefined,
  ot: string | undefined,
  ia: string | undefined,
  oa: string | undefined,
): HtlcInfo | null | undefined {
  if (it === undefined) return null;
  const incomingTimelock = u32(it);
  const outgoingTimelock = u32(ot!);
  const incomingAmtMsat = u64(ia!);
  const outgoingAmtMsat = u64(oa!);
  if (incomingTimelock < 0 || outgoingTimelock < 0 || incomingAmtMsat === undefined || outgoingAmtMsat === undefined)
    return undefined;
  return { incomingTimelock, outgoingTimelock, incomingAmtMsat, outgoingAmtMsat };
}

// ---------------------------------------------------------------------------
// The line

/**
 * The event of a line exactly as `htlc-tail -f raw` writes it, or of the same
 * wrapped as an lnd REST line `{"result":...}` (tell them apart with
 * REST_PREFIX); undefined for anything else, to be read by the slow path.
 * `line` has no newline, no CR and no BOM.
 */
export function parseRawLine(line: string): HtlcEvent | undefined {
  if (line.length > MAX_LINE) return undefined;
  const m = (line.charCodeAt(2) === 0x72 /* r */ ? REST_LINE : RAW_LINE).exec(line);
  if (m === null) return undefined;

  const incomingChannelId = channelId(m[1]!);
  const outgoingChannelId = channelId(m[2]!);
  const incomingHtlcId = u64(m[3]!);
  const outgoingHtlcId = u64(m[4]!);
  const timestampNs = u64(m[5]!);
  const eventType = enumValue(m[6], m[7], EVENT_TYPE_NUMBERS);
  if (
    incomingChannelId === undefined ||
    outgoingChannelId === undefined ||
    incomingHtlcId === undefined ||
    outgoingHtlcId === undefined ||
    timestampNs === undefined ||
    eventType === NO
  ) {
    return undefined;
  }
  let kind: EventKind;
  if (m[8] !== undefined) kind = 'forward';
  else if (m[15] !== undefined) kind = 'link_fail';
  else if (m[14] !== undefined) kind = 'settle';
  else if (m[25] !== undefined) kind = 'final_htlc';
  else if (m[13] !== undefined) kind = m[13] === 'forward_fail' ? 'forward_fail' : 'subscribed';
  else kind = 'unknown';

  // The same keys in the same order as decodeJsonEvent builds them.
  const ev: Mutable<HtlcEvent> = {
    event: kind,
    eventType,
    timestampNs,
    incomingChannelId,
    outgoingChannelId,
    incomingHtlcId,
    outgoingHtlcId,
  };
  switch (kind) {
    case 'forward': {
      const i = info(m[9], m[10], m[11], m[12]);
      if (i === undefined) return undefined;
      ev.info = i;
      break;
    }
    case 'settle': {
      const preimage = base64(m[14]!);
      if (preimage === undefined) return undefined;
      ev.preimage = preimage;
      break;
    }
    case 'link_fail': {
      const i = info(m[16], m[17], m[18], m[19]);
      const wireFailure = enumValue(m[20], m[21], FAILURE_CODE_NUMBERS);
      const failureDetail = enumValue(m[22], m[23], FAILURE_DETAIL_NUMBERS);
      const failureString = text(m[24]!);
      if (i === undefined || wireFailure === NO || failureDetail === NO || failureString === undefined)
        return undefined;
      ev.info = i;
      ev.wireFailure = wireFailure;
      ev.failureDetail = failureDetail;
      ev.failureString = failureString;
      break;
    }
    case 'final_htlc':
      ev.settled = m[25] === 'true';
      ev.offchain = m[26] === 'true';
      break;
    default:
      break;
  }
  return ev;
}
