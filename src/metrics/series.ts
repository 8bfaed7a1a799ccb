/**
 * A counter or gauge series of the htlc_tail_* families as a node keeps it:
 * its label set (made once, when the series is made) and its running value.
 * Events add to `value` (a plain number: no label strings, no hashing per
 * event); at scrape time the family's `collect()` hands the values that
 * changed since the last scrape to prom-client (families.ts), which renders
 * them. `exported` is what prom-client holds: NaN while it holds nothing (a
 * new series, or one whose labels changed: `stale` then holds the label set
 * to remove first).
 */
import { eventTypeName } from '../events/enums.js';
import type { Labels } from './names.js';

export interface Series {
  labels: Labels;
  value: number;
  exported: number;
  /** The label set prom-client still holds for this series (see relabel()). */
  stale: Labels | undefined;
}

export const series = (labels: Labels, value = 0): Series => ({ labels, value, exported: NaN, stale: undefined });

/** Gives a series a new node label; the next collect removes the old label set and exports it anew. */
export function relabel(s: Series, node: string): void {
  if (s.labels.node === node) return;
  s.stale ??= s.labels;
  s.labels = { ...s.labels, node };
  s.exported = NaN;
}

/** lnd's event_type name, or the number when this tool does not know it (as in jsonl). */
export const typeName = (t: number): string => eventTypeName(t) ?? String(t);
