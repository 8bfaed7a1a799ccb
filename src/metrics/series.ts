/**
 * A counter or gauge series of the htlc_tail_* families as a node keeps it:
 * its label set (one object, made when the series is made or relabelled) and
 * its running value. Events add to `value` (a plain number: no label strings,
 * no hashing per event); a scrape reads the values straight from here
 * (families.ts, exposition.ts): nothing is handed to prom-client per event or
 * per scrape. `line` caches the series' formatted sample name and labels as
 * bytes (exposition.ts), made at its first scrape, dropped when its labels change.
 */
import { eventTypeName } from '../events/enums.js';
import type { Labels } from './names.js';

export interface Series {
  labels: Labels;
  value: number;
  /** The bytes of `name{labels} ` as the exposition writes them (exposition.ts); undefined until rendered. */
  line: Uint8Array | undefined;
}

export const series = (labels: Labels, value = 0): Series => ({ labels, value, line: undefined });

/** Gives a series a new node label; the next scrape shows it under the new label set only. */
export function relabel(s: { labels: Labels; line: unknown }, node: string): void {
  if (s.labels.node === node) return;
  s.labels = { ...s.labels, node };
  s.line = undefined;
}

/** lnd's event_type name, or the number when this tool does not know it (as in jsonl). */
export const typeName = (t: number): string => eventTypeName(t) ?? String(t);
