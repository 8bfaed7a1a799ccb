/**
 * Plain-words explanations of lnd's failure codes for operators, used by the
 * pretty and table formats. A link_fail carries two codes: `wire_failure`, the
 * BOLT 4 failure this node sends back towards the sender, and
 * `failure_detail`, lnd's own reason. The detail is usually the more precise
 * one; the wire code explains when lnd gives no detail.
 */
import { EVENT_TYPE, failureCodeName, failureDetailName } from '../events/enums.js';

/** routerrpc.FailureDetail → what happened, from the point of view of this node. */
const FAILURE_DETAIL_TEXT: Readonly<Record<string, string>> = {
  UNKNOWN: 'lnd gave no failure detail',
  NO_DETAIL: 'lnd gave no failure detail',
  ONION_DECODE: 'the onion could not be decoded (corrupt, or not built for this node)',
  LINK_NOT_ELIGIBLE: 'the outgoing channel cannot forward right now (not yet ready, closing, or its peer is offline)',
  ON_CHAIN_TIMEOUT: 'the HTLC timed out on chain (its channel was force-closed)',
  HTLC_EXCEEDS_MAX: "the amount is above the outgoing channel's maximum HTLC size (max_htlc)",
  INSUFFICIENT_BALANCE: 'not enough outbound liquidity on the outgoing channel',
  INCOMPLETE_FORWARD: 'the forward was left incomplete (lnd restarted while it was in flight) and was failed back',
  HTLC_ADD_FAILED: 'the HTLC could not be added to the outgoing channel',
  FORWARDS_DISABLED: 'this node is not forwarding HTLCs at the moment (forwarding disabled, or lnd is shutting down)',
  INVOICE_CANCELED: 'the invoice was canceled',
  INVOICE_UNDERPAID: 'the payment is less than the invoice amount',
  INVOICE_EXPIRY_TOO_SOON: "the HTLC expires too soon for the invoice's final CLTV delta",
  INVOICE_NOT_OPEN: 'the invoice is not open for payment (already settled, canceled or accepted)',
  MPP_INVOICE_TIMEOUT: 'the multi-part payment timed out before all its parts arrived',
  ADDRESS_MISMATCH: "the payment secret does not match the invoice's",
  SET_TOTAL_MISMATCH: 'the parts of the multi-part payment disagree about its total amount',
  SET_TOTAL_TOO_LOW: "the multi-part payment's total is less than the invoice amount",
  SET_OVERPAID: 'the parts of the multi-part payment add up to more than its stated total',
  UNKNOWN_INVOICE: 'no invoice for this payment hash on this node',
  INVALID_KEYSEND: 'invalid keysend payment (the preimage in the onion does not match the payment hash)',
  MPP_IN_PROGRESS: 'a multi-part payment to this invoice is already in progress and this HTLC does not fit it',
  CIRCULAR_ROUTE: 'the route leaves on the channel it came in on (circular route refused)',
  INVOICE_ALREADY_SETTLED: 'the invoice has already been paid',
  HTLC_INVOICE_TYPE_MISMATCH:
    "the payment does not match the invoice's type (e.g. an AMP payment to a non-AMP invoice)",
  AMP_ERROR: 'the AMP payment is invalid',
  AMP_RECONSTRUCTION: "the AMP payment's preimage could not be reconstructed from its parts",
  EXTERNAL_VALIDATION_FAILED: 'refused by an external validator (an HTLC interceptor or invoice HTLC modifier)',
};

