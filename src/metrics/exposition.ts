/**
 * Prometheus text format (version 0.0.4) for the htlc_tail_* families, from
 * series whose lines up to the value are encoded once, when the series is
 * made. Why not prom-client's own rendering for these: it rebuilds, hashes and
 * escapes every series' labels at every scrape (about 10 µs per series here),
 * and its counters hash their labels on every increment too, so a node with
 * 500 channels and thousands of channel pairs (tens of thousands of series)
 * took hundreds of milliseconds to scrape and every event paid for label
 * strings. prom-client renders the process metrics, which are few.
 *
 * Escaping (the format's rules): in label values `\` → `\\`, `"` → `\"`,
 * line feed → `\n`; in HELP texts `\` and line feed.
 */
import type { Labels, MetricDef } from './names.js';

function escapeLabelValue(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

/** `{a="x",b="y"}`, in the given label order. */
export function labelKey(labels: Labels): string {
  let s = '';
  for (const k in labels) s += `${s === '' ? '' : ','}${k}="${escapeLabelValue(labels[k]!)}"`;
  return `{${s}}`;
}

/** A number as the format writes it. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** `name{labels} ` as bytes: a series' line up to its value, encoded once. */
export function seriesPrefix(name: string, labels: Labels): Buffer {
  return Buffer.from(`${name}${labelKey(labels)} `);
}

/**
 * Writes the exposition straight into a Buffer (grown by doubling): a series
 * costs a copy of its prefix and its value's digits. (Text built line by line
 * is a rope that costs more to flatten and encode when sent than to build.)
 */
export class ExpositionWriter {
  private buf: Buffer;
  private len = 0;

  constructor(sizeHint = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(4096, sizeHint));
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = Buffer.allocUnsafe(size);
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }

  text(s: string): this {
    this.room(Buffer.byteLength(s));
    this.len += this.buf.write(s, this.len, 'utf8');
    return this;
  }

  head(d: MetricDef, type: 'counter' | 'gauge' | 'histogram'): this {
    return this.text(`# HELP ${d.name} ${d.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${d.name} ${type}\n`);
  }

  sample(prefix: Buffer, value: number): this {
    const v = formatValue(value);
    this.room(prefix.length + v.length + 1);
    const b = this.buf;
    let at = this.len;
    b.set(prefix, at);
    at += prefix.length;
    for (let i = 0; i < v.length; i++) b[at++] = v.charCodeAt(i);
    b[at++] = 10;
    this.len = at;
    return this;
  }

  /** The bytes written (a view of the writer's buffer; write nothing more after). */
  end(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}
