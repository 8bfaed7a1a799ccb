/**
 * `--format jsonl`: one JSON object per line, SPEC "JSON lines schema version 1".
 *
 * Built by string concatenation in the schema's key order. Everything written
 * unquoted or between quotes without escaping is produced by this program
 * (decimal strings of the model, enum names, RFC 3339 times, scids, hex);
 * strings that come from the node (aliases, failure_string) are JSON-escaped
 * (pieces/json-string.ts). 64-bit quantities are written with the digits of their
 * decimal strings, so they are exact even above 2^53.
 *
 * A SEND's incoming side and a RECEIVE's outgoing side are left out of the
 * amounts and timelocks when both are 0 (lnd fills only the side that exists).
 */
import type { HtlcEvent, OutputItem } from '../events/model.js';
import type { FormatContext } from './types.js';
import { rfc3339FromNs } from './pieces/rfc3339-ns.js';
import { scidOf } from './pieces/scid.js';
import { eventTypeJson, failureCodeJson, failureDetailJson } from './pieces/enum-json.js';
import { effectiveEventType, forwardFeeMsat, htlcInfoOf } from './pieces/htlc-info.js';
import { nsToMsDecimal } from './pieces/ns-to-ms.js';
import { toHex } from './pieces/hex.js';
import { jsonString } from './pieces/json-string.js';
import { gapJson } from './pieces/gap-json.js';

export function formatJsonl(item: OutputItem, _ctx?: FormatContext): string {
  if (item.event === 'gap') return gapJson(item);
  return jsonlEvent(item);
}

export function jsonlEvent(ev: HtlcEvent): string {
  const time = rfc3339FromNs(ev.timestampNs);
  let s =
    '{"event":"' +
    ev.event +
    '","event_type":' +
    eventTypeJson(ev.eventType) +
    ',"time":' +
    (time === null ? 'null' : '"' + time + '"') +
    ',"timestamp_ns":"' +
    ev.timestampNs +
    '","incoming_channel_id":"' +
    ev.incomingChannelId +
    '"';
  if (ev.incomingChannelId !== '0') s += ',"incoming_scid":"' + scidOf(ev.incomingChannelId) + '"';
  if (ev.incomingAlias) s += ',"incoming_alias":' + jsonString(ev.incomingAlias);
  s += ',"incoming_htlc_id":"' + ev.incomingHtlcId + '","outgoing_channel_id":"' + ev.outgoingChannelId + '"';
  if (ev.outgoingChannelId !== '0') s += ',"outgoing_scid":"' + scidOf(ev.outgoingChannelId) + '"';
  if (ev.outgoingAlias) s += ',"outgoing_alias":' + jsonString(ev.outgoingAlias);
  s += ',"outgoing_htlc_id":"' + ev.outgoingHtlcId + '"';

  const info = htlcInfoOf(ev);
  if (info !== undefined) {
    const type = effectiveEventType(ev);
    const inZero = info.incomingAmtMsat === '0' && info.incomingTimelock === 0;
    const outZero = info.outgoingAmtMsat === '0' && info.outgoingTimelock === 0;
    const showIn = !(inZero && type === 1);
    const showOut = !(outZero && type === 2);
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
  return s + '}';
}
