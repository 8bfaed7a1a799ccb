/**
 * Exact sat text from a decimal msat string (may be negative), by moving the
 * decimal point: no float. Thousands grouped with commas.
 * fixed = false: "1250500" → "1,250.5", "1000" → "1", "1" → "0.001".
 * fixed = true (table columns, aligned on the point): "1250500" → "1,250.500".
 */
export function msatToSat(msat: string, fixed: boolean): string {
  let neg = false;
  let d = msat;
  if (d.charCodeAt(0) === 45 /* - */) {
    neg = true;
    d = d.slice(1);
  }
  if (d.length < 4) d = '0000'.slice(d.length) + d;
  let int = d.slice(0, d.length - 3);
  let i = 0;
  while (i < int.length - 1 && int.charCodeAt(i) === 48) i++;
  if (i > 0) int = int.slice(i);
  let frac = d.slice(d.length - 3);
  if (!fixed) {
    let j = 3;
    while (j > 0 && frac.charCodeAt(j - 1) === 48) j--;
    frac = frac.slice(0, j);
  }
  const text = groupThousands(int) + (frac ? '.' + frac : '');
  return neg && /[1-9]/.test(d) ? '-' + text : text;
}

function groupThousands(int: string): string {
  if (int.length <= 3) return int;
  let out = '';
  let first = int.length % 3 || 3;
  out = int.slice(0, first);
  for (; first < int.length; first += 3) out += ',' + int.slice(first, first + 3);
  return out;
}
