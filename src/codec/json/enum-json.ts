/**
 * JSON for an enum value: lnd's name as a JSON string, or the bare number when
 * the name is unknown (newer lnd, or a value out of range). The JSON texts are
 * built once per enum.
 */
import { EVENT_TYPE_NAMES, FAILURE_CODE_NAMES, FAILURE_DETAIL_NAMES } from '../../events/enums.js';

function table(entries: Iterable<readonly [number, string]>): ReadonlyMap<number, string> {
  const m = new Map<number, string>();
  for (const [n, name] of entries) m.set(n, '"' + name + '"');
  return m;
}

const EVENT_TYPE_JSON = table(EVENT_TYPE_NAMES.map((n, i) => [i, n] as const));
const FAILURE_DETAIL_JSON = table(FAILURE_DETAIL_NAMES.map((n, i) => [i, n] as const));
const FAILURE_CODE_JSON = table(FAILURE_CODE_NAMES);

export const eventTypeJson = (n: number): string => EVENT_TYPE_JSON.get(n) ?? String(n);
export const failureDetailJson = (n: number): string => FAILURE_DETAIL_JSON.get(n) ?? String(n);
export const failureCodeJson = (n: number): string => FAILURE_CODE_JSON.get(n) ?? String(n);
