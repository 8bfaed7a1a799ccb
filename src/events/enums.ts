/** lnd's enum names by number. An unknown number is shown as the number itself. */

export const EVENT_TYPE_NAMES: readonly string[] = ['UNKNOWN', 'SEND', 'RECEIVE', 'FORWARD'];

export const FAILURE_DETAIL_NAMES: readonly string[] = [
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

const FAILURE_CODE_LIST: ReadonlyArray<readonly [number, string]> = [
  [0, 'RESERVED'],
  [1, 'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS'],
  [2, 'INCORRECT_PAYMENT_AMOUNT'],
  [3, 'FINAL_INCORRECT_CLTV_EXPIRY'],
  [4, 'FINAL_INCORRECT_HTLC_AMOUNT'],
  [5, 'FINAL_EXPIRY_TOO_SOON'],
  [6, 'INVALID_REALM'],
  [7, 'EXPIRY_TOO_SOON'],
  [8, 'INVALID_ONION_VERSION'],
  [9, 'INVALID_ONION_HMAC'],
  [10, 'INVALID_ONION_KEY'],
  [11, 'AMOUNT_BELOW_MINIMUM'],
  [12, 'FEE_INSUFFICIENT'],
  [13, 'INCORRECT_CLTV_EXPIRY'],
  [14, 'CHANNEL_DISABLED'],
  [15, 'TEMPORARY_CHANNEL_FAILURE'],
  [16, 'REQUIRED_NODE_FEATURE_MISSING'],
  [17, 'REQUIRED_CHANNEL_FEATURE_MISSING'],
  [18, 'UNKNOWN_NEXT_PEER'],
  [19, 'TEMPORARY_NODE_FAILURE'],
  [20, 'PERMANENT_NODE_FAILURE'],
  [21, 'PERMANENT_CHANNEL_FAILURE'],
  [22, 'EXPIRY_TOO_FAR'],
  [23, 'MPP_TIMEOUT'],
  [24, 'INVALID_ONION_PAYLOAD'],
  [25, 'INVALID_ONION_BLINDING'],
  [997, 'INTERNAL_FAILURE'],
  [998, 'UNKNOWN_FAILURE'],
  [999, 'UNREADABLE_FAILURE'],
];

export const FAILURE_CODE_NAMES: ReadonlyMap<number, string> = new Map(FAILURE_CODE_LIST);

function inverse(names: Iterable<readonly [number, string]>): ReadonlyMap<string, number> {
  const m = new Map<string, number>();
  for (const [n, name] of names) m.set(name, n);
  return m;
}

export const EVENT_TYPE_NUMBERS = inverse(EVENT_TYPE_NAMES.map((n, i) => [i, n] as const));
export const FAILURE_DETAIL_NUMBERS = inverse(FAILURE_DETAIL_NAMES.map((n, i) => [i, n] as const));
export const FAILURE_CODE_NUMBERS = inverse(FAILURE_CODE_LIST);

/** lnd's name for an enum value, or undefined when this tool does not know the number. */
export function eventTypeName(n: number): string | undefined {
  return EVENT_TYPE_NAMES[n];
}
export function failureDetailName(n: number): string | undefined {
  return FAILURE_DETAIL_NAMES[n];
}
export function failureCodeName(n: number): string | undefined {
  return FAILURE_CODE_NAMES.get(n);
}

export const EVENT_TYPE = { UNKNOWN: 0, SEND: 1, RECEIVE: 2, FORWARD: 3 } as const;
