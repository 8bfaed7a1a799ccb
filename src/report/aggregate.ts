/**
 * `htlc-tail report`: the rows of SPEC "Report", computed by SQLite over the
 * `htlcs` table of a store (a history file, or an in-memory store a capture
 * was loaded into: one aggregation path for both).
 *
 * A forward is one FORWARD HTLC (its incoming channel and htlc id), counted
 * once by its outcome; see history/derive.ts. The time range selects forwards
 * (and receives and sends) by the time they were first seen.
 *
 * Work per report: channels and peers, one pass over the covering index
 * htlcs_out in its order, grouped by (outgoing, incoming) channel pair and
 * folded here into channels (no sort, no table lookup); time buckets, one
 * grouped scan of the forwards and one of the receives and sends; settle
 * times gathered in the same pass (nearest-rank percentiles in JS for every
 * group and the total at once). Totals are the sums of the rows (every
 * forward has one incoming channel, at most one outgoing one, one bucket).
 *
 * Longer than most files (about 350 lines): the report's SQL and the folding of its rows belong
 * together (each query's columns are read by the code right below it).
 */
import { FAILURE_CODE_NAMES, FAILURE_DETAIL_NAMES } from '../events/enums.js';
import { scidFromChannelId } from '../events/scid.js';
import { nsToMsDecimal } from '../format/pieces/ns-to-ms.js';
import { nodeLabel, type NodeRow } from '../history/nodes.js';
import { sqliteCode, type Db } from '../history/sqlite.js';
import { u64FromDbBig } from '../history/u64.js';
import {
  cellText,
  FOREIGN,
  FORWARD_KEYS,
  REPORT_KEYS,
  type Cell,
  type Report,
  type ReportBy,
  type ReportRow,
  type ReportSection,
} from './columns.js';
import { foldPeers, peerOfChannel } from './peers.js';
import {
  bucketSql,
  forwardAggregates,
  pairSql,
  paymentsSql,
  reasonAggregates,
  reasonSql,
  scopeWhere,
  type Scope,
} from './sql.js';

export interface ReportQuery {
  readonly by: ReportBy;
  /** The nodes to report on (at least one); several give one section per node. */
  readonly nodes: readonly NodeRow[];
  readonly sinceNs?: bigint;
  readonly untilNs?: bigint;
}

const BUCKET_NS: Readonly<Record<'day' | 'hour', bigint>> = { day: 86_400_000_000_000n, hour: 3_600_000_000_000n };

type Totals = Record<string, bigint>;
interface Group {
  readonly node: bigint;
  readonly g: unknown;
  readonly t: Totals;
}
const key = (node: bigint | number, g: unknown) => `${node}|${String(g)}`;

/** Rows of `sql` (node, g, values…) by node|g. */
function grouped(db: Db, sql: string, args: unknown[], read: (row: unknown[]) => Totals): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const row of db
    .prepare(sql)
    .raw()
    .safeIntegers()
    .iterate(...args) as IterableIterator<unknown[]>) {
    out.set(key(row[0] as bigint, row[1]), { node: row[0] as bigint, g: row[1], t: read(row) });
  }
  return out;
}

/**
 * SQLite's `ns,ns,…` list as numbers, parsed by hand (no split, no Number()
 * per value: a million settle times are part of a report's cost). Every value
 * is below 2^53 in magnitude (see sql.ts), so v * 10 + digit stays exact.
 */
export function parseNsList(s: string): Float64Array {
  let n = 1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 44) n++;
  const out = new Float64Array(n);
  let v = 0;
  let neg = false;
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 44) {
      out[j++] = neg ? -v : v;
      v = 0;
      neg = false;
    } else if (c === 45) neg = true;
    else v = v * 10 + (c - 48);
  }
  out[j] = neg ? -v : v;
  return out;
}

/**
 * Settle times by group (one list per channel or bucket, parsed once; a
 * node's total and a peer join several lists), sorted per group:
 * nearest-rank p50 and p90, exact.
 */
class SettleTimes {
  private readonly lists = new Map<string, Float64Array[]>();
  add(k: string, values: Float64Array | undefined): void {
    if (values === undefined) return;
    const l = this.lists.get(k);
    if (l) l.push(values);
    else this.lists.set(k, [values]);
  }
  cells(k: string): { settle_p50_ms: Cell; settle_p90_ms: Cell } {
    const lists = this.lists.get(k);
    if (!lists) return { settle_p50_ms: null, settle_p90_ms: null };
    let values: Float64Array;
    if (lists.length === 1) values = lists[0]!.slice();
    else {
      values = new Float64Array(lists.reduce((n, l) => n + l.length, 0));
      let at = 0;
      for (const l of lists) {
        values.set(l, at);
        at += l.length;
      }
    }
    values.sort();
    const rank = (p: number) => BigInt(values[Math.ceil((p * values.length) / 100) - 1]!);
    return { settle_p50_ms: ms(rank(50)), settle_p90_ms: ms(rank(90)) };
  }
}

