/**
 * The report's SQL, over the `htlcs` table (one row per HTLC; see
 * history/derive.ts). Every figure is an SQLite integer aggregate read as a
 * BigInt, so money is exact.
 *
 * Sums of msat: `sum()` of SQLite integers is exact, and raises an error
 * rather than wrapping on overflow. Amounts of 2^63 msat and more (never a
 * real HTLC; stored as negative integers, see history/u64.ts) and sums beyond
 * 2^63 are handled by the `exact` form: each amount split into its high and
 * low 32 bits, plus a count of the wide ones, recombined with BigInt. The
 * aggregation uses it when the store has such amounts or the plain sum
 * overflowed.
 */
import { u64ToDbBig } from '../history/u64.js';

export interface Scope {
  readonly nodes: readonly number[];
  readonly sinceNs?: bigint;
  readonly untilNs?: bigint;
}

/** WHERE terms and arguments selecting a scope's HTLC rows (by first_ns). */
export function scopeWhere(s: Scope, alias = ''): { sql: string; args: Array<number | bigint> } {
  const p = alias ? `${alias}.` : '';
  const terms = [`${p}node IN (${s.nodes.map(() => '?').join(', ')})`];
  const args: Array<number | bigint> = [...s.nodes];
  if (s.sinceNs !== undefined) {
    terms.push(`${p}first_ns >= ?`);
    args.push(u64ToDbBig(s.sinceNs < 0n ? 0n : s.sinceNs));
  }
  if (s.untilNs !== undefined) {
    terms.push(`${p}first_ns < ?`);
    args.push(u64ToDbBig(s.untilNs < 0n ? 0n : s.untilNs));
  }
  return { sql: terms.join(' AND '), args };
}

/** Collects aggregate expressions and reads them back from a raw, safe-integer row. */
export class AggregateList {
  readonly exprs: string[] = [];
  private readonly readers: Array<
    [name: string, read: (row: readonly unknown[], at: number) => bigint, width: number]
  > = [];

  constructor(private readonly exact: boolean) {}

  /** A count (sum of a 0/1 condition). */
  count(name: string, cond: string): this {
    this.exprs.push(`coalesce(sum(${cond}), 0)`);
    this.readers.push([name, (r, i) => r[i] as bigint, 1]);
    return this;
  }

  /** An exact sum of a uint64 column expression (NULLs ignored). */
  sum(name: string, expr: string): this {
    if (!this.exact) {
      this.exprs.push(`coalesce(sum(${expr}), 0)`);
      this.readers.push([name, (r, i) => r[i] as bigint, 1]);
      return this;
    }
    this.exprs.push(
      `coalesce(sum((${expr}) >> 32), 0)`,
      `coalesce(sum((${expr}) & 4294967295), 0)`,
      `coalesce(sum((${expr}) < 0), 0)`,
    );
    this.readers.push([
      name,
      (r, i) => ((r[i] as bigint) << 32n) + (r[i + 1] as bigint) + ((r[i + 2] as bigint) << 64n),
      3,
    ]);
    return this;
  }

  /** Every value 0 (a group with no rows). */
  zero(): Record<string, bigint> {
    return Object.fromEntries(this.readers.map(([name]) => [name, 0n]));
  }

  /** The values of a row whose aggregates start at column `from`. */
  read(row: readonly unknown[], from: number): Record<string, bigint> {
    const out: Record<string, bigint> = {};
    let i = from;
    for (const [name, read, width] of this.readers) {
      out[name] = read(row, i);
      i += width;
    }
    return out;
  }
}

/**
 * Settle times are exact in a JS number below 2^53 ns (104 days); an HTLC
 * cannot stay in flight that long, so a longer one comes from nonsense
 * timestamps and is left out of the percentiles.
 */
const MAX_EXACT_NS = '9007199254740992';

/** A forward's facts, one row per FORWARD HTLC in scope; `d` the settle time of a settled one. */
export function forwardRows(where: string): string {
  return `SELECT node, incoming_channel_id AS inc, outgoing_channel_id AS outc, first_ns,
      CASE WHEN settle_ns IS NOT NULL THEN 1 WHEN forward_fail_ns IS NOT NULL THEN 2 WHEN link_fail_ns IS NOT NULL THEN 3 ELSE 0 END AS oc,
      incoming_amt_msat AS ia, outgoing_amt_msat AS oa,
      coalesce(incoming_amt_msat != 0 AND outgoing_amt_msat != 0, 0) AS fee_ok,
      wire_failure AS wf, failure_detail AS fd,
      CASE WHEN settle_ns IS NOT NULL AND forward_ns IS NOT NULL AND abs(settle_ns - forward_ns) < ${MAX_EXACT_NS}
           THEN settle_ns - forward_ns END AS d
    FROM htlcs WHERE ${where} AND event_type = 3`;
}

