/**
 * Field numbers of the messages of lnd's `routerrpc.SubscribeHtlcEvents`
 * stream, as protos/routerrpc/router.proto declares them.
 */

/** routerrpc.HtlcEvent; fields 7 to 12 are the members of the oneof `event`. */
export const HtlcEventField = {
  INCOMING_CHANNEL_ID: 1,
  OUTGOING_CHANNEL_ID: 2,
  INCOMING_HTLC_ID: 3,
  OUTGOING_HTLC_ID: 4,
  TIMESTAMP_NS: 5,
  EVENT_TYPE: 6,
  FORWARD_EVENT: 7,
  FORWARD_FAIL_EVENT: 8,
  SETTLE_EVENT: 9,
  LINK_FAIL_EVENT: 10,
  SUBSCRIBED_EVENT: 11,
  FINAL_HTLC_EVENT: 12,
} as const;

/** routerrpc.HtlcInfo */
export const HtlcInfoField = {
  INCOMING_TIMELOCK: 1,
  OUTGOING_TIMELOCK: 2,
  INCOMING_AMT_MSAT: 3,
  OUTGOING_AMT_MSAT: 4,
} as const;

/** routerrpc.ForwardEvent */
export const ForwardEventField = { INFO: 1 } as const;

/** routerrpc.SettleEvent */
export const SettleEventField = { PREIMAGE: 1 } as const;

/** routerrpc.LinkFailEvent */
export const LinkFailEventField = {
  INFO: 1,
  WIRE_FAILURE: 2,
  FAILURE_DETAIL: 3,
  FAILURE_STRING: 4,
} as const;

/** routerrpc.FinalHtlcEvent */
export const FinalHtlcEventField = { SETTLED: 1, OFFCHAIN: 2 } as const;

// routerrpc.ForwardFailEvent and routerrpc.SubscribedEvent have no fields.
