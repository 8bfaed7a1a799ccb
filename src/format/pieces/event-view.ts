/**
 * What pretty and table show for an event, as plain (unsanitized parts are
 * sanitized here, uncoloured) texts, so the two formats say the same things.
 */
import type { HtlcEvent } from '../../events/model.js';
import { explainForwardFail, explainLinkFail } from '../explain.js';
import { sanitize } from '../sanitize.js';
import { channelLabel, type ChannelLabel } from './channel-label.js';
import { eventClock, type ClockStyle } from './clock.js';
import { eventTypeLabel, failureCodeLabel, failureDetailLabel } from './enum-label.js';
import { firstLine } from './first-line.js';
import { effectiveEventType, forwardFeeMsat, htlcInfoOf } from './htlc-info.js';
import { EVENT_TYPE } from '../../events/enums.js';

export type Tone = 'ok' | 'fail' | 'info' | 'warn';

export interface EventView {
  readonly time: string;
  /** The effective event_type (final_htlc: its HTLC's first event's). */
  readonly type: number;
  readonly typeLabel: string;
  readonly kind: HtlcEvent['event'];
  readonly in: ChannelLabel;
  /** undefined when the event has no outgoing side to show (final_htlc, subscribed). */
  readonly out: ChannelLabel | undefined;
  /** The amount that describes the HTLC: outgoing for SEND and FORWARD, incoming for RECEIVE (the other when 0). */
  readonly amountMsat: string | undefined;
  readonly feeMsat: string | undefined;
  /** undefined for replays (SPEC: no duration for a replayed event). */
  readonly durationNs: string | undefined;
  readonly outcome: string | undefined;
  readonly tone: Tone;
  /** link_fail: "WIRE/DETAIL" (names, or #N). */
  readonly codes: string | undefined;
  readonly explanation: string | undefined;
  /** link_fail: the first line of lnd's failure_string, sanitized; undefined when empty. */
  readonly lndText: string | undefined;
  readonly replayed: boolean;
}

export function eventView(ev: HtlcEvent, utc: boolean, nowMs: number, style: ClockStyle): EventView {
  const type = effectiveEventType(ev);
  const info = htlcInfoOf(ev);
  let amountMsat: string | undefined;
  if (info !== undefined) {
    const [first, second] =
      type === EVENT_TYPE.RECEIVE
        ? [info.incomingAmtMsat, info.outgoingAmtMsat]
        : [info.outgoingAmtMsat, info.incomingAmtMsat];
    amountMsat = first !== '0' ? first : second !== '0' ? second : undefined;
  }
  let outcome: string | undefined;
  let tone: Tone = 'info';
  let codes: string | undefined;
  let explanation: string | undefined;
  let lndText: string | undefined;
  switch (ev.event) {
    case 'forward':
      break;
    case 'settle':
      outcome = 'settled';
      tone = 'ok';
      break;
    case 'forward_fail':
      outcome = 'failed';
      tone = 'fail';
      explanation = explainForwardFail(type);
      break;
    case 'link_fail': {
      const wire = ev.wireFailure ?? 0;
      const detail = ev.failureDetail ?? 0;
      outcome = 'failed';
      tone = 'fail';
      codes = failureCodeLabel(wire) + '/' + failureDetailLabel(detail);
      explanation = explainLinkFail(wire, detail);
      const line = sanitize(firstLine(ev.failureString ?? ''));
      lndText = line === '' ? undefined : line;
      break;
    }
    case 'final_htlc':
      outcome = (ev.settled ? 'settled' : 'failed') + (ev.offchain === false ? ' on chain' : '');
      tone = ev.settled ? 'ok' : 'fail';
      break;
    case 'subscribed':
      outcome = "subscribed to lnd's HTLC events";
      break;
    case 'unknown':
      outcome = 'an event of a kind this version of htlc-tail does not know';
      tone = 'warn';
      break;
  }
  const replayed = ev.corr?.replayed === true;
  const noOut = ev.event === 'final_htlc' || ev.event === 'subscribed';
  return {
    time: eventClock(ev.timestampNs, utc, nowMs, style),
    type,
    typeLabel: eventTypeLabel(type),
    kind: ev.event,
    in: channelLabel(ev.incomingChannelId, ev.incomingAlias, type === EVENT_TYPE.SEND),
    out: noOut ? undefined : channelLabel(ev.outgoingChannelId, ev.outgoingAlias, type === EVENT_TYPE.RECEIVE),
    amountMsat,
    feeMsat: forwardFeeMsat(ev, info),
    durationNs: replayed ? undefined : ev.corr?.durationNs,
    outcome,
    tone,
    codes,
    explanation,
    lndText,
    replayed,
  };
}
