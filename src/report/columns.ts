/**
 * The report's rows and keys (SPEC "Report"), shared by the aggregation and
 * the four renderers.
 *
 * A cell is a string (ids, pubkeys, aliases, times, enum names), a BigInt
 * (counts and msat: exact integers), a duration in ms as an exact decimal
 * (`{ ms }`), or null (unknown: no alias, no settled forward for a
 * percentile). Renderers never do arithmetic on cells.
 */

export const REPORT_BY = ['channel', 'peer', 'reason', 'day', 'hour'] as const;
export type ReportBy = (typeof REPORT_BY)[number];

export const REPORT_FORMATS = ['table', 'jsonl', 'csv', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface Ms {
  /** Exact decimal milliseconds (jsonl, csv, markdown). */
  readonly ms: string;
  /** The same in integer nanoseconds (the table's human form). */
  readonly ns: string;
}
export type Cell = string | bigint | Ms | null;

/** A cell as plain text: a string as is, a BigInt in decimal, a duration in exact ms, null as ''. */
export function cellText(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'string') return c;
  if (typeof c === 'bigint') return c.toString();
  return c.ms;
}
export type ReportRow = Readonly<Record<string, Cell>>;

export const isMs = (c: Cell): c is Ms => typeof c === 'object' && c !== null;

/** The per-forward totals every channel, peer and time-bucket row has, in SPEC order. */
export const FORWARD_KEYS = [
  'in_forwards',
  'out_forwards',
  'out_settled',
  'out_failed_here',
  'out_failed_downstream',
  'in_settled',
  'out_amt_msat',
  'fee_earned_msat',
  'fee_missed_msat',
  'no_liquidity',
  'no_liquidity_msat',
  'settle_p50_ms',
  'settle_p90_ms',
] as const;

/** The keys of a row, in output order, for each `--by`. */
export const REPORT_KEYS: Readonly<Record<ReportBy, readonly string[]>> = {
  channel: ['channel_id', 'scid', 'alias', ...FORWARD_KEYS],
  peer: ['peer_pubkey', 'alias', ...FORWARD_KEYS],
  reason: ['wire_failure', 'failure_detail', 'count', 'amt_msat', 'fee_missed_msat'],
  day: ['start', ...FORWARD_KEYS, 'receives', 'sends'],
  hour: ['start', ...FORWARD_KEYS, 'receives', 'sends'],
};

/** The keys that name the group (the rest are quantities). */
export const LABEL_KEYS: ReadonlySet<string> = new Set([
  'channel_id',
  'scid',
  'alias',
  'peer_pubkey',
  'wire_failure',
  'failure_detail',
  'start',
  'node',
]);

/**
 * A cell that is not a key (no renderer but the table reads it): set on a
 * channel row whose channel the node never listed and that only failed here.
 */
export const FOREIGN = '_foreign';

export interface ReportSection {
  /** The node's name (profile name, else alias, else identity) when the report covers several nodes. */
  readonly node?: string;
  readonly rows: readonly ReportRow[];
  /** The totals over the section's forwards (table and markdown print it last). */
  readonly total: ReportRow;
}

export interface Report {
  readonly by: ReportBy;
  /** Output keys; `node` first when the report covers several nodes. */
  readonly keys: readonly string[];
  readonly sections: readonly ReportSection[];
}
