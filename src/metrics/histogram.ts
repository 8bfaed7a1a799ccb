/**
 * One series of htlc_tail_settle_seconds: cumulative bucket counts, sum and
 * count, with its bucket lines' labels rendered once (see exposition.ts for
 * why). Observing costs a short scan of the bucket bounds and three additions.
 */
import { formatValue, labelKey } from './exposition.js';
import type { Labels } from './names.js';

export class HistogramSeries {
  /** Per bucket (the last is +Inf): observations ≤ its bound and > the previous one. */
  private readonly counts: Float64Array;
  /** `{…,le="0.01"}` per bucket, then +Inf */
  private readonly bucketKeys: string[];
  private readonly key: string;
  private sum = 0;
  private count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
    this.key = labelKey(labels);
    this.bucketKeys = [...bounds.map((b) => labelKey({ ...labels, le: formatValue(b) })), labelKey({ ...labels, le: '+Inf' })];
  }

  observe(v: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }

  /** The series' lines: cumulative buckets, then _sum and _count. */
  render(name: string): string {
    let out = '';
    let cum = 0;
    for (let i = 0; i < this.counts.length; i++) {
      cum += this.counts[i]!;
      out += `${name}_bucket${this.bucketKeys[i]} ${cum}\n`;
    }
    return `${out}${name}_sum${this.key} ${formatValue(this.sum)}\n${name}_count${this.key} ${this.count}\n`;
  }
}
