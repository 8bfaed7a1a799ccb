/**
 * `htlc-tail report`: the rows of SPEC "Report", computed by SQLite over the
 * `htlcs` table of a store (a history file, or an in-memory store a capture
 * was loaded into: one aggregation path for both).
 *
 * A forward is one FORWARD HTLC (its incoming channel and htlc id), counted
 * once by its outcome; see history/derive.ts. The time range selects forwards
 * (and receives and sends) by the time they were first seen.
 */
import { FAILURE_CODE_NAMES, FAILURE_DETAIL_NAMES } from '../events/enums.js';
import { scidFromChannelId } from '../events/scid.js';
import { nsToMsDecimal } from '../format/pieces/ns-to-ms.js';
import { nodeLabel, type NodeRow } from '../history/nodes.js';
import type { Db } from '../history/sqlite.js';
import { sqliteCode } from '../history/sqlite.js';
import { u64FromDbBig } from '../history/u64.js';
import { FOREIGN, REPORT_KEYS, type Cell, type Report, type ReportBy, type ReportRow, type ReportSection } from './columns.js';
import { channelSides, forwardAggregates, paymentsSql, percentileSql, reasonAggregates, reasonSql, scopeWhere, singleSides, type Scope } from './sql.js';
import { foldPeers, peerOfChannel } from './peers.js';

export interface ReportQuery {
  readonly by: ReportBy;
  /** The nodes to report on (at least one); several give one section per node. */
  readonly nodes: readonly NodeRow[];
  readonly sinceNs?: bigint;
  readonly untilNs?: bigint;
}

const BUCKET_NS: Readonly<Record<'day' | 'hour', bigint>> = { day: 86_400_000_000_000n, hour: 3_600_000_000_000n };

type Totals = Record<string, bigint>;
type Pct = { p50?: bigint; p90?: bigint };
const key = (node: bigint | number, g: unknown) => `${node}|${String(g)}`;

/** Rows of `sql` (node, g, aggregates…) as totals by node|g. */
function grouped(db: Db, sql: string, args: unknown[], read: (row: unknown[]) => Totals): Map<string, { node: bigint; g: unknown; t: Totals }> {
  const out = new Map<string, { node: bigint; g: unknown; t: Totals }>();
  for (const row of db.prepare(sql).raw().safeIntegers().iterate(...args) as IterableIterator<unknown[]>) {
    out.set(key(row[0] as bigint, row[1]), { node: row[0] as bigint, g: row[1], t: read(row) });
  }
  return out;
}

function percentiles(db: Db, sql: string, args: unknown[]): Map<string, Pct> {
  const out = new Map<string, Pct>();
  for (const [node, g, d, rn, n] of db.prepare(sql).raw().safeIntegers().iterate(...args) as IterableIterator<[bigint, unknown, bigint, bigint, bigint]>) {
    const k = key(node, g);
    const p = out.get(k) ?? {};
    if (rn === (n * 50n + 99n) / 100n) p.p50 = d;
    if (rn === (n * 90n + 99n) / 100n) p.p90 = d;
    out.set(k, p);
  }
  return out;
}

const ms = (ns: bigint | undefined): Cell => (ns === undefined ? null : { ms: nsToMsDecimal(ns.toString()), ns: ns.toString() });

/** The channel keys' cells from an aggregate row and its percentiles. */
export function forwardCells(t: Totals, p: Pct | undefined): Record<string, Cell> {
  return {
    in_forwards: t.in_forwards!,
    out_forwards: t.out_forwards!,
    out_settled: t.out_settled!,
    out_failed_here: t.out_failed_here!,
    out_failed_downstream: t.out_failed_downstream!,
    in_settled: t.in_settled!,
    out_amt_msat: t.out_amt_msat!,
    fee_earned_msat: t.earned_in! - t.earned_out!,
    fee_missed_msat: t.missed_in! - t.missed_out!,
    no_liquidity: t.no_liquidity!,
    no_liquidity_msat: t.no_liquidity_msat!,
    settle_p50_ms: ms(p?.p50),
    settle_p90_ms: ms(p?.p90),
  };
}

