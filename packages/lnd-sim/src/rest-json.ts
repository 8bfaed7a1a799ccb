/**
 * lnd's REST encoding of the simulator's events, written independently of the
 * client's formatters: grpc-gateway's JSONPb marshaler with protojson
 * (UseProtoNames, EmitUnpopulated), each stream message wrapped as
 * `{"result": ...}` and passed through Go's encoding/json, which compacts it
 * and escapes `<`, `>`, `&`, U+2028 and U+2029. So: proto field names in
 * field-number order, uint64 as decimal strings, uint32 as numbers, enums as
 * names (a number when the name is unknown), bytes as standard base64 with
 * padding, every scalar present, an unset message as null, and only the oneof
 * member that is set.
 */
import { eventTypeName, failureCodeName, failureDetailName } from './enums.js';
import type { WireHtlcEvent, WireHtlcInfo } from './wire-event.js';

/** A JSON string as Go's encoding/json writes it (HTML-safe). */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function enumJson(n: number, name: (n: number) => string | undefined): string {
  const s = name(n);
  return s === undefined ? String(n) : `"${s}"`;
}

function infoJson(i: WireHtlcInfo | null): string {
  if (i === null) return 'null';
  return (
    `{"incoming_timelock":${i.incomingTimelock},"outgoing_timelock":${i.outgoingTimelock},` +
    `"incoming_amt_msat":"${i.incomingAmtMsat}","outgoing_amt_msat":"${i.outgoingAmtMsat}"}`
  );
}

/** The HtlcEvent as protojson (what lnd puts under "result"). */
export function htlcEventJson(e: WireHtlcEvent): string {
  let s =
    `{"incoming_channel_id":"${e.incomingChannelId}","outgoing_channel_id":"${e.outgoingChannelId}",` +
    `"incoming_htlc_id":"${e.incomingHtlcId}","outgoing_htlc_id":"${e.outgoingHtlcId}",` +
    `"timestamp_ns":"${e.timestampNs}","event_type":${enumJson(e.eventType, eventTypeName)}`;
  const m = e.member;
  switch (m.kind) {
    case 'forward':
      s += `,"forward_event":{"info":${infoJson(m.info)}}`;
      break;
    case 'forward_fail':
      s += ',"forward_fail_event":{}';
      break;
    case 'settle':
      s += `,"settle_event":{"preimage":"${Buffer.from(m.preimage).toString('base64')}"}`;
      break;
    case 'link_fail':
      s +=
        `,"link_fail_event":{"info":${infoJson(m.info)},"wire_failure":${enumJson(m.wireFailure, failureCodeName)},` +
        `"failure_detail":${enumJson(m.failureDetail, failureDetailName)},"failure_string":${goJsonString(m.failureString)}}`;
      break;
    case 'subscribed':
      s += ',"subscribed_event":{}';
      break;
    case 'final_htlc':
      s += `,"final_htlc_event":{"settled":${m.settled},"offchain":${m.offchain}}`;
      break;
    case 'none':
      break;
  }
  return s + '}';
}

/** One line of the REST stream for an event (without the newline). */
export function resultLine(e: WireHtlcEvent): string {
  return `{"result":${htlcEventJson(e)}}`;
}

/** One line of the REST stream for an error after the stream started (grpc-gateway's error chunk). */
export function errorLine(code: number, message: string): string {
  return `{"error":{"code":${code},"message":${goJsonString(message)},"details":[]}}`;
}

/**
 * The body of an HTTP error (a call refused before the stream started):
 * protojson of the status, with the extra space protojson's single-line
 * output puts after commas in some builds.
 */
export function errorBody(code: number, message: string): string {
  return `{"code":${code}, "message":${goJsonString(message)}, "details":[]}`;
}

/** grpc-gateway's HTTPStatusFromCode. */
export function httpStatusFromCode(code: number): number {
  switch (code) {
    case 0:
      return 200;
    case 1:
      return 499;
    case 2:
      return 500;
    case 3:
      return 400;
    case 4:
      return 504;
    case 5:
      return 404;
    case 6:
      return 409;
    case 7:
      return 403;
    case 8:
      return 429;
    case 9:
      return 400;
    case 10:
      return 409;
    case 11:
      return 400;
    case 12:
      return 501;
    case 13:
      return 500;
    case 14:
      return 503;
    case 15:
      return 500;
    case 16:
      return 401;
    default:
      return 500;
  }
}
