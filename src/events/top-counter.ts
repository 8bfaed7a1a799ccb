/**
 * A top-k table for the summary's failure reasons and channel pairs (stats.ts):
 * exact up to a capacity of distinct keys, then a Space-Saving sketch.
 */

/** Distinct keys a top-k table holds exactly before it turns into a sketch. */
export const TOP_TABLE_CAPACITY = 10_000;

/**
 * Counts per key; exact up to `capacity` distinct keys, then Space-Saving
 * (Metwally et al.): a new key replaces the smallest counter and inherits its
 * count + 1, so every reported count is ≥ the true one and over by ≤ total/capacity.
 */
export class TopCounter {
  private readonly counts = new Map<string, number>();
  private totalCount = 0;
  private overflowed = false;

  constructor(private readonly capacity: number = TOP_TABLE_CAPACITY) {}

  add(key: string): void {
    this.totalCount++;
    const c = this.counts.get(key);
    if (c !== undefined) {
      this.counts.set(key, c + 1);
      return;
    }
    if (this.counts.size < this.capacity) {
      this.counts.set(key, 1);
      return;
    }
    let minKey: string | undefined;
    let min = Infinity;
    for (const [k, v] of this.counts) {
      if (v < min) {
        min = v;
        minKey = k;
      }
    }
    if (minKey !== undefined) this.counts.delete(minKey);
    this.counts.set(key, min + 1);
    this.overflowed = true;
  }

  get total(): number {
    return this.totalCount;
  }

  get approximate(): boolean {
    return this.overflowed;
  }

  /** The n largest, count descending, then key ascending (code-unit order). */
  top(n: number): Array<[string, number]> {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, n);
  }
}
