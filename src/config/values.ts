/**
 * Parsers for single option values. Each throws a usage error (exit 2) that
 * names the option (or environment variable), shows the bad value and says
 * what is allowed.
 */
import { usageError } from '../errors.js';
import type { ColorMode } from '../format/names.js';
import type { Env } from './paths.js';

const show = (s: string): string => JSON.stringify(s);

/** One of a fixed list of names, case-insensitive. */
export function parseChoice<T extends string>(value: string, option: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw usageError(`${option} ${show(value)} is not one of ${allowed.join(', ')}; pick one of those`);
}

/** A positive whole number (`--count`). */
export function parsePositiveInt(value: string, option: string, example: string): number {
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n >= 1 && Number.isSafeInteger(n)) return n;
  }
  throw usageError(`${option} ${show(value)} is not a positive whole number; e.g. ${option} ${example}`);
}

/** The longest delay a Node timer can hold, in seconds. */
export const MAX_SECONDS = Math.floor(2 ** 31 / 1000) - 1;

/**
 * A number of seconds, decimals allowed (`2.5`). `allowZero` for settings
 * where 0 means "off"; `min` for a smallest value other than 0. At most
 * MAX_SECONDS (about 24 days).
 */
export function parseSeconds(
  value: string,
  option: string,
  opts: { allowZero: boolean; min?: number; example: string },
): number {
  const v = value.trim();
  if (/^\d+(\.\d+)?$|^\.\d+$/.test(v)) {
    const n = Number(v);
    if (opts.min !== undefined && n > 0 && n < opts.min) {
      throw usageError(
        `${option} ${show(value)} is less than ${opts.min} s; give ${opts.min} or more${opts.allowZero ? ' (0 turns it off)' : ''}, e.g. ${option} ${opts.example}`,
      );
    }
    if ((n > 0 || (opts.allowZero && n === 0)) && n <= MAX_SECONDS) return n;
    if (n > MAX_SECONDS) {
      throw usageError(`${option} ${show(value)} is too long; give at most ${MAX_SECONDS} seconds`);
    }
  }
  const what = opts.allowZero ? 'a number of seconds (0 turns it off)' : 'a positive number of seconds';
  throw usageError(`${option} ${show(value)} is not ${what}; e.g. ${option} ${opts.example}`);
}

/**
 * Whether stdout gets colour. `always`/`never` win over everything. `auto`:
 * FORCE_COLOR (set, non-empty and not `0` or `false`) turns colour on, else NO_COLOR
 * (set and non-empty) turns it off, else colour only when stdout is a
 * terminal. FORCE_COLOR wins over NO_COLOR because it is the more specific
 * request (usually set for one command; NO_COLOR is usually a shell-wide
 * preference), as in Node's own tty.getColorDepth.
 */
export function decideColor(mode: ColorMode, env: Env, stdoutIsTTY: boolean): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0' && force.toLowerCase() !== 'false') return true;
  const no = env['NO_COLOR'];
  if (no !== undefined && no !== '') return false;
  return stdoutIsTTY;
}
