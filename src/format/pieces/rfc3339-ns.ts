/**
 * RFC 3339 UTC with nine fraction digits from a uint64 decimal string of Unix
 * nanoseconds: "1700000000123456789" → "2023-11-14T22:13:20.123456789Z".
 * null for "0" (lnd's subscribed event, or an unset timestamp).
 *
 * No BigInt and no Date per event: the date-and-seconds prefix is cached for
 * the last second seen (a stream's events cluster in time).
 */

let lastSec = '';
let lastPrefix = '';

export function rfc3339FromNs(ns: string): string | null {
  if (ns === '0') return null;
  const len = ns.length;
  let sec: string;
  let frac: string;
  if (len > 9) {
    sec = ns.slice(0, len - 9);
    frac = ns.slice(len - 9);
  } else {
    sec = '0';
    frac = '000000000'.slice(len) + ns;
  }
  if (sec !== lastSec) {
    // uint64 max is about year 2554: well inside Date's range, always a 4-digit year.
    lastPrefix = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
    lastSec = sec;
  }
  return lastPrefix + '.' + frac + 'Z';
}
