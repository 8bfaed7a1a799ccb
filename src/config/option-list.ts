/** The values of a repeatable option whose values may be comma lists (`--type a,b --type c`). */
import { usageError } from '../errors.js';

/** Splits repeated options and comma lists into trimmed, non-empty items; undefined when the option was not given. */
export function splitList(v: string | readonly string[] | undefined, option: string): string[] | undefined {
  if (v === undefined) return undefined;
  const items = (typeof v === 'string' ? [v] : v)
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw usageError(`${option} needs a value; see htlc-tail --help`);
  return items;
}