function wideAmounts(db: Db): boolean {
  return db.prepare("SELECT 1 FROM meta WHERE key = 'wide_amounts'").pluck().get() !== undefined;
}

/** Builds the report. Money and counts are exact (BigInt from SQLite integers). */
export function buildReport(db: Db, q: ReportQuery): Report {
  const exact = wideAmounts(db);
  try {
    return build(db, q, exact);
  } catch (err) {
    if (!exact && sqliteCode(err) === 'SQLITE_ERROR' && /integer overflow/i.test((err as Error).message)) return build(db, q, true);
    throw err;
  }
}

function build(db: Db, q: ReportQuery, exact: boolean): Report {
  const scope: Scope = { nodes: q.nodes.map((n) => n.id), sinceNs: q.sinceNs, untilNs: q.untilNs };
  const w = scopeWhere(scope);
  const wh = scopeWhere(scope, 'h');
  const rowsByNode = new Map<number, ReportRow[]>(q.nodes.map((n) => [n.id, []]));
  const totals = new Map<number, ReportRow>();
  const push = (node: bigint, row: ReportRow) => rowsByNode.get(Number(node))?.push(row);

  if (q.by === 'reason') {
    const aggs = reasonAggregates(exact);
    const sums = new Map<number, Totals>(q.nodes.map((n) => [n.id, aggs.zero()]));
    for (const row of db.prepare(reasonSql(w.sql, aggs)).raw().safeIntegers().iterate(...w.args) as IterableIterator<unknown[]>) {
      const t = aggs.read(row, 3);
      const s = sums.get(Number(row[0]))!;
      for (const k of Object.keys(s)) s[k] = s[k]! + t[k]!;
      push(row[0] as bigint, {
        wire_failure: enumCell(row[1] as bigint | null, (n) => FAILURE_CODE_NAMES.get(n)),
        failure_detail: enumCell(row[2] as bigint | null, (n) => FAILURE_DETAIL_NAMES[n]),
        count: t.count!,
        amt_msat: t.amt_msat!,
        fee_missed_msat: t.missed_in! - t.missed_out!,
      });
    }
    for (const [node, s] of sums) totals.set(node, { count: s.count!, amt_msat: s.amt_msat!, fee_missed_msat: s.missed_in! - s.missed_out! });
  } else {
    const aggs = forwardAggregates(exact);
    const totalAgg = grouped(db, `SELECT node, 0, ${aggs.exprs.join(', ')} FROM (${singleSides(w.sql, '0')}) GROUP BY node`, w.args, (r) => aggs.read(r, 2));
    const totalPct = percentiles(db, percentileSql(wh.sql, '0'), wh.args);
    const bucketed = q.by === 'day' || q.by === 'hour';
    const totalPay = bucketed ? grouped(db, paymentsSql(w.sql, '0'), w.args, (r) => ({ receives: r[2] as bigint, sends: r[3] as bigint })) : undefined;
    const zero = aggs.zero();
    for (const n of q.nodes) {
      const k = key(n.id, 0n);
      const t = totalAgg.get(k)?.t ?? zero;
      const pay = totalPay?.get(k)?.t;
      totals.set(n.id, { ...forwardCells(t, totalPct.get(k)), ...(bucketed ? { receives: pay?.receives ?? 0n, sends: pay?.sends ?? 0n } : {}) });
    }
    if (bucketed) {
      const size = BUCKET_NS[q.by as 'day' | 'hour'];
      const group = (col: string) => `(${col} / ${size})`;
      const rows = grouped(db, `SELECT node, g, ${aggs.exprs.join(', ')} FROM (${singleSides(w.sql, group('first_ns'))}) GROUP BY node, g`, w.args, (r) => aggs.read(r, 2));
      const pct = percentiles(db, percentileSql(wh.sql, group('h.first_ns')), wh.args);
      const pay = grouped(db, paymentsSql(w.sql, group('first_ns')), w.args, (r) => ({ receives: r[2] as bigint, sends: r[3] as bigint }));
      const keys = new Map<string, { node: bigint; g: bigint }>();
      for (const m of [rows, pay]) for (const [k, v] of m) keys.set(k, { node: v.node, g: v.g as bigint });
      const sorted = [...keys.entries()].sort((a, b) => (a[1].g < b[1].g ? -1 : a[1].g > b[1].g ? 1 : 0));
      for (const [k, { node, g }] of sorted) {
        const p = pay.get(k)?.t;
        push(node, {
          start: bucketStart(g * size),
          ...forwardCells(rows.get(k)?.t ?? zero, pct.get(k)),
          receives: p?.receives ?? 0n,
          sends: p?.sends ?? 0n,
        });
      }
    } else {
      const rows = grouped(db, `SELECT node, g, ${aggs.exprs.join(', ')} FROM (${channelSides(w.sql)}) GROUP BY node, g`, w.args, (r) => aggs.read(r, 2));
      const channels = peerOfChannel(db, scope.nodes);
      if (q.by === 'channel') {
        const pct = percentiles(db, percentileSql(wh.sql, 'h.outgoing_channel_id'), wh.args);
        for (const [k, { node, g, t }] of rows) {
          const id = u64FromDbBig(g as bigint).toString();
          const known = channels.get(key(node, g));
          // A channel id the node never listed, seen only as the target of forwards refused here
          // (UNKNOWN_NEXT_PEER probes ask for random ids): the table folds these into one line.
          const foreign = known === undefined && t.in_forwards === 0n && t.out_forwards === t.out_failed_here;
          push(node, {
            channel_id: id,
            scid: scidFromChannelId(id),
            alias: known?.alias ?? null,
            ...forwardCells(t, pct.get(k)),
            ...(foreign ? { [FOREIGN]: 'true' } : {}),
          });
        }
      } else {
        const peerExpr = '(SELECT c.peer_pubkey FROM channels c WHERE c.node = h.node AND c.channel_id = h.outgoing_channel_id)';
        const pct = percentiles(db, percentileSql(wh.sql, peerExpr), wh.args);
        for (const p of foldPeers(rows, channels)) {
          push(p.node, { peer_pubkey: p.pubkey, alias: p.alias, ...forwardCells(p.t, pct.get(key(p.node, p.pubkey))) });
        }
      }
    }
  }
  const multi = q.nodes.length > 1;
  const sections: ReportSection[] = q.nodes.map((n) => ({
    ...(multi ? { node: nodeLabel(n) } : {}),
    rows: sortRows(q.by, rowsByNode.get(n.id)!),
    total: totals.get(n.id)!,
  }));
  return { by: q.by, keys: multi ? ['node', ...REPORT_KEYS[q.by]] : REPORT_KEYS[q.by], sections };
}

