/**
 * `--format jsonl`: one JSON object per line, SPEC "JSON lines schema version 1".
 *
 * Built by string concatenation in the schema's key order. Everything written
 * unquoted or between quotes without escaping is produced by this program
 * (decimal strings of the model, enum names, RFC 3339 times, scids, hex);
 * strings that come from the node (aliases, failure_string) are JSON-escaped
 * (codec/json/json-string.ts). 64-bit quantities are written with the digits of their
 * decimal strings, so they are exact even above 2^53.
 *
 * `node` (the node's name, when several nodes are tailed) comes last, after
 * every key of schema version 1, as in the csv columns.
 *
 * A SEND's incoming side and a RECEIVE's outgoing side are left out of the
 * amounts and timelocks when both are 0 (lnd fills only the side that exists).
 */
import { EVENT_TYPE } from '../events/enums.js';
import type { HtlcEvent, OutputItem } from '../events/model.js';
import type { FormatContext } from './types.js';
import { rfc3339FromNs } from './pieces/rfc3339-ns.js';
import { scidOf } from './pieces/scid.js';
import { eventTypeJson, failureCodeJson, failureDetailJson } from '../codec/json/enum-json.js';
import { effectiveEventType, forwardFeeMsat, htlcInfoOf } from './pieces/htlc-info.js';
import { nsToMsDecimal } from './pieces/ns-to-ms.js';
import { toHex } from './pieces/hex.js';
import { jsonString } from '../codec/json/json-string.js';
import { BoundedMap } from '../util/bounded-map.js';
import { gapJson } from './pieces/gap-json.js';

export function formatJsonl(item: OutputItem, _ctx?: FormatContext): string {
  if (item.event === 'gap') return gapJson(item);
  return jsonlEvent(item);
}

// Per-event work is kept to a few concatenations: the parts that repeat from one
// event to the next (the event kind and type, the date-and-seconds of the time, a
// channel's id-and-scid pair) are built once and cached.

const MAX_CACHED = 4096;

/** `{"event":"<kind>","event_type":<type>,"time":` by kind and type. */
const heads = new Map<string, string[]>();

function head(event: string, type: number): string {
  let byType = heads.get(event);
  if (byType === undefined) {
    byType = [];
    heads.set(event, byType);
  }
  const small = type >= 0 && type < 64;
  let h = small ? byType[type] : undefined;
  if (h === undefined) {
    h = '{"event":"' + event + '","event_type":' + eventTypeJson(type) + ',"time":';
    if (small) byType[type] = h;
  }
  return h;
}

let lastSec = '';
/** `"<date>T<hh:mm:ss>.` of lastSec. */
let lastTimeHead = '';

/** `<time>,"timestamp_ns":"<ns>"`: the time is null for "0". */
function timeAndTimestamp(ns: string): string {
  const len = ns.length;
  if (len > 9) {
    const sec = ns.slice(0, len - 9);
    if (sec !== lastSec) {
      const t = rfc3339FromNs(ns)!; // <prefix>.<9 digits>Z
      lastTimeHead = '"' + t.slice(0, t.length - 10);
      lastSec = sec;
    }
    return lastTimeHead + ns.slice(len - 9) + 'Z","timestamp_ns":"' + ns + '"';
  }
  const time = rfc3339FromNs(ns);
  return (time === null ? 'null' : '"' + time + '"') + ',"timestamp_ns":"' + ns + '"';
}

const inFragments = new BoundedMap<string, string>(MAX_CACHED);
const outFragments = new BoundedMap<string, string>(MAX_CACHED);

/** `,"incoming_channel_id":"<id>"` and, when the id is not 0, `,"incoming_scid":"<scid>"`. */
function incomingChannel(id: string): string {
  let f = inFragments.get(id);
  if (f === undefined) {
    f = ',"incoming_channel_id":"' + id + '"';
    if (id !== '0') f += ',"incoming_scid":"' + scidOf(id) + '"';
    inFragments.set(id, f);
  }
  return f;
}

/** `","outgoing_channel_id":"<id>"` (closing the incoming htlc id) and the scid when the id is not 0. */
function outgoingChannel(id: string): string {
  let f = outFragments.get(id);
  if (f === undefined) {
    f = '","outgoing_channel_id":"' + id + '"';
    if (id !== '0') f += ',"outgoing_scid":"' + scidOf(id) + '"';
    outFragments.set(id, f);
  }
  return f;
}

export function jsonlEvent(ev: HtlcEvent): string {
  let s = head(ev.event, ev.eventType) + timeAndTimestamp(ev.timestampNs) + incomingChannel(ev.incomingChannelId);
  if (ev.incomingAlias) s += ',"incoming_alias":' + jsonString(ev.incomingAlias);
  s += ',"incoming_htlc_id":"' + ev.incomingHtlcId + outgoingChannel(ev.outgoingChannelId);
  if (ev.outgoingAlias) s += ',"outgoing_alias":' + jsonString(ev.outgoingAlias);
  s += ',"outgoing_htlc_id":"' + ev.outgoingHtlcId + '"';

  const info = htlcInfoOf(ev);
  if (info !== undefined) {
    const type = effectiveEventType(ev);
    const inZero = info.incomingAmtMsat === '0' && info.incomingTimelock === 0;
    const outZero = info.outgoingAmtMsat === '0' && info.outgoingTimelock === 0;
    const showIn = !(inZero && type === EVENT_TYPE.SEND);
    const showOut = !(outZero && type === EVENT_TYPE.RECEIVE);
    if (showIn) s += ',"incoming_amt_msat":' + info.incomingAmtMsat;
    if (showOut) s += ',"outgoing_amt_msat":' + info.outgoingAmtMsat;
    if (showIn) s += ',"incoming_timelock":' + info.incomingTimelock;
    if (showOut) s += ',"outgoing_timelock":' + info.outgoingTimelock;
    const fee = forwardFeeMsat(ev, info);
    if (fee !== undefined) s += ',"fee_msat":' + fee;
  }

  switch (ev.event) {
    case 'link_fail':
      s +=
        ',"wire_failure":' +
        failureCodeJson(ev.wireFailure ?? 0) +
        ',"failure_detail":' +
        failureDetailJson(ev.failureDetail ?? 0) +
        ',"failure_string":' +
        jsonString(ev.failureString ?? '');
      break;
    case 'settle':
      if (ev.preimage !== undefined && ev.preimage.length > 0) s += ',"preimage":"' + toHex(ev.preimage) + '"';
      break;
    case 'final_htlc':
      s += ',"settled":' + (ev.settled === true) + ',"offchain":' + (ev.offchain === true);
      break;
  }

  const corr = ev.corr;
  if (corr !== undefined) {
    if (corr.replayed) s += ',"replayed":true';
    else if (corr.durationNs !== undefined) s += ',"duration_ms":' + nsToMsDecimal(corr.durationNs);
  }
  if (ev.node !== undefined) s += ',"node":' + jsonString(ev.node);
  return s + '}';
}
