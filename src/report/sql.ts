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
  private readonly readers: Array<[name: string, read: (row: readonly unknown[], at: number) => bigint, width: number]> = [];

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
    this.exprs.push(`coalesce(sum((${expr}) >> 32), 0)`, `coalesce(sum((${expr}) & 4294967295), 0)`, `coalesce(sum((${expr}) < 0), 0)`);
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

/** A forward's facts, one row per FORWARD HTLC in scope. */
export function forwardRows(where: string): string {
  return `SELECT node, incoming_channel_id AS inc, outgoing_channel_id AS outc, first_ns,
      CASE WHEN settle_ns IS NOT NULL THEN 1 WHEN forward_fail_ns IS NOT NULL THEN 2 WHEN link_fail_ns IS NOT NULL THEN 3 ELSE 0 END AS oc,
      incoming_amt_msat AS ia, outgoing_amt_msat AS oa,
      coalesce(incoming_amt_msat != 0 AND outgoing_amt_msat != 0, 0) AS fee_ok,
      wire_failure AS wf, failure_detail AS fd
    FROM htlcs WHERE ${where} AND event_type = 3`;
}

const INSUFFICIENT_BALANCE = 6;

/** The channel-key totals, over side rows with flags i (arrived on g) and o (left on g). */
export function forwardAggregates(exact: boolean): AggregateList {
  return new AggregateList(exact)
    .count('in_forwards', 'i')
    .count('out_forwards', 'o')
    .count('out_settled', 'o AND oc = 1')
    .count('out_failed_here', 'o AND oc = 3')
    .count('out_failed_downstream', 'o AND oc = 2')
    .count('in_settled', 'i AND oc = 1')
    .sum('out_amt_msat', 'CASE WHEN o AND oc = 1 THEN oa END')
    .sum('earned_in', 'CASE WHEN o AND oc = 1 AND fee_ok THEN ia END')
    .sum('earned_out', 'CASE WHEN o AND oc = 1 AND fee_ok THEN oa END')
    .sum('missed_in', 'CASE WHEN o AND oc = 3 AND fee_ok THEN ia END')
    .sum('missed_out', 'CASE WHEN o AND oc = 3 AND fee_ok THEN oa END')
    .count('no_liquidity', `o AND oc = 3 AND fd = ${INSUFFICIENT_BALANCE}`)
    .sum('no_liquidity_msat', `CASE WHEN o AND oc = 3 AND fd = ${INSUFFICIENT_BALANCE} THEN oa END`);
}

/** Side rows per channel: each forward once on its incoming channel and once on its outgoing one (when not 0). */
export function channelSides(where: string): string {
  return `WITH f AS (${forwardRows(where)})
    SELECT node, inc AS g, 1 AS i, 0 AS o, oc, ia, oa, fee_ok, fd FROM f
    UNION ALL
    SELECT node, outc AS g, 0 AS i, 1 AS o, oc, ia, oa, fee_ok, fd FROM f WHERE outc != 0`;
}

/** One side row per forward, grouped by `group` (a time bucket, or a constant for the total). */
export function singleSides(where: string, group: string): string {
  return `SELECT node, ${group} AS g, 1 AS i, (outc != 0) AS o, oc, ia, oa, fee_ok, fd FROM (${forwardRows(where)})`;
}

/** Nearest-rank p50 and p90 of the settle time (ns) of settled forwards, per node and `group` over htlcs h. */
export function percentileSql(where: string, group: string): string {
  return `SELECT node, g, d, rn, n FROM (
      SELECT node, g, d, row_number() OVER (PARTITION BY node, g ORDER BY d) AS rn, count(*) OVER (PARTITION BY node, g) AS n
      FROM (SELECT h.node AS node, ${group} AS g, h.settle_ns - h.forward_ns AS d FROM htlcs h
            WHERE ${where} AND h.event_type = 3 AND h.settle_ns IS NOT NULL AND h.forward_ns IS NOT NULL AND h.outgoing_channel_id != 0))
    WHERE rn = (n * 50 + 99) / 100 OR rn = (n * 90 + 99) / 100`;
}

/** Settled receives and sends per node and `group`. */
export function paymentsSql(where: string, group: string): string {
  return `SELECT node, ${group} AS g, coalesce(sum(event_type = 2 AND settle_ns IS NOT NULL), 0), coalesce(sum(event_type = 1 AND settle_ns IS NOT NULL), 0)
    FROM htlcs WHERE ${where} AND event_type IN (1, 2) GROUP BY node, g`;
}

export function reasonAggregates(exact: boolean): AggregateList {
  return new AggregateList(exact)
    .count('count', '1')
    .sum('amt_msat', 'oa')
    .sum('missed_in', 'CASE WHEN fee_ok THEN ia END')
    .sum('missed_out', 'CASE WHEN fee_ok THEN oa END');
}

/** Failed-here forwards per node and failure codes. */
export function reasonSql(where: string, aggs: AggregateList): string {
  return `SELECT node, wf, fd, ${aggs.exprs.join(', ')} FROM (${forwardRows(where)}) WHERE oc = 3 GROUP BY node, wf, fd`;
}