const ms = (ns: bigint): Cell => ({ ms: nsToMsDecimal(ns.toString()), ns: ns.toString() });

/** The channel keys' cells (percentiles apart) from aggregate values; absent values are 0. */
function forwardCells(t: Totals): Record<string, Cell> {
  const v = (k: string) => t[k] ?? 0n;
  return {
    in_forwards: v('in_forwards'),
    out_forwards: v('out_forwards'),
    out_settled: v('out_settled'),
    out_failed_here: v('out_failed_here'),
    out_failed_downstream: v('out_failed_downstream'),
    in_settled: v('in_settled'),
    out_amt_msat: v('out_amt_msat'),
    // Exact form: the incoming and outgoing sums apart; plain form: the sum of the fees (earned_out absent, 0).
    fee_earned_msat: v('earned_in') - v('earned_out'),
    fee_missed_msat: v('missed_in') - v('missed_out'),
    no_liquidity: v('no_liquidity'),
    no_liquidity_msat: v('no_liquidity_msat'),
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
    // sum() raises rather than wraps: redo the sums in the exact form.
    if (!exact && sqliteCode(err) === 'SQLITE_ERROR' && /integer overflow/i.test((err as Error).message))
      return build(db, q, true);
    throw err;
  }
}

function build(db: Db, q: ReportQuery, exact: boolean): Report {
  const scope: Scope = { nodes: q.nodes.map((n) => n.id), sinceNs: q.sinceNs, untilNs: q.untilNs };
  const w = scopeWhere(scope);
  const rows = new Map<number, ReportRow[]>(q.nodes.map((n) => [n.id, []]));
  const push = (node: bigint, row: ReportRow) => rows.get(Number(node))?.push(row);
  const extra = new Map<number, ReportRow>(); // total cells that are not sums of the rows

  if (q.by === 'reason') {
    const aggs = reasonAggregates(exact);
    for (const row of db
      .prepare(reasonSql(w.sql, aggs))
      .raw()
      .safeIntegers()
      .iterate(...w.args) as IterableIterator<unknown[]>) {
      const t = aggs.read(row, 3);
      push(row[0] as bigint, {
        wire_failure: enumCell(row[1] as bigint | null, (n) => FAILURE_CODE_NAMES.get(n)),
        failure_detail: enumCell(row[2] as bigint | null, (n) => FAILURE_DETAIL_NAMES[n]),
        count: t.count!,
        amt_msat: t.amt_msat!,
        fee_missed_msat: t.missed_in! - (t.missed_out ?? 0n),
      });
    }
  } else {
    const bucketed = q.by === 'day' || q.by === 'hour';
    const channels = peerOfChannel(db, scope.nodes);
    const size = bucketed ? BUCKET_NS[q.by] : 0n;
    // Settle times come with the out-side rows (last column); each list also joins its node's total.
    const times = new SettleTimes();
    const withTimes = (read: (r: unknown[]) => Totals) => (r: unknown[]) => {
      const t = read(r);
      const k = key(r[0] as bigint, r[1]);
      const last = r[r.length - 1];
      const csv = typeof last === 'string' && last !== '' ? parseNsList(last) : undefined;
      times.add(q.by === 'peer' ? key(r[0] as bigint, channels.get(k)?.pubkey ?? null) : k, csv);
      times.add(`${(r[0] as bigint).toString()}|total`, csv);
      return t;
    };

    if (bucketed) {
      const aggs = forwardAggregates(exact, { inSide: true, out: 'outc != 0' });
      const fwd = grouped(
        db,
        bucketSql(w.sql, aggs, size),
        w.args,
        withTimes((r) => aggs.read(r, 2)),
      );
      const pay = grouped(db, paymentsSql(w.sql, `first_ns / ${size}`), w.args, (r) => ({
        receives: r[2] as bigint,
        sends: r[3] as bigint,
      }));
      const all = new Map<string, { node: bigint; g: bigint }>();
      for (const m of [fwd, pay]) for (const [k, v] of m) all.set(k, { node: v.node, g: v.g as bigint });
      for (const [k, { node, g }] of [...all].sort((a, b) => cmpBig(a[1].g, b[1].g))) {
        const p = pay.get(k)?.t;
        push(node, {
          start: bucketStart(g * size),
          ...forwardCells(fwd.get(k)?.t ?? {}),
          ...times.cells(k),
          receives: p?.receives ?? 0n,
          sends: p?.sends ?? 0n,
        });
      }
    } else {
      // One pass over the channel pairs: a pair's forwards and settled ones count on its incoming
      // channel (in_forwards, in_settled) and, with an outgoing side, every key on its outgoing one.
      const aggs = forwardAggregates(exact, { inSide: false, out: '1' });
      const merged = new Map<string, Group>();
      const totalsOf = (node: bigint, g: unknown): Totals => {
        const k = key(node, g);
        let e = merged.get(k);
        if (e === undefined) merged.set(k, (e = { node, g, t: {} }));
        return e.t;
      };
      const add = (t: Totals, name: string, v: bigint) => (t[name] = (t[name] ?? 0n) + v);
      for (const r of db
        .prepare(pairSql(w.sql, aggs))
        .raw()
        .safeIntegers()
        .iterate(...w.args) as IterableIterator<unknown[]>) {
        const node = r[0] as bigint;
        const outc = r[1] as bigint;
        const v = aggs.read(r, 3);
        const tin = totalsOf(node, r[2]);
        add(tin, 'in_forwards', v.out_forwards!);
        add(tin, 'in_settled', v.out_settled!);
        if (outc === 0n) continue;
        const tout = totalsOf(node, outc);
        for (const [name, x] of Object.entries(v)) add(tout, name, x);
        const last = r[r.length - 1];
        const list = typeof last === 'string' && last !== '' ? parseNsList(last) : undefined;
        const k = key(node, outc);
        times.add(q.by === 'peer' ? key(node, channels.get(k)?.pubkey ?? null) : k, list);
        times.add(`${node}|total`, list);
      }
      if (q.by === 'channel') {
        for (const [k, { node, g, t }] of merged) {
          const id = u64FromDbBig(g as bigint).toString();
          const known = channels.get(key(node, g));
          const cells = forwardCells(t);
          // A channel id the node never listed, seen only as the target of forwards refused here
          // (UNKNOWN_NEXT_PEER probes ask for random ids): the table folds these into one line.
          const foreign =
            known === undefined && cells.in_forwards === 0n && cells.out_forwards === cells.out_failed_here;
          push(node, {
            channel_id: id,
            scid: scidFromChannelId(id),
            alias: known?.alias ?? null,
            ...cells,
            ...times.cells(k),
            ...(foreign ? { [FOREIGN]: 'true' } : {}),
          });
        }
      } else {
        for (const p of foldPeers(merged, channels)) {
          push(p.node, {
            peer_pubkey: p.pubkey,
            alias: p.alias,
            ...forwardCells(p.t),
            ...times.cells(key(p.node, p.pubkey)),
          });
        }
      }
    }
    for (const n of q.nodes) extra.set(n.id, times.cells(`${n.id}|total`));
  }
  const multi = q.nodes.length > 1;
  const sections: ReportSection[] = q.nodes.map((n) => {
    const list = sortRows(q.by, rows.get(n.id)!);
    return {
      ...(multi ? { node: nodeLabel(n) } : {}),
      rows: list,
      total: { ...sumRows(q.by, list), ...extra.get(n.id) },
    };
  });
  return { by: q.by, keys: multi ? ['node', ...REPORT_KEYS[q.by]] : REPORT_KEYS[q.by], sections };
}

