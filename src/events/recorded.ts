/**
 * The correlation of an event read back from htlc-tail's jsonl (replay): what
 * the capture recorded wins over what correlation computes from the capture,
 * so `replay -f jsonl` reproduces a capture line for line even when it was
 * filtered or started mid-stream (README, "replay").
 *
 * - amounts (`info`): as recorded for a settle, forward_fail or final_htlc
 *   (none recorded: none); a forward or link_fail has its own HtlcInfo.
 * - `durationNs` and `replayed`: as recorded (absent: absent).
 * - the HTLC's type (`firstEventType`): as recorded when the line tells it
 *   (fee_msat: a forward; the event's own type; which amounts were left out),
 *   else the computed one when it agrees with the amounts shown, else none.
 */
import type { Mutable } from '../util/mutable.js';
import { EVENT_TYPE } from './enums.js';
import type { Correlation, HtlcEvent, HtlcInfo, RecordedCorrelation } from './model.js';

/** Whether a type would show the amounts the line showed (jsonl hides a zero SEND incoming / RECEIVE outgoing side, and writes a fee for a forward with both amounts). */
function agrees(type: number, info: HtlcInfo | undefined): boolean {
  if (info === undefined) return true;
  const inZero = info.incomingAmtMsat === '0' && info.incomingTimelock === 0;
  const outZero = info.outgoingAmtMsat === '0' && info.outgoingTimelock === 0;
  if (type === EVENT_TYPE.FORWARD) return info.incomingAmtMsat === '0' || info.outgoingAmtMsat === '0';
  if (type === EVENT_TYPE.SEND) return !inZero;
  if (type === EVENT_TYPE.RECEIVE) return !outZero;
  return true;
}

export function withRecorded(ev: HtlcEvent, computed: Correlation | undefined, rec: RecordedCorrelation): Correlation {
  const ownInfo = ev.event === 'forward' || ev.event === 'link_fail';
  const info = ownInfo ? (computed?.info ?? undefined) : rec.info;
  let firstEventType = rec.firstEventType;
  if (firstEventType === undefined) {
    const c = computed?.firstEventType;
    if (c !== undefined && agrees(c, ownInfo ? (ev.info ?? undefined) : rec.info)) firstEventType = c;
  }
  const corr: Mutable<Correlation> = {};
  if (info !== undefined) corr.info = info;
  if (firstEventType !== undefined) corr.firstEventType = firstEventType;
  if (rec.durationNs !== undefined) corr.durationNs = rec.durationNs;
  if (rec.replayed) corr.replayed = true;
  return corr;
}
