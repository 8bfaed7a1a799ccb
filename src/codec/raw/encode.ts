/**
 * An HtlcEvent as lnd's REST gateway encodes it (the JSON value it puts under
 * "result"; what `--format raw` writes): protojson with proto field names and
 * unpopulated fields emitted, fields in field-number order, uint64 as decimal
 * strings, uint32 as numbers, enums as names (the number when unknown), bytes
 * as standard base64 with padding, an unset HtlcInfo as null, and only the
 * oneof member that is set (none for `unknown`). Correlation results and
 * aliases are not part of lnd's message and never appear here.
 *
 * Strings from the node (failure_string) are JSON-escaped with U+2028,
 * U+2029 and U+0085 escaped too (json-string.ts), so a line is one line for
 * any line splitter. decode.ts reads it back; fast-line.ts reads exactly this
 * layout fast.
 */
import type { HtlcEvent, HtlcInfo } from '../../events/model.js';
import { toBase64 } from '../json/base64.js';
import { eventTypeJson, failureCodeJson, failureDetailJson } from '../json/enum-json.js';
import { jsonString } from '../json/json-string.js';

function infoJson(info: HtlcInfo | null | undefined): string {
  if (info == null) return 'null';
  return (
    '{"incoming_timelock":' +
    info.incomingTimelock +
    ',"outgoing_timelock":' +
    info.outgoingTimelock +
    ',"incoming_amt_msat":"' +
    info.incomingAmtMsat +
    '","outgoing_amt_msat":"' +
    info.outgoingAmtMsat +
    '"}'
  );
}

/** One raw line (without its newline). */
export function encodeRawEvent(ev: HtlcEvent): string {
  let s =
    '{"incoming_channel_id":"' +
    ev.incomingChannelId +
    '","outgoing_channel_id":"' +
    ev.outgoingChannelId +
    '","incoming_htlc_id":"' +
    ev.incomingHtlcId +
    '","outgoing_htlc_id":"' +
    ev.outgoingHtlcId +
    '","timestamp_ns":"' +
    ev.timestampNs +
    '","event_type":' +
    eventTypeJson(ev.eventType);
  switch (ev.event) {
    case 'forward':
      s += ',"forward_event":{"info":' + infoJson(ev.info) + '}';
      break;
    case 'forward_fail':
      s += ',"forward_fail_event":{}';
      break;
    case 'settle':
      s += ',"settle_event":{"preimage":"' + (ev.preimage ? toBase64(ev.preimage) : '') + '"}';
      break;
    case 'link_fail':
      s +=
        ',"link_fail_event":{"info":' +
        infoJson(ev.info) +
        ',"wire_failure":' +
        failureCodeJson(ev.wireFailure ?? 0) +
        ',"failure_detail":' +
        failureDetailJson(ev.failureDetail ?? 0) +
        ',"failure_string":' +
        jsonString(ev.failureString ?? '') +
        '}';
      break;
    case 'subscribed':
      s += ',"subscribed_event":{}';
      break;
    case 'final_htlc':
      s += ',"final_htlc_event":{"settled":' + (ev.settled === true) + ',"offchain":' + (ev.offchain === true) + '}';
      break;
    case 'unknown':
      break;
  }
  return s + '}';
}
