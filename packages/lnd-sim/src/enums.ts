/**
 * lnd's enum values the simulator writes: routerrpc.HtlcEvent.EventType,
 * routerrpc.FailureDetail and lnrpc.Failure.FailureCode, by name and number
 * (lnd's data, as in protos/routerrpc/router.proto and protos/lightning.proto;
 * test/sim/enums.test.ts checks these tables against the protos).
 */

export const EVENT_TYPE = { UNKNOWN: 0, SEND: 1, RECEIVE: 2, FORWARD: 3 } as const;

const EVENT_TYPE_NAMES: readonly string[] = ['UNKNOWN', 'SEND', 'RECEIVE', 'FORWARD'];

const FAILURE_DETAIL_NAMES: readonly string[] = [
  'UNKNOWN',
  'NO_DETAIL',
  'ONION_DECODE',
  'LINK_NOT_ELIGIBLE',
  'ON_CHAIN_TIMEOUT',
  'HTLC_EXCEEDS_MAX',
  'INSUFFICIENT_BALANCE',
  'INCOMPLETE_FORWARD',
  'HTLC_ADD_FAILED',
  'FORWARDS_DISABLED',
  'INVOICE_CANCELED',
  'INVOICE_UNDERPAID',
  'INVOICE_EXPIRY_TOO_SOON',
  'INVOICE_NOT_OPEN',
  'MPP_INVOICE_TIMEOUT',
  'ADDRESS_MISMATCH',
  'SET_TOTAL_MISMATCH',
  'SET_TOTAL_TOO_LOW',
  'SET_OVERPAID',
  'UNKNOWN_INVOICE',
  'INVALID_KEYSEND',
  'MPP_IN_PROGRESS',
  'CIRCULAR_ROUTE',
  'INVOICE_ALREADY_SETTLED',
  'HTLC_INVOICE_TYPE_MISMATCH',
  'AMP_ERROR',
  'AMP_RECONSTRUCTION',
  'EXTERNAL_VALIDATION_FAILED',
];

/** Failure.FailureCode: 0–25 in order, then lnd's three internal codes. */
const FAILURE_CODE_LIST: ReadonlyArray<readonly [number, string]> = [
  ...[
    'RESERVED',
    'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS',
    'INCORRECT_PAYMENT_AMOUNT',
    'FINAL_INCORRECT_CLTV_EXPIRY',
    'FINAL_INCORRECT_HTLC_AMOUNT',
    'FINAL_EXPIRY_TOO_SOON',
    'INVALID_REALM',
    'EXPIRY_TOO_SOON',
    'INVALID_ONION_VERSION',
    'INVALID_ONION_HMAC',
    'INVALID_ONION_KEY',
    'AMOUNT_BELOW_MINIMUM',
    'FEE_INSUFFICIENT',
    'INCORRECT_CLTV_EXPIRY',
    'CHANNEL_DISABLED',
    'TEMPORARY_CHANNEL_FAILURE',
    'REQUIRED_NODE_FEATURE_MISSING',
    'REQUIRED_CHANNEL_FEATURE_MISSING',
    'UNKNOWN_NEXT_PEER',
    'TEMPORARY_NODE_FAILURE',
    'PERMANENT_NODE_FAILURE',
    'PERMANENT_CHANNEL_FAILURE',
    'EXPIRY_TOO_FAR',
    'MPP_TIMEOUT',
    'INVALID_ONION_PAYLOAD',
    'INVALID_ONION_BLINDING',
  ].map((name, n) => [n, name] as const),
  [997, 'INTERNAL_FAILURE'],
  [998, 'UNKNOWN_FAILURE'],
  [999, 'UNREADABLE_FAILURE'],
];

const FAILURE_CODE_NAMES: ReadonlyMap<number, string> = new Map(FAILURE_CODE_LIST);

function byName(entries: Iterable<readonly [number, string]>): ReadonlyMap<string, number> {
  return new Map([...entries].map(([n, name]) => [name, n] as const));
}

/** Numbers by name (scenario files may name enum values). */
export const EVENT_TYPE_NUMBERS = byName(EVENT_TYPE_NAMES.map((name, n) => [n, name] as const));
export const FAILURE_DETAIL_NUMBERS = byName(FAILURE_DETAIL_NAMES.map((name, n) => [n, name] as const));
export const FAILURE_CODE_NUMBERS = byName(FAILURE_CODE_LIST);

/** lnd's name for a value, or undefined for a number lnd does not name (REST then writes the number). */
export const eventTypeName = (n: number): string | undefined => EVENT_TYPE_NAMES[n];
export const failureDetailName = (n: number): string | undefined => FAILURE_DETAIL_NAMES[n];
export const failureCodeName = (n: number): string | undefined => FAILURE_CODE_NAMES.get(n);
