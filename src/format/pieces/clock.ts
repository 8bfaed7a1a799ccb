/**
 * Wall-clock text for people (pretty, table), local time or UTC.
 * Same day as "now" (in the same zone): "HH:MM:SS.mmm".
 * Another day: pretty "YYYY-MM-DD HH:MM:SS.mmm", table "MM-DD HH:MM:SS" (the
 * table's time column has a fixed width of 14).
 * UTC times in the pretty style end with "Z", so they say their zone; the
 * table says it once, in its header ("TIME (UTC)").
 */
export type ClockStyle = 'pretty' | 'table';

/** Placeholder for timestamp 0 (the subscribed event). */
export const NO_TIME = '--:--:--.---';

const p2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const p3 = (n: number): string => (n < 10 ? '00' + n : n < 100 ? '0' + n : String(n));

export function clockText(ms: number, utc: boolean, nowMs: number, style: ClockStyle): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return NO_TIME;
  const now = new Date(nowMs);
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = utc ? d.getUTCMonth() : d.getMonth();
  const da = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const mi = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  const msec = utc ? d.getUTCMilliseconds() : d.getMilliseconds();
  const sameDay = utc
    ? y === now.getUTCFullYear() && mo === now.getUTCMonth() && da === now.getUTCDate()
    : y === now.getFullYear() && mo === now.getMonth() && da === now.getDate();
  const hms = p2(h) + ':' + p2(mi) + ':' + p2(s);
  if (style === 'table') return sameDay ? hms + '.' + p3(msec) : p2(mo + 1) + '-' + p2(da) + ' ' + hms;
  const zone = utc ? 'Z' : '';
  if (sameDay) return hms + '.' + p3(msec) + zone;
  return String(y).padStart(4, '0') + '-' + p2(mo + 1) + '-' + p2(da) + ' ' + hms + '.' + p3(msec) + zone;
}

/** Unix ms (floored) from a uint64 decimal string of Unix ns. */
export function msFromNs(ns: string): number {
  return ns.length <= 6 ? 0 : Number(ns.slice(0, ns.length - 6));
}

/** The time of an event (timestamp_ns) for people; NO_TIME for 0. */
export function eventClock(timestampNs: string, utc: boolean, nowMs: number, style: ClockStyle): string {
  if (timestampNs === '0') return NO_TIME;
  return clockText(msFromNs(timestampNs), utc, nowMs, style);
}
