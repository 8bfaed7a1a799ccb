/**
 * Exact msat sums for the msat counters, without a float and without an
 * allocation per event: the sum is held as `hi · 10^10 + lo` (two doubles,
 * both exact integers), the way the correlator holds uint64 ids. Amounts come
 * in as lnd's uint64 decimal strings and are split with `splitU64`.
 *
 * Exposition: Prometheus's text format and storage are float64, so at scrape
 * the sum becomes one double, exact up to 2^53 msat (about 90,000 BTC, far
 * beyond what a node forwards during one run) and correct to 16 significant
 * digits beyond. The sum itself stays exact (`toBigInt`).
 */
import { splitU64 } from '../events/decimal-split.js';

const TEN10 = 1e10;

export class MsatSum {
  private hi = 0;
  private lo = 0;

  /** Adds hi · 10^10 + lo (hi ≥ 0, 0 ≤ lo < 10^10). */
  add(hi: number, lo: number): void {
    let l = this.lo + lo;
    let h = this.hi + hi;
    if (l >= TEN10) {
      l -= TEN10;
      h += 1;
    }
    this.lo = l;
    this.hi = h;
  }

  /** The sum as a double (exact below 2^53), for the exposition. */
  toNumber(): number {
    return this.hi * TEN10 + this.lo;
  }

  toBigInt(): bigint {
    return BigInt(this.hi) * 10_000_000_000n + BigInt(this.lo);
  }
}

/**
 * Splits msat decimal strings: `amount(s)` and `difference(a, b)` write
 * (hi, lo) into `out` and say whether there is a positive value to add. One
 * scratch array per owner (no module state).
 */
export class MsatSplitter {
  readonly out = new Float64Array(2);

  /** `s` as (hi, lo) in `out`; false when it is 0 or not a decimal number. */
  amount(s: string): boolean {
    splitU64(s, this.out, 0);
    const hi = this.out[0]!;
    return hi > 0 || (hi === 0 && this.out[1]! > 0);
  }

  /**
   * a − b as (hi, lo) in `out`, for a fee (incoming minus outgoing amount);
   * false when either is 0 or not a number, or a ≤ b (nothing to add to a counter).
   */
  difference(a: string, b: string): boolean {
    if (!this.amount(b)) return false;
    const bHi = this.out[0]!;
    const bLo = this.out[1]!;
    if (!this.amount(a)) return false;
    let hi = this.out[0]! - bHi;
    let lo = this.out[1]! - bLo;
    if (lo < 0) {
      lo += TEN10;
      hi -= 1;
    }
    if (hi < 0 || (hi === 0 && lo === 0)) return false;
    this.out[0] = hi;
    this.out[1] = lo;
    return true;
  }
}