function enumCell(v: bigint | null, name: (n: number) => string | undefined): Cell {
  if (v === null) return null;
  return name(Number(v)) ?? v;
}

function bucketStart(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString().replace(/\.000Z$/, 'Z');
}

const big = (c: Cell): bigint => (typeof c === 'bigint' ? c : 0n);
const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const text = (c: Cell): string => (c === null ? '\uffff' : String(c));

/** SPEC order: channels and peers by out_forwards descending, reasons by count descending, buckets by time. */
function sortRows(by: ReportBy, rows: ReportRow[]): ReportRow[] {
  if (by === 'day' || by === 'hour') return rows;
  if (by === 'reason') {
    return rows.sort((a, b) => cmpBig(big(b.count!), big(a.count!)) || text(a.wire_failure!).localeCompare(text(b.wire_failure!)) || text(a.failure_detail!).localeCompare(text(b.failure_detail!)));
  }
  return rows.sort(
    (a, b) =>
      cmpBig(big(b.out_forwards!), big(a.out_forwards!)) ||
      cmpBig(big(b.in_forwards!), big(a.in_forwards!)) ||
      (by === 'channel' ? cmpBig(BigInt(a.channel_id as string), BigInt(b.channel_id as string)) : text(a.peer_pubkey!) < text(b.peer_pubkey!) ? -1 : 1),
  );
}

