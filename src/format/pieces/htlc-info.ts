/**
 * Which HtlcInfo and which event_type describe an event's HTLC, taking
 * correlation into account.
 */
import type { HtlcEvent, HtlcInfo } from '../../events/model.js';
import { subtractDecimal } from './decimal-sub.js';
import { EVENT_TYPE } from '../../events/enums.js';

/**
 * The event's own HtlcInfo (forward, link_fail), else the one correlation
 * copied from the HTLC's first event. undefined when neither: a forward or
 * link_fail whose HtlcInfo lnd left unset (`info: null`) has none, even if
 * correlation knows one.
 */
export function htlcInfoOf(ev: HtlcEvent): HtlcInfo | undefined {
  if (ev.info !== undefined) return ev.info ?? undefined;
  return ev.corr?.info;
}

/** The event's own event_type, or for an UNKNOWN one (final_htlc) the HTLC's first event's. */
export function effectiveEventType(ev: HtlcEvent): number {
  if (ev.eventType === 0) {
    const first = ev.corr?.firstEventType;
    if (first !== undefined) return first;
  }
  return ev.eventType;
}

/** A FORWARD by its own or its first event's event_type. */
export function isForward(ev: HtlcEvent): boolean {
  return ev.eventType === EVENT_TYPE.FORWARD || ev.corr?.firstEventType === EVENT_TYPE.FORWARD;
}

/** The fee offered (incoming − outgoing msat) for a FORWARD with both amounts non-zero, else undefined. */
export function forwardFeeMsat(ev: HtlcEvent, info: HtlcInfo | undefined): string | undefined {
  if (info === undefined || !isForward(ev)) return undefined;
  if (info.incomingAmtMsat === '0' || info.outgoingAmtMsat === '0') return undefined;
  return subtractDecimal(info.incomingAmtMsat, info.outgoingAmtMsat);
}
