/**
 * Settle-time percentiles for the summary (stats.ts): exact nearest-rank over the
 * first EXACT_SAMPLES durations, then a log-linear histogram (64 sub-buckets per
 * power of two, bucket midpoint), within 0.8% of the exact value.
 */

/** Durations kept exactly before the percentiles come from the histogram. */
export const EXACT_SAMPLES = 10_000;

const SUB_BITS = 6;
const SUB = 1 << SUB_BITS; // 64 sub-buckets per power of two
const MAX_EXP = 53;
const HIST_SIZE = SUB + (MAX_EXP - SUB_BITS + 1) * SUB; // 3136
const MAX_VALUE = 2 ** MAX_EXP - 1;

function floorLog2(v: number): number {
  let e = Math.floor(Math.log2(v));
  if (2 ** e > v) e--;
  else if (2 ** (e + 1) <= v) e++;
  return e;
}

function bucketOf(v: number): number {
  if (v < SUB) return v;
  const e = floorLog2(v);
  const shift = e - SUB_BITS;
  const sub = Math.floor(v / 2 ** shift) - SUB; // 0..63
  return SUB + shift * SUB + sub;
}

/** Midpoint of a bucket (exact value for the unit-wide buckets below 64). */
function bucketValue(i: number): number {
  if (i < SUB) return i;
  const shift = Math.floor((i - SUB) / SUB);
  const sub = (i - SUB) % SUB;
  const width = 2 ** shift;
  const lower = (SUB + sub) * width;
  return lower + Math.floor((width - 1) / 2);
}

/**
 * Durations in ns: exact samples for the first EXACT_SAMPLES, and a log-linear
 * histogram throughout. Percentiles are nearest-rank.
 */
export class DurationSketch {
  private samples: number[] | undefined = [];
  private readonly hist = new Float64Array(HIST_SIZE);
  private n = 0;
  private min = Infinity;
  private max = -Infinity;

  constructor(private readonly exactCap: number = EXACT_SAMPLES) {}

  add(ns: bigint): void {
    const v = ns <= 0n ? 0 : ns >= BigInt(MAX_VALUE) ? MAX_VALUE : Number(ns);
    this.n++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.hist[bucketOf(v)]!++;
    if (this.samples !== undefined) {
      if (this.samples.length < this.exactCap) this.samples.push(v);
      else this.samples = undefined; // from now on, the histogram
    }
  }

  get count(): number {
    return this.n;
  }

  get exact(): boolean {
    return this.samples !== undefined;
  }

  /** Nearest-rank percentiles (p in 0..100) in ns; undefined when empty. */
  percentiles(ps: readonly number[]): number[] | undefined {
    if (this.n === 0) return undefined;
    const ranks = ps.map((p) => Math.min(this.n, Math.max(1, Math.ceil((p * this.n) / 100))));
    if (this.samples !== undefined) {
      const sorted = Float64Array.from(this.samples).sort();
      return ranks.map((r) => sorted[r - 1]!);
    }
    return ranks.map((r) => {
      let cum = 0;
      for (let i = 0; i < HIST_SIZE; i++) {
        cum += this.hist[i]!;
        if (cum >= r) return Math.min(this.max, Math.max(this.min, bucketValue(i)));
      }
      return this.max;
    });
  }
}
