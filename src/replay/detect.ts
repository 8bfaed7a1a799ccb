/**
 * What one line of a capture is, detected line by line (a capture may mix
 * them, e.g. `htlc-tail -f raw` output appended to a `curl` capture):
 *
 * - a raw line: the HtlcEvent as lnd's REST gateway encodes it (what
 *   `htlc-tail -f raw` prints);
 * - an lnd REST line `{"result": <HtlcEvent>}` (curl of /v2/router/htlcevents,
 *   or WebSocket frames saved one per line);
 * - an lnd error line, `{"error": {...}}` or an HTTP error body
 *   `{"code": 2, "message": "..."}`: the recorded stream failed there; not an event;
 * - htlc-tail's own `-f jsonl` line (`{"event":"settle",...}`): read with
 *   what the capture recorded (codec/jsonl/read-line.ts);
 * - a gap line `{"event":"gap",...}` that `-f raw`/`-f jsonl` print after a
 *   reconnection: passed through, so `-f raw | replay -f raw` keeps it;
 * - a blank line (skipped);
 * - anything else is a bad line, with the reason; so is a JSON object in
 *   none of these shapes (`{"foo":1}`: no HtlcEvent field, no "event").
 *
 * Lines exactly as `htlc-tail -f raw` writes them are read by a strict
 * scanner (codec/raw/fast-line.ts) that gives the same event as the general path below;
 * everything else goes through JSON.parse and decodeJsonEvent.
 */
import { decodeJsonlLine, isJsonlEventValue, JsonlLineError } from '../codec/jsonl/read-line.js';
import { decodeJsonEvent, isGapMarkerJson, JsonEventError } from '../codec/raw/decode.js';
import { parseRawLine, REST_PREFIX } from '../codec/raw/fast-line.js';
import type { GapMarker, HtlcEvent } from '../events/model.js';
import { classifyRestValue, jsonErrorReason, safeText } from '../transport/rest/rest-line.js';

export type ReplayLine =
  | { readonly kind: 'blank' }
  | { readonly kind: 'event'; readonly event: HtlcEvent; readonly format: 'raw' | 'rest' | 'jsonl' }
  | { readonly kind: 'gap'; readonly gap: GapMarker }
  | { readonly kind: 'lnd-error'; readonly code: number; readonly message: string }
  | { readonly kind: 'bad'; readonly reason: string };

const BOM = '\ufeff';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function gapTime(v: unknown): number | undefined {
  if (v === null) return NaN;
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A gap line back into a GapMarker, or the reason it is not a valid one. */
export function parseGap(v: Record<string, unknown>): GapMarker | string {
  const fromMs = gapTime(v['from']);
  const toMs = gapTime(v['to']);
  if (fromMs === undefined) return 'a gap line whose "from" is not an RFC 3339 time';
  if (toMs === undefined) return 'a gap line whose "to" is not an RFC 3339 time';
  const reason = v['reason'] ?? '';
  if (typeof reason !== 'string') return 'a gap line whose "reason" is not a string';
  const node = v['node'];
  // A capture of several nodes: the gap's node (see HtlcEvent.node).
  return typeof node === 'string' && node !== ''
    ? { event: 'gap', fromMs, toMs, reason, node }
    : { event: 'gap', fromMs, toMs, reason };
}

/** The fields of lnd's HtlcEvent in JSON (proto and JSON names): a raw event has at least one. */
const HTLC_EVENT_FIELDS = [
  'incoming_channel_id',
  'incomingChannelId',
  'outgoing_channel_id',
  'outgoingChannelId',
  'incoming_htlc_id',
  'incomingHtlcId',
  'outgoing_htlc_id',
  'outgoingHtlcId',
  'timestamp_ns',
  'timestampNs',
  'event_type',
  'eventType',
  'forward_event',
  'forwardEvent',
  'forward_fail_event',
  'forwardFailEvent',
  'settle_event',
  'settleEvent',
  'link_fail_event',
  'linkFailEvent',
  'final_htlc_event',
  'finalHtlcEvent',
  'subscribed_event',
  'subscribedEvent',
];

const NO_EVENT =
  'a JSON object that is no event: not an lnd HtlcEvent (no incoming_channel_id, timestamp_ns, event_type, …), not an lnd REST line {"result": ...}, not an htlc-tail jsonl line {"event": ...}';

function decode(value: unknown, format: 'raw' | 'rest'): ReplayLine {
  if (isObject(value) && !HTLC_EVENT_FIELDS.some((k) => Object.hasOwn(value, k)))
    return { kind: 'bad', reason: NO_EVENT };
  try {
    return { kind: 'event', event: decodeJsonEvent(value), format };
  } catch (e) {
    if (e instanceof JsonEventError) return { kind: 'bad', reason: safeText(e.message) };
    throw e;
  }
}

export function detectLine(line: string): ReplayLine {
  let text = line;
  if (text.startsWith(BOM)) text = text.slice(1);
  // The fast path: a line exactly as `-f raw` writes it (or that wrapped as a REST line).
  const fast = parseRawLine(text);
  if (fast !== undefined) return { kind: 'event', event: fast, format: text.startsWith(REST_PREFIX) ? 'rest' : 'raw' };
  if (text.trim() === '') return { kind: 'blank' };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { kind: 'bad', reason: jsonErrorReason(e) };
  }
  if (!isObject(v)) {
    return { kind: 'bad', reason: 'expected a JSON object (a raw HtlcEvent or an lnd REST line {"result": ...})' };
  }
  if (isGapMarkerJson(v)) {
    const gap = parseGap(v);
    return typeof gap === 'string' ? { kind: 'bad', reason: gap } : { kind: 'gap', gap };
  }
  if (isJsonlEventValue(v)) {
    try {
      // Parsed again, keeping every number's digits (amounts above 2^53, durations).
      return { kind: 'event', event: decodeJsonlLine(text), format: 'jsonl' };
    } catch (e) {
      if (e instanceof JsonlLineError) return { kind: 'bad', reason: safeText(e.message) };
      throw e;
    }
  }
  const c = classifyRestValue(v);
  switch (c.kind) {
    case 'result':
      return decode(c.value, 'rest');
    case 'error':
      return { kind: 'lnd-error', code: c.code, message: c.message };
    default:
      return decode(v, 'raw');
  }
}
