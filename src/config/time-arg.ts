/**
 * `--since TIME` / `--until TIME` (SPEC "History"): TIME is
 * - RFC 3339: `2026-12-01T10:00:00Z`, `2026-12-01T10:00:00.5+01:00` (a space
 *   for the `T` and a lower-case `t`/`z` are accepted, as RFC 3339 allows; a
 *   fraction of up to 9 digits is kept exactly);
 * - a date `2026-12-01`: local midnight of that day;
 * - an age: a whole number and a unit, `90s`, `15m`, `2h`, `7d`: that long before now.
 *
 * Pure: `nowMs` and the local time zone's midnight come in as arguments.
 * Returns Unix nanoseconds as a BigInt (lnd's clock is compared in ns).
 * Anything else is a usage error naming the option and showing the forms.
 */
import { usageError } from '../errors.js';

const AGE_UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const AGE = /^(\d+)([smhd])$/;

/** Unix ms of local midnight at the start of that calendar day (the process's time zone). */
export function localMidnightMs(year: number, month: number, day: number): number {
  const d = new Date(year, month - 1, day);
  d.setFullYear(year); // years 0–99 would otherwise be 1900–1999
  return d.getTime();
}

function validDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(2000, mo, 0)).getUTCDate(); // Feb: 29 (leap year 2000)
  if (d > days) return false;
  if (mo === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return true;
}

export function parseTimeArg(
  value: string,
  option: string,
  nowMs: number,
  midnight: (y: number, m: number, d: number) => number = localMidnightMs,
): bigint {
  const v = value.trim();
  const bad = (why: string) =>
    usageError(
      `${option} ${JSON.stringify(value)} ${why}; give an RFC 3339 time (2026-12-01T10:00:00Z), a date (2026-12-01, local midnight) or an age (90s, 15m, 2h, 7d)`,
    );
  let m = AGE.exec(v);
  if (m) {
    const ms = BigInt(m[1]!) * BigInt(AGE_UNIT_MS[m[2]!]!);
    return (BigInt(Math.round(nowMs)) - ms) * 1_000_000n;
  }
  m = DATE.exec(v);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!validDate(y, mo, d)) throw bad('is not a calendar date');
    return BigInt(midnight(y, mo, d)) * 1_000_000n;
  }
  m = RFC3339.exec(v);
  if (m) {
    const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
    if (!validDate(y!, mo!, d!) || h! > 23 || mi! > 59 || s! > 60) throw bad('is not a valid time');
    let secs = BigInt(Date.UTC(y!, mo! - 1, d, h, mi, Math.min(s!, 59)) / 1000);
    if (y! < 100)
      secs = BigInt(
        Math.floor(new Date(Date.UTC(2000, mo! - 1, d, h, mi, Math.min(s!, 59))).setUTCFullYear(y!) / 1000),
      );
    if (s === 60) secs += 1n; // a leap second: the next second
    if (m[9] !== undefined) {
      const off = (Number(m[10]) * 60 + Number(m[11])) * 60;
      if (Number(m[10]) > 23 || Number(m[11]) > 59) throw bad('has an invalid offset');
      secs += m[9] === '+' ? -BigInt(off) : BigInt(off);
    }
    const frac = (m[7] ?? '').padEnd(9, '0');
    return secs * 1_000_000_000n + BigInt(frac);
  }
  throw bad('is not a time');
}