/** lnrpc.Failure.FailureCode (BOLT 4) → what it tells the sender. */
const FAILURE_CODE_TEXT: Readonly<Record<string, string>> = {
  RESERVED: 'no failure code',
  INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS:
    'the recipient does not accept this payment (unknown payment hash, wrong amount or wrong payment secret)',
  INCORRECT_PAYMENT_AMOUNT: 'the amount is not what the recipient expects',
  FINAL_INCORRECT_CLTV_EXPIRY: "the HTLC's expiry does not match what the onion told the recipient",
  FINAL_INCORRECT_HTLC_AMOUNT: 'the recipient got a different amount than the onion says',
  FINAL_EXPIRY_TOO_SOON: 'the HTLC expires too soon for the recipient',
  INVALID_REALM: 'the onion uses a realm this node does not understand',
  EXPIRY_TOO_SOON: "the HTLC expires too soon to be forwarded safely (the sender's view of the chain may be behind)",
  INVALID_ONION_VERSION: 'the onion has an unknown version',
  INVALID_ONION_HMAC: "the onion's HMAC does not check out (corrupt, or not built for this node)",
  INVALID_ONION_KEY: "the onion's ephemeral key is invalid",
  AMOUNT_BELOW_MINIMUM: "the amount is below the outgoing channel's minimum HTLC",
  FEE_INSUFFICIENT: "the fee offered is below this channel's fee policy (the sender may have an old channel update)",
  INCORRECT_CLTV_EXPIRY: "the expiry delta does not match this channel's policy",
  CHANNEL_DISABLED: 'the outgoing channel is disabled (its peer is offline or the channel is closing)',
  TEMPORARY_CHANNEL_FAILURE: 'the outgoing channel cannot take the HTLC right now (most often: not enough liquidity)',
  REQUIRED_NODE_FEATURE_MISSING: 'the payment needs a node feature that is missing',
  REQUIRED_CHANNEL_FEATURE_MISSING: 'the payment needs a channel feature that is missing',
  UNKNOWN_NEXT_PEER:
    'the next channel of the route is unknown here (closed, never existed, or a wrong short channel id)',
  TEMPORARY_NODE_FAILURE: 'a temporary failure of the node',
  PERMANENT_NODE_FAILURE: 'a permanent failure of the node',
  PERMANENT_CHANNEL_FAILURE: 'a permanent failure of the outgoing channel',
  EXPIRY_TOO_FAR: "the HTLC's expiry is too far in the future",
  MPP_TIMEOUT: 'the multi-part payment timed out before all its parts arrived',
  INVALID_ONION_PAYLOAD: 'the onion payload is malformed or lacks a required field',
  INVALID_ONION_BLINDING: 'a blinded route failed (the details are hidden by design)',
  INTERNAL_FAILURE: 'an internal error in lnd',
  UNKNOWN_FAILURE: 'the failure could not be classified',
  UNREADABLE_FAILURE: 'the failure message could not be read',
};

/** The explanation of a FailureDetail, or undefined for a number this tool does not know. */
export function explainFailureDetail(detail: number): string | undefined {
  const name = failureDetailName(detail);
  return name === undefined ? undefined : FAILURE_DETAIL_TEXT[name];
}

/** The explanation of a wire FailureCode, or undefined for a number this tool does not know. */
export function explainFailureCode(code: number): string | undefined {
  const name = failureCodeName(code);
  return name === undefined ? undefined : FAILURE_CODE_TEXT[name];
}

/**
 * One explanation for a link_fail: the detail's when it says something (not
 * UNKNOWN or NO_DETAIL), else the wire code's; numbers this tool does not know
 * are named as such.
 */
export function explainLinkFail(wireFailure: number, failureDetail: number): string {
  const detailText = explainFailureDetail(failureDetail);
  if (failureDetail > 1 && detailText !== undefined) return detailText;
  const wireText = wireFailure !== 0 ? explainFailureCode(wireFailure) : undefined;
  const detailUnknown = detailText === undefined;
  const wireUnknown = explainFailureCode(wireFailure) === undefined;
  if (wireText !== undefined) {
    return detailUnknown
      ? `${wireText} (failure detail ${failureDetail} is unknown to this version of htlc-tail)`
      : wireText;
  }
  if (detailUnknown || wireUnknown) {
    const what = [
      wireUnknown ? `failure code ${wireFailure}` : '',
      detailUnknown ? `failure detail ${failureDetail}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    return `${what} unknown to this version of htlc-tail (a newer lnd?)`;
  }
  return 'failed at this node; lnd gave no reason';
}

/** The explanation of a forward_fail (lnd sends no codes with it). */
export function explainForwardFail(eventType: number): string {
  if (eventType === EVENT_TYPE.SEND) return 'an error came back from the route of this payment attempt';
  return 'an error came back from further along the route';
}
