/**
 * Builders for the filter tests: `makeEvent(overrides)` gives a FORWARD
 * `forward` event with HtlcInfo between channels IN and OUT; the helpers give
 * the other kinds with the fields lnd sets for them.
 */
import type { GapMarker, HtlcEvent, HtlcInfo } from '../../src/events/model.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type EventOverrides = Partial<Mutable<HtlcEvent>>;

/** 830412x1903x1 */
export const IN = '913047649969438721';
/** 830502x12x0 */
export const OUT = '913146605892009984';
/** A third channel, 800000x1x0 */
export const OTHER = '879609302286336000';

export function info(incomingAmtMsat: string, outgoingAmtMsat: string): HtlcInfo {
  return { incomingTimelock: 830600, outgoingTimelock: 830560, incomingAmtMsat, outgoingAmtMsat };
}

export function makeEvent(overrides: EventOverrides = {}): HtlcEvent {
  const ev: HtlcEvent = {
    event: 'forward',
    eventType: 3,
    timestampNs: '1700000000123456789',
    incomingChannelId: IN,
    outgoingChannelId: OUT,
    incomingHtlcId: '42',
    outgoingHtlcId: '7',
    ...overrides,
  };
  if ((ev.event === 'forward' || ev.event === 'link_fail') && !('info' in overrides)) {
    return { ...ev, info: info('1001000', '1000000') };
  }
  return ev;
}

export const forward = (o: EventOverrides = {}) => makeEvent({ event: 'forward', ...o });
export const settle = (o: EventOverrides = {}) => makeEvent({ event: 'settle', preimage: new Uint8Array(32), ...o });
export const forwardFail = (o: EventOverrides = {}) => makeEvent({ event: 'forward_fail', ...o });
export const linkFail = (o: EventOverrides = {}) =>
  makeEvent({ event: 'link_fail', wireFailure: 15, failureDetail: 6, failureString: 'insufficient bandwidth to route htlc', ...o });
/** final_htlc: only the incoming side set, event_type UNKNOWN. */
export const finalHtlc = (settled: boolean, o: EventOverrides = {}) =>
  makeEvent({ event: 'final_htlc', eventType: 0, outgoingChannelId: '0', outgoingHtlcId: '0', settled, offchain: true, ...o });
export const subscribed = () =>
  makeEvent({ event: 'subscribed', eventType: 0, timestampNs: '0', incomingChannelId: '0', outgoingChannelId: '0', incomingHtlcId: '0', outgoingHtlcId: '0' });
export const unknownKind = (o: EventOverrides = {}) => makeEvent({ event: 'unknown', eventType: 0, ...o });
export const gap = (): GapMarker => ({ event: 'gap', fromMs: 1, toMs: 2, reason: 'stream lost' });
