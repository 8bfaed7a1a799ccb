/**
 * Decimal strings of the event model (uint64 ids and amounts, Unix-ns times)
 * held exactly as two doubles, for the correlator's typed-array table and the
 * metrics: a uint64 as `hi = ⌊v / 10^10⌋` and `lo = v mod 10^10` (both below
 * 2^35), a time as (seconds, nanoseconds). Digit loops: no substrings, no
 * BigInt on the way in.
 */
const TEN9 = 1e9;

/**
 * Writes the uint64 decimal string `s` into `out[at]` (hi) and `out[at + 1]`
 * (lo), exactly. A string that is not a decimal number gives (−1, −1): the
 * normalizers never produce one.
 */
export function splitU64(s: string, out: Float64Array, at: number): void {
  splitDecimal(s, 10, out, at);
  if (out[at]! < 0) out[at + 1] = -1;
}

/**
 * Parses the decimal `s` into `out[at]` (the digits before the last `low`) and
 * `out[at + 1]` (the last `low` digits), exactly (`s` of at most low + 15
 * digits); not a decimal number → (−1, 0). A digit loop: no substrings.
 */
function splitDecimal(s: string, low: number, out: Float64Array, at: number): void {
  const n = s.length;
  const cut = n - low;
  let hi = 0;
  let lo = 0;
  if (n === 0 || cut > 15) hi = -1;
  else {
    for (let i = 0; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) {
        hi = -1;
        lo = 0;
        break;
      }
      if (i < cut) hi = hi * 10 + d;
      else lo = lo * 10 + d;
    }
  }
  out[at] = hi;
  out[at + 1] = lo;
}

/** The decimal string of the uint64 held as (hi, lo) by `splitU64`. */
export function joinU64(hi: number, lo: number): string {
  return hi === 0 ? String(lo) : String(hi) + String(lo).padStart(10, '0');
}

/** Writes a Unix-ns decimal string into `out[at]` (seconds) and `out[at + 1]` (ns); not a number → (0, 0). */
export function splitNs(s: string, out: Float64Array, at: number): void {
  splitDecimal(s, 9, out, at);
  if (out[at]! < 0) out[at] = 0;
}

/** (sec, ns) as a BigInt of ns. */
export function nsBig(sec: number, ns: number): bigint {
  return BigInt(sec) * 1_000_000_000n + BigInt(ns);
}

/** a − b in ns, exact, as a decimal string (a and b as (sec, ns)). */
export function nsDiff(aSec: number, aNs: number, bSec: number, bNs: number): string {
  const ds = aSec - bSec;
  // |ds| < 9·10^6 s keeps ds·10^9 + (aNs − bNs) below 2^53: exact as a double.
  if (ds < 9e6 && ds > -9e6) return String(ds * TEN9 + (aNs - bNs));
  return (nsBig(aSec, aNs) - nsBig(bSec, bNs)).toString();
}
