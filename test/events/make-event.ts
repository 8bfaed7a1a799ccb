/**
 * Test builders for the event model (formatters, decode-json). Defaults: a
 * FORWARD `forward` event between two real-looking channels, with HtlcInfo.
 * (test/events/builders.ts is the filters' builder; this one is separate.)
 */
import type { HtlcEvent, HtlcInfo } from '../../src/events/model.js';

export const CHAN_IN = '913047649969438721'; // 830412x1903x1
export const CHAN_OUT = '913146605892009984'; // 830502x12x0
/** 2023-11-14T22:13:20.123456789Z */
export const TS = '1700000000123456789';

export function makeHtlcInfo(overrides: Partial<HtlcInfo> = {}): HtlcInfo {
  return {
    incomingTimelock: 830600,
    outgoingTimelock: 830560,
    incomingAmtMsat: '1251750',
    outgoingAmtMsat: '1250500',
    ...overrides,
  };
}

export function makeEvent(overrides: Partial<HtlcEvent> = {}): HtlcEvent {
  const base: HtlcEvent = {
    event: 'forward',
    eventType: 3,
    timestampNs: TS,
    incomingChannelId: CHAN_IN,
    outgoingChannelId: CHAN_OUT,
    incomingHtlcId: '42',
    outgoingHtlcId: '7',
  };
  const ev: HtlcEvent = { ...base, ...overrides };
  // Give a forward/link_fail an HtlcInfo unless the caller chose one (null included).
  if ((ev.event === 'forward' || ev.event === 'link_fail') && !('info' in overrides)) {
    return { ...ev, info: makeHtlcInfo() };
  }
  return ev;
}

/** The raw-line (lnd protojson) spelling of makeEvent()'s ids and time, and of makeHtlcInfo(). */
export const RAW_HEAD = {
  incoming_channel_id: CHAN_IN,
  outgoing_channel_id: CHAN_OUT,
  incoming_htlc_id: '42',
  outgoing_htlc_id: '7',
  timestamp_ns: TS,
};
export const RAW_INFO = { incoming_timelock: 830600, outgoing_timelock: 830560, incoming_amt_msat: '1251750', outgoing_amt_msat: '1250500' };