const INSUFFICIENT_BALANCE = 6;

/**
 * The out-side channel keys over forward rows where `out` holds (the forward
 * left or tried to leave on the group's channel); with `inSide`, also the
 * in-side keys over every row (a time bucket: each forward is in one bucket).
 */
export function forwardAggregates(
  exact: boolean,
  opts: { readonly inSide: boolean; readonly out: string },
): AggregateList {
  const o = opts.out;
  const list = new AggregateList(exact);
  if (opts.inSide) list.count('in_forwards', '1').count('in_settled', 'oc = 1');
  list
    .count('out_forwards', o)
    .count('out_settled', both(o, 'oc = 1'))
    .count('out_failed_here', both(o, 'oc = 3'))
    .count('out_failed_downstream', both(o, 'oc = 2'))
    .sum('out_amt_msat', `${when(o, 'oc = 1')}oa END`);
  // A fee is ia − oa; both below 2^63 unless wide, so the difference is an exact int64.
  if (exact) {
    list
      .sum('earned_in', `${when(o, 'oc = 1 AND fee_ok')}ia END`)
      .sum('earned_out', `${when(o, 'oc = 1 AND fee_ok')}oa END`)
      .sum('missed_in', `${when(o, 'oc = 3 AND fee_ok')}ia END`)
      .sum('missed_out', `${when(o, 'oc = 3 AND fee_ok')}oa END`);
  } else {
    list
      .sum('earned_in', `${when(o, 'oc = 1 AND fee_ok')}ia - oa END`)
      .sum('missed_in', `${when(o, 'oc = 3 AND fee_ok')}ia - oa END`);
  }
  return list
    .count('no_liquidity', both(o, `oc = 3 AND fd = ${INSUFFICIENT_BALANCE}`))
    .sum('no_liquidity_msat', `${when(o, `oc = 3 AND fd = ${INSUFFICIENT_BALANCE}`)}oa END`);
}

/** The settle times of the group's settled outgoing forwards as `ns,ns,…`, unsorted (NULL when none). */
const settleTimes = (out: string) => `group_concat(${when(out, 'oc = 1')}d END)`;

/** `CASE WHEN <out> AND <cond> THEN ` without a constant-true `out`. */
const when = (out: string, cond: string) => `CASE WHEN ${out === '1' ? cond : `${out} AND ${cond}`} THEN `;
const both = (out: string, cond: string) => (out === '1' ? cond : `${out} AND ${cond}`);

/**
 * Forwards by (outgoing, incoming) channel pair: one pass over the covering
 * index htlcs_out in its order (no sort), the channel keys over every forward
 * of the pair; the caller folds the pairs into channels (the count and the
 * settled ones also into the incoming channel; an outgoing channel 0, no
 * outgoing side, is none). The last column: settleTimes of the pair.
 */
export function pairSql(where: string, aggs: AggregateList): string {
  return `SELECT node, outc, inc, ${aggs.exprs.join(', ')}, ${settleTimes('1')} FROM (${forwardRows(where)}) GROUP BY node, outc, inc`;
}

/** Forwards by time bucket of first_ns (`bucketNs` wide, UTC); the last column: settleTimes. */
export function bucketSql(where: string, aggs: AggregateList, bucketNs: bigint): string {
  return `SELECT node, first_ns / ${bucketNs} AS g, ${aggs.exprs.join(', ')}, ${settleTimes('outc != 0')} FROM (${forwardRows(where)}) GROUP BY node, g`;
}

/** Settled receives and sends per node and `group`. */
export function paymentsSql(where: string, group: string): string {
  return `SELECT node, ${group} AS g, coalesce(sum(event_type = 2 AND settle_ns IS NOT NULL), 0), coalesce(sum(event_type = 1 AND settle_ns IS NOT NULL), 0)
    FROM htlcs WHERE ${where} AND event_type IN (1, 2) GROUP BY node, g`;
}

export function reasonAggregates(exact: boolean): AggregateList {
  const list = new AggregateList(exact).count('count', '1').sum('amt_msat', 'oa');
  if (exact)
    return list.sum('missed_in', 'CASE WHEN fee_ok THEN ia END').sum('missed_out', 'CASE WHEN fee_ok THEN oa END');
  return list.sum('missed_in', 'CASE WHEN fee_ok THEN ia - oa END');
}

/** Failed-here forwards per node and failure codes. */
export function reasonSql(where: string, aggs: AggregateList): string {
  return `SELECT node, wf, fd, ${aggs.exprs.join(', ')} FROM (${forwardRows(where)}) WHERE oc = 3 GROUP BY node, wf, fd`;
}
