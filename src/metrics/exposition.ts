/**
 * The bytes of the htlc_tail_* families, written the way prom-client's
 * Registry writes them (text format 0.0.4), into one buffer, with each
 * series' sample name and labels formatted once and kept on the series as
 * bytes (`line`). A scrape then copies bytes and writes the values' digits:
 * no string per series, no 2 MB string to join and encode again.
 *
 * Why not prom-client's rendering for these families: a node with 500
 * channels has over 13,000 series; prom-client builds, escapes and joins
 * their text at every scrape (a few arrays and strings per series), then the
 * whole text is encoded to UTF-8, which `npm run bench`'s metrics-scrape case
 * measured at most of a scrape's time in the tail, and most of its garbage
 * (see the README's Performance section). prom-client still holds the
 * families (families.ts: its Counter, Gauge and Histogram, whose `get()` reads
 * these series) and renders the process metrics;
 * test/metrics/exposition.test.ts checks these bytes against prom-client's
 * rendering of the same values.
 *
 * Exactly as prom-client's registry.js: `# HELP name help` and `# TYPE name
 * type`, then one line per sample; a sample's own labels (a histogram's `le`)
 * before the series' labels, in the label set's key order; label values
 * escaped (`\` → `\\`, newline → `\n`, `"` → `\"`); a value as JavaScript
 * prints the number (`Nan`, `+Inf`, `-Inf` for the others); families apart by
 * a blank line, a newline at the end. Pure (no I/O).
 */
import type { Labels } from './names.js';
import type { Series } from './series.js';
import type { HistogramSeries } from './settle-histogram.js';

const escapeString = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

/** A label value as prom-client escapes it. */
export const escapeLabelValue = (v: string): string => escapeString(v).replace(/"/g, '\\"');

/** `k="v",…` in the label set's key order (prom-client's formatLabels, joined). */
export function formatLabels(labels: Readonly<Record<string, string | number>>): string {
  let out = '';
  for (const [k, v] of Object.entries(labels)) {
    if (out !== '') out += ',';
    out += `${k}="${typeof v === 'string' ? escapeLabelValue(v) : v}"`;
  }
  return out;
}

/** A sample value as prom-client writes it (util.js's getValueAsString). */
export function valueText(v: number): string {
  if (Number.isNaN(v)) return 'Nan';
  if (!Number.isFinite(v)) return v < 0 ? '-Inf' : '+Inf';
  return `${v}`;
}

/** `name{own,labels} `: the bytes of a sample's line up to its value. */
function head(name: string, own: string, labels: string): Buffer {
  const parts = own && labels ? `${own},${labels}` : own || labels;
  return Buffer.from(parts ? `${name}{${parts}} ` : `${name} `);
}

/** The `# HELP` and `# TYPE` lines of a family. */
export function familyHeader(name: string, help: string, type: string): string {
  const n = escapeString(name);
  return `# HELP ${n} ${escapeString(help)}\n# TYPE ${n} ${type}`;
}

const NEWLINE = 0x0a;
const ZERO = 0x30;
/** Room for any value's digits. */
const MAX_VALUE_BYTES = 32;

/** A growing buffer the exposition is written into; `bytes()` is what was written. */
export class ExpositionWriter {
  private buf: Buffer;
  private off = 0;

  constructor(size = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Text as UTF-8 (headers, prom-client's rendering of the process metrics). */
  text(s: string): void {
    this.room(s.length * 3);
    this.off += this.buf.write(s, this.off, 'utf8');
  }

  /** The blank line between two families. */
  separator(): void {
    this.room(2);
    this.buf[this.off++] = NEWLINE;
    this.buf[this.off++] = NEWLINE;
  }

  /** The newline at the end. */
  end(): void {
    this.room(1);
    this.buf[this.off++] = NEWLINE;
  }

  /** A sample: a newline, its line's head (bytes), its value. */
  sample(line: Uint8Array, v: number): void {
    this.room(1 + line.length + MAX_VALUE_BYTES);
    const buf = this.buf;
    buf[this.off++] = NEWLINE;
    buf.set(line, this.off);
    this.off += line.length;
    if (v >= 0 && Number.isSafeInteger(v)) {
      let digits = 1;
      for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
      let x = v;
      for (let i = this.off + digits - 1; i >= this.off; i--) {
        buf[i] = ZERO + (x % 10);
        x = Math.floor(x / 10);
      }
      this.off += digits;
    } else this.off += buf.write(valueText(v), this.off, 'latin1');
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.off);
  }

  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.off + n));
    this.buf.copy(next, 0, 0, this.off);
    this.buf = next;
  }
}

/** Writes one sample per series (counters and gauges). */
export function writeSeries(w: ExpositionWriter, name: string, list: readonly Series[]): void {
  for (const s of list) w.sample((s.line ??= head(name, '', formatLabels(s.labels))), s.value);
}

/** The lines' heads of one histogram series: each bucket, +Inf, _sum, _count. */
function histogramHeads(name: string, bounds: readonly number[], labels: Labels): Buffer[] {
  const shared = formatLabels(labels);
  const bucket = `${name}_bucket`;
  return [
    ...bounds.map((b) => head(bucket, `le="${b}"`, shared)),
    head(bucket, 'le="+Inf"', shared),
    head(`${name}_sum`, '', shared),
    head(`${name}_count`, '', shared),
  ];
}

/** Writes each histogram series' samples: cumulative buckets, +Inf, _sum, _count. */
export function writeHistogram(
  w: ExpositionWriter,
  name: string,
  bounds: readonly number[],
  list: readonly HistogramSeries[],
): void {
  for (const s of list) {
    const h = (s.line ??= histogramHeads(name, bounds, s.labels));
    let acc = 0;
    for (let i = 0; i < bounds.length; i++) w.sample(h[i]!, (acc += s.counts[i]!));
    w.sample(h[bounds.length]!, s.count);
    w.sample(h[bounds.length + 1]!, s.sum);
    w.sample(h[bounds.length + 2]!, s.count);
  }
}
