/**
 * `--reason NAME[,NAME]` (SPEC v2): failures whose wire_failure or
 * failure_detail name is one of these, case-insensitive. Parsed here into
 * the enum numbers the filter compares; an unknown name is a usage error that
 * names the closest valid name and lists them all.
 */
import { usageError } from '../errors.js';
import { closestNames } from '../util/closest-names.js';
import { FAILURE_CODE_NAMES, FAILURE_DETAIL_NAMES } from '../events/enums.js';
import type { ReasonSpec } from '../events/filter.js';
import { splitList } from './option-list.js';

const WIRE = [...FAILURE_CODE_NAMES].map(([n, name]) => [name.toLowerCase(), n] as const);
const DETAIL = FAILURE_DETAIL_NAMES.map((name, n) => [name.toLowerCase(), n] as const);

/** Every name --reason accepts, lower case: wire failures, then failure details. */
export const REASON_NAMES: readonly string[] = [...WIRE.map(([n]) => n), ...DETAIL.map(([n]) => n)];

/** The valid name closest to a mistyped one: a third of its length away at most (at least 2). */
function closest(word: string): string | undefined {
  return closestNames(word, REASON_NAMES, 1, Math.max(2, Math.floor(word.length / 3)))[0];
}

/** The reasons given, or null when --reason was not given. */
export function parseReasons(v: string | readonly string[] | undefined, option = '--reason'): ReasonSpec | null {
  const items = splitList(v, option);
  if (!items) return null;
  const wireFailures = new Set<number>();
  const failureDetails = new Set<number>();
  const names: string[] = [];
  for (const it of items) {
    const name = it.toLowerCase();
    const wire = WIRE.find(([n]) => n === name);
    const detail = DETAIL.find(([n]) => n === name);
    if (!wire && !detail) {
      const near = closest(name);
      throw usageError(
        `${option} ${JSON.stringify(it)} is not a failure name${near ? ` (did you mean ${near}?)` : ''}; ` +
          `use wire failures (${WIRE.map(([n]) => n).join(', ')}) or failure details (${DETAIL.map(([n]) => n).join(', ')}), comma-separated or repeated`,
      );
    }
    if (wire) wireFailures.add(wire[1]);
    if (detail) failureDetails.add(detail[1]);
    if (!names.includes(name)) names.push(name);
  }
  return Object.freeze({ wireFailures, failureDetails, names });
}
