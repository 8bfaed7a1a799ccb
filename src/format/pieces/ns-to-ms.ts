/**
 * Exact decimal shift of an integer nanosecond count (decimal string, may be
 * negative) to milliseconds, trailing zeros trimmed:
 * "9412353" → "9.412353", "5000000" → "5", "-1500" → "-0.0015", "0" → "0".
 * Never goes through a float.
 */
export function nsToMsDecimal(ns: string): string {
  let neg = false;
  let d = ns;
  if (d.charCodeAt(0) === 45 /* - */) {
    neg = true;
    d = d.slice(1);
  }
  if (d.length < 7) d = '0000000'.slice(d.length) + d;
  let int = d.slice(0, d.length - 6);
  let i = 0;
  while (i < int.length - 1 && int.charCodeAt(i) === 48) i++;
  if (i > 0) int = int.slice(i);
  let frac = d.slice(d.length - 6);
  let j = frac.length;
  while (j > 0 && frac.charCodeAt(j - 1) === 48) j--;
  frac = frac.slice(0, j);
  const abs = j > 0 ? int + '.' + frac : int;
  return neg && abs !== '0' ? '-' + abs : abs;
}
