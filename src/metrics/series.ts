/** A counter or gauge series of the htlc_tail_* families, as NodeMetrics keeps it. */
import { eventTypeName } from '../events/enums.js';
import { seriesPrefix } from './exposition.js';
import type { Labels, MetricDef } from './names.js';

/** A series: its labels and its line up to the value (both made once), and its running value. */
export interface Series {
  readonly labels: Labels;
  /** `name{node="…",…} ` (exposition.ts) */
  readonly prefix: Buffer;
  value: number;
}

export const series = (d: MetricDef, labels: Labels): Series => ({ labels, prefix: seriesPrefix(d.name, labels), value: 0 });

/** lnd's event_type name, or the number when this tool does not know it (as in jsonl). */
export const typeName = (t: number): string => eventTypeName(t) ?? String(t);