/** The total row: every quantity key summed over the rows (percentiles come separately). */
function sumRows(by: ReportBy, list: readonly ReportRow[]): ReportRow {
  const keys = REPORT_KEYS[by].filter(
    (k) =>
      !k.startsWith('settle_') &&
      !['channel_id', 'scid', 'alias', 'peer_pubkey', 'wire_failure', 'failure_detail', 'start'].includes(k),
  );
  const out: Record<string, Cell> = Object.fromEntries(keys.map((k) => [k, 0n]));
  for (const r of list) for (const k of keys) out[k] = (out[k] as bigint) + (r[k] as bigint);
  if (FORWARD_KEYS.some((k) => keys.includes(k))) Object.assign(out, { settle_p50_ms: null, settle_p90_ms: null });
  return out;
}

function enumCell(v: bigint | null, name: (n: number) => string | undefined): Cell {
  if (v === null) return null;
  return name(Number(v)) ?? v;
}

function bucketStart(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString().replace(/\.000Z$/, 'Z');
}

const big = (c: Cell | undefined): bigint => (typeof c === 'bigint' ? c : 0n);
const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const text = (c: Cell | undefined): string => (c === null || c === undefined ? '\uffff' : cellText(c));

/** SPEC order: channels and peers by out_forwards descending, reasons by count descending, buckets by time. */
function sortRows(by: ReportBy, list: ReportRow[]): ReportRow[] {
  if (by === 'day' || by === 'hour') return list;
  if (by === 'reason') {
    return list.sort(
      (a, b) =>
        cmpBig(big(b.count), big(a.count)) ||
        text(a.wire_failure).localeCompare(text(b.wire_failure)) ||
        text(a.failure_detail).localeCompare(text(b.failure_detail)),
    );
  }
  return list.sort(
    (a, b) =>
      cmpBig(big(b.out_forwards), big(a.out_forwards)) ||
      cmpBig(big(b.in_forwards), big(a.in_forwards)) ||
      (by === 'channel'
        ? cmpBig(BigInt(a.channel_id as string), BigInt(b.channel_id as string))
        : text(a.peer_pubkey) < text(b.peer_pubkey)
          ? -1
          : 1),
  );
}
