/**
 * `--format csv` (SPEC "More filters and formats"): RFC 4180, a header with
 * all 29 columns, then one record per event or gap. A cell holds exactly what
 * the jsonl key of the same name holds (strings unquoted, numbers with their
 * exact digits, booleans `true`/`false`); a key that does not apply to the
 * item is an empty cell. Records end with CRLF. Pure.
 */
import type { GapMarker, HtlcEvent, OutputItem } from '../events/model.js';
import { EVENT_TYPE, EVENT_TYPE_NAMES, FAILURE_CODE_NAMES, FAILURE_DETAIL_NAMES } from '../events/enums.js';
import type { FormatContext } from './types.js';
import { rfc3339FromNs } from './pieces/rfc3339-ns.js';
import { rfc3339FromMs } from './pieces/rfc3339-ms.js';
import { scidOf } from './pieces/scid.js';
import { effectiveEventType, forwardFeeMsat, htlcInfoOf } from './pieces/htlc-info.js';
import { nsToMsDecimal } from './pieces/ns-to-ms.js';
import { toHex } from './pieces/hex.js';
import { csvField, CSV_RECORD_END } from './pieces/csv-field.js';

export const CSV_COLUMNS = [
  'event',
  'event_type',
  'time',
  'timestamp_ns',
  'incoming_channel_id',
  'outgoing_channel_id',
  'incoming_htlc_id',
  'outgoing_htlc_id',
  'incoming_scid',
  'outgoing_scid',
  'incoming_alias',
  'outgoing_alias',
  'incoming_amt_msat',
  'outgoing_amt_msat',
  'incoming_timelock',
  'outgoing_timelock',
  'fee_msat',
  'wire_failure',
  'failure_detail',
  'failure_string',
  'preimage',
  'settled',
  'offchain',
  'duration_ms',
  'replayed',
  'node',
  'from',
  'to',
  'reason',
] as const;

const HEADER = CSV_COLUMNS.join(',') + CSV_RECORD_END;
/** Cells of an event before `node`, and after it: from, to, reason. */
const EVENT_CELLS = CSV_COLUMNS.indexOf('node');

export function csvHeader(_ctx?: FormatContext): string {
  return HEADER;
}

/** The `node` an item carries when several nodes are tailed. */
function nodeOf(item: OutputItem): string {
  return item.node === undefined ? '' : csvField(item.node);
}

const enumName = (n: number, names: (n: number) => string | undefined): string => names(n) ?? String(n);

function gapRecord(gap: GapMarker): string {
  const cells = new Array<string>(CSV_COLUMNS.length).fill('');
  cells[0] = 'gap';
  cells[EVENT_CELLS] = nodeOf(gap);
  cells[EVENT_CELLS + 1] = rfc3339FromMs(gap.fromMs) ?? '';
  cells[EVENT_CELLS + 2] = rfc3339FromMs(gap.toMs) ?? '';
  cells[EVENT_CELLS + 3] = csvField(gap.reason);
  return cells.join(',');
}

function eventRecord(ev: HtlcEvent): string {
  const info = htlcInfoOf(ev);
  let inAmt = '';
  let outAmt = '';
  let inLock = '';
  let outLock = '';
  let fee = '';
  if (info !== undefined) {
    const type = effectiveEventType(ev);
    const showIn = !(info.incomingAmtMsat === '0' && info.incomingTimelock === 0 && type === EVENT_TYPE.SEND);
    const showOut = !(info.outgoingAmtMsat === '0' && info.outgoingTimelock === 0 && type === EVENT_TYPE.RECEIVE);
    if (showIn) {
      inAmt = info.incomingAmtMsat;
      inLock = String(info.incomingTimelock);
    }
    if (showOut) {
      outAmt = info.outgoingAmtMsat;
      outLock = String(info.outgoingTimelock);
    }
    fee = forwardFeeMsat(ev, info) ?? '';
  }
  const fail = ev.event === 'link_fail';
  const corr = ev.corr;
  const cells = [
    ev.event,
    enumName(ev.eventType, (n) => EVENT_TYPE_NAMES[n]),
    rfc3339FromNs(ev.timestampNs) ?? '',
    ev.timestampNs,
    ev.incomingChannelId,
    ev.outgoingChannelId,
    ev.incomingHtlcId,
    ev.outgoingHtlcId,
    ev.incomingChannelId === '0' ? '' : scidOf(ev.incomingChannelId),
    ev.outgoingChannelId === '0' ? '' : scidOf(ev.outgoingChannelId),
    ev.incomingAlias ? csvField(ev.incomingAlias) : '',
    ev.outgoingAlias ? csvField(ev.outgoingAlias) : '',
    inAmt,
    outAmt,
    inLock,
    outLock,
    fee,
    fail ? enumName(ev.wireFailure ?? 0, (n) => FAILURE_CODE_NAMES.get(n)) : '',
    fail ? enumName(ev.failureDetail ?? 0, (n) => FAILURE_DETAIL_NAMES[n]) : '',
    fail ? csvField(ev.failureString ?? '') : '',
    ev.event === 'settle' && ev.preimage !== undefined && ev.preimage.length > 0 ? toHex(ev.preimage) : '',
    ev.event === 'final_htlc' ? String(ev.settled === true) : '',
    ev.event === 'final_htlc' ? String(ev.offchain === true) : '',
    corr !== undefined && !corr.replayed && corr.durationNs !== undefined ? nsToMsDecimal(corr.durationNs) : '',
    corr?.replayed ? 'true' : '',
    nodeOf(ev),
    '',
    '',
    '',
  ];
  return cells.join(',');
}

export function formatCsv(item: OutputItem, _ctx?: FormatContext): string {
  return (item.event === 'gap' ? gapRecord(item) : eventRecord(item)) + CSV_RECORD_END;
}
