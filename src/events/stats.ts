/**
 * Summary statistics over a correlated event stream (`--stats`, `--stats-interval`).
 *
 * `Stats.add(ev)` takes each event after `Correlator.apply`; `snapshot(...)`
 * returns a Summary (plain data; format/summary.ts turns it into text). Pure: no
 * I/O, no clock; "now" and the block height come in as arguments.
 *
 * What is counted (the README documents these rules):
 * - Replays (`corr.replayed`) are counted only in `events.replayed`, nowhere else.
 * - Events by kind (every kind, `subscribed` included) and by type: an event's own
 *   `event_type`, or for one whose own type is UNKNOWN (a `final_htlc`) the type of
 *   its HTLC's first event when correlation knows it, as `--type` filters; so a
 *   forward's `final_htlc` counts under FORWARD. `subscribed` counts under UNKNOWN.
 * - An event belongs to a FORWARD when its own event_type is FORWARD, or it is
 *   UNKNOWN and its HTLC's first event (corr.firstEventType) was a FORWARD.
 * - Forwards settled: FORWARD `settle` events. Failed downstream: FORWARD
 *   `forward_fail`. Failed here: FORWARD `link_fail`. (`final_htlc` is not counted
 *   again.) In flight: the correlator's unresolved FORWARD HTLCs at snapshot time.
 * - Success rate: settled / (settled + failed downstream + failed here); absent when 0/0.
 * - Fees earned: Σ (incoming − outgoing amount) over settled forwards whose amounts are
 *   known (from the forward this run saw), exact msat in BigInt. Settled forwards whose
 *   forward was not seen (the tool started mid-flight) are counted in `settledWithoutAmounts`.
 * - Top failure reasons: every `link_fail` (any type: only link_fail carries a reason),
 *   by (wire_failure, failure_detail). Top failing channel pairs: failed forwards
 *   (link_fail and forward_fail), by (incoming channel, outgoing channel).
 *   Both tables are exact while they hold at most 10,000 distinct keys; beyond
 *   that they become a Space-Saving top-k sketch (counts are then upper bounds, over
 *   by at most total/10,000, and `approximate` is set).
 * - Settle time percentiles of forwards (from `durationNs` of FORWARD settles): nearest-rank
 *   (the value at rank ⌈p·n/100⌉ of the sorted samples). Exact for the first 10,000 samples;
 *   after that from a log-linear histogram (64 sub-buckets per power of two, bucket
 *   midpoint), within 0.8% of the exact value; `exact` tells which. Negative durations
 *   (clock steps) count as 0.
 * - Stuck: in-flight HTLCs older than `stuckAfterSec`, oldest first, with their age and,
 *   when the block height is known, the blocks left before the incoming timelock (for a
 *   SEND, which has no incoming side, the outgoing timelock); negative when it has passed.
 *
 * Memory: fixed, apart from the two top-k tables (≤ 10,000 keys each) and the exact
 * duration sample (≤ 10,000 numbers) and histogram (3,136 counters).
 */
import { EVENT_KINDS, type EventKind, type HtlcEvent, type HtlcInfo } from './model.js';
import { EVENT_TYPE } from './enums.js';
import type { InFlightHtlc } from './correlate.js';

/** Distinct keys a top-k table holds exactly before it turns into a sketch. */
export const TOP_TABLE_CAPACITY = 10_000;
/** Samples kept exactly before percentiles come from the histogram. */
export const EXACT_SAMPLES = 10_000;
/** Entries of a top list in a Summary. */
export const TOP_N = 5;
/** Stuck HTLCs listed in a Summary (all are counted). */
export const STUCK_LISTED = 10;
const MAX_EVENT_TYPES = 64;
const OTHER_TYPE = -1;

export interface CountByType {
  /** lnd's event_type number; -1 lumps numbers beyond the first 64 distinct ones (a misbehaving server). */
  readonly eventType: number;
  readonly count: number;
}

export interface FailureReasonCount {
  readonly wireFailure: number;
  readonly failureDetail: number;
  readonly count: number;
}

export interface ChannelPairCount {
  readonly incomingChannelId: string;
  readonly outgoingChannelId: string;
  readonly count: number;
}

export interface TopList<T> {
  /** At most TOP_N entries, highest count first, ties in key order. */
  readonly top: readonly T[];
  /** Events counted into this table. */
  readonly total: number;
  /** The table overflowed its capacity: counts are upper bounds. */
  readonly approximate: boolean;
}

export interface StuckHtlc extends InFlightHtlc {
  /** Blocks until the incoming timelock (SEND: outgoing), when the block height and timelock are known. */
  readonly blocksLeft?: number;
}

export interface Summary {
  readonly events: {
    /** Every event added, replays included. */
    readonly total: number;
    /** Not replays, by kind (every kind present, zero when none). */
    readonly byKind: Readonly<Record<EventKind, number>>;
    /** Not replays, by type (a final_htlc by its HTLC's first event's type, when known); ascending type number. */
    readonly byType: readonly CountByType[];
    readonly replayed: number;
  };
  readonly forwards: {
    readonly settled: number;
    readonly failedDownstream: number;
    readonly failedHere: number;
    /** Unresolved FORWARD HTLCs (from the snapshot's inFlight). */
    readonly inFlight: number;
    /** settled / (settled + failedDownstream + failedHere), 0..1; absent when nothing resolved. */
    readonly successRate?: number;
    /** Exact msat, decimal string. */
    readonly feesEarnedMsat: string;
    /** Settled forwards whose amounts were not known (their forward was not seen). */
    readonly settledWithoutAmounts: number;
  };
  /** All unresolved HTLCs at snapshot time (any type). */
  readonly inFlightTotal: number;
  readonly failureReasons: TopList<FailureReasonCount>;
  readonly failingPairs: TopList<ChannelPairCount>;
  /** Absent when no forward settle had a duration. Values in ns, decimal strings. */
  readonly settleTime?: {
    readonly count: number;
    readonly p50Ns: string;
    readonly p90Ns: string;
    readonly p99Ns: string;
    readonly exact: boolean;
  };
  readonly stuck: {
    readonly afterSec: number;
    readonly blockHeight?: number;
    /** All stuck HTLCs. */
    readonly count: number;
    /** The oldest STUCK_LISTED of them, oldest first. */
    readonly htlcs: readonly StuckHtlc[];
  };
  /** lnd timestamps of the first and last HTLC event added (decimal ns), when any had one. */
  readonly window?: { readonly fromNs: string; readonly toNs: string };
}

export interface SnapshotOptions {
  /** "Now" in Unix ns, in lnd's clock domain (the caller's wall clock, or the newest event's timestamp). */
  readonly nowNs: bigint;
  readonly stuckAfterSec: number;
  /** From GetInfo, when known. */
  readonly blockHeight?: number;
  /** `Correlator.inFlight(nowNs)`. */
  readonly inFlight: readonly InFlightHtlc[];
}

/**
 * Counts per key; exact up to `capacity` distinct keys, then Space-Saving
 * (Metwally et al.): a new key replaces the smallest counter and inherits its
 * count + 1, so every reported count is ≥ the true one and over by ≤ total/capacity.
 */
export class TopCounter {
  private readonly counts = new Map<string, number>();
  private totalCount = 0;
  private overflowed = false;

  constructor(private readonly capacity: number = TOP_TABLE_CAPACITY) {}

  add(key: string): void {
    this.totalCount++;
    const c = this.counts.get(key);
    if (c !== undefined) {
      this.counts.set(key, c + 1);
      return;
    }
    if (this.counts.size < this.capacity) {
      this.counts.set(key, 1);
      return;
    }
    let minKey: string | undefined;
    let min = Infinity;
    for (const [k, v] of this.counts) {
      if (v < min) {
        min = v;
        minKey = k;
      }
    }
    if (minKey !== undefined) this.counts.delete(minKey);
    this.counts.set(key, min + 1);
    this.overflowed = true;
  }

  get total(): number {
    return this.totalCount;
  }

  get approximate(): boolean {
    return this.overflowed;
  }

  /** The n largest, count descending, then key ascending (code-unit order). */
  top(n: number): Array<[string, number]> {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, n);
  }
}

const SUB_BITS = 6;
const SUB = 1 << SUB_BITS; // 64 sub-buckets per power of two
const MAX_EXP = 53;
const HIST_SIZE = SUB + (MAX_EXP - SUB_BITS + 1) * SUB; // 3136
const MAX_VALUE = 2 ** MAX_EXP - 1;

function floorLog2(v: number): number {
  let e = Math.floor(Math.log2(v));
  if (2 ** e > v) e--;
  else if (2 ** (e + 1) <= v) e++;
  return e;
}

function bucketOf(v: number): number {
  if (v < SUB) return v;
  const e = floorLog2(v);
  const shift = e - SUB_BITS;
  const sub = Math.floor(v / 2 ** shift) - SUB; // 0..63
  return SUB + shift * SUB + sub;
}

/** Midpoint of a bucket (exact value for the unit-wide buckets below 64). */
function bucketValue(i: number): number {
  if (i < SUB) return i;
  const shift = Math.floor((i - SUB) / SUB);
  const sub = (i - SUB) % SUB;
  const width = 2 ** shift;
  const lower = (SUB + sub) * width;
  return lower + Math.floor((width - 1) / 2);
}

/**
 * Durations in ns: exact samples for the first EXACT_SAMPLES, and a log-linear
 * histogram throughout. Percentiles are nearest-rank.
 */
export class DurationSketch {
  private samples: number[] | undefined = [];
  private readonly hist = new Float64Array(HIST_SIZE);
  private n = 0;
  private min = Infinity;
  private max = -Infinity;

  constructor(private readonly exactCap: number = EXACT_SAMPLES) {}

  add(ns: bigint): void {
    const v = ns <= 0n ? 0 : ns >= BigInt(MAX_VALUE) ? MAX_VALUE : Number(ns);
    this.n++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.hist[bucketOf(v)]!++;
    if (this.samples !== undefined) {
      if (this.samples.length < this.exactCap) this.samples.push(v);
      else this.samples = undefined; // from now on, the histogram
    }
  }

  get count(): number {
    return this.n;
  }

  get exact(): boolean {
    return this.samples !== undefined;
  }

  /** Nearest-rank percentiles (p in 0..100) in ns; undefined when empty. */
  percentiles(ps: readonly number[]): number[] | undefined {
    if (this.n === 0) return undefined;
    const ranks = ps.map((p) => Math.min(this.n, Math.max(1, Math.ceil((p * this.n) / 100))));
    if (this.samples !== undefined) {
      const sorted = Float64Array.from(this.samples).sort();
      return ranks.map((r) => sorted[r - 1]!);
    }
    return ranks.map((r) => {
      let cum = 0;
      for (let i = 0; i < HIST_SIZE; i++) {
        cum += this.hist[i]!;
        if (cum >= r) return Math.min(this.max, Math.max(this.min, bucketValue(i)));
      }
      return this.max;
    });
  }
}

function isForward(ev: HtlcEvent): boolean {
  if (ev.eventType === EVENT_TYPE.FORWARD) return true;
  return ev.eventType === EVENT_TYPE.UNKNOWN && ev.corr?.firstEventType === EVENT_TYPE.FORWARD;
}

/** The HtlcInfo that applies to an event: its own, or its first event's. */
function infoOf(ev: HtlcEvent): HtlcInfo | undefined {
  return ev.info ?? ev.corr?.info;
}

function feeOf(info: HtlcInfo | undefined): bigint | undefined {
  if (!info) return undefined;
  const inAmt = BigInt(info.incomingAmtMsat);
  const outAmt = BigInt(info.outgoingAmtMsat);
  if (inAmt === 0n || outAmt === 0n) return undefined;
  return inAmt - outAmt;
}

export class Stats {
  private total = 0;
  private htlcCount = 0;
  private replayed = 0;
  private readonly byKind = new Map<EventKind, number>();
  private readonly byType = new Map<number, number>();
  private settled = 0;
  private failedDownstream = 0;
  private failedHere = 0;
  private fees = 0n;
  private settledWithoutAmounts = 0;
  private readonly reasons = new TopCounter();
  private readonly pairs = new TopCounter();
  private readonly settleTimes = new DurationSketch();
  private firstTs: bigint | undefined;
  private lastTs: bigint | undefined;

  /** HTLC events added (every kind but `subscribed`, replays included): 0 means there is nothing to summarize. */
  get htlcEvents(): number {
    return this.htlcCount;
  }

  add(ev: HtlcEvent): void {
    this.total++;
    if (ev.event !== 'subscribed') this.htlcCount++;
    if (ev.corr?.replayed) {
      this.replayed++;
      return;
    }
    this.byKind.set(ev.event, (this.byKind.get(ev.event) ?? 0) + 1);
    let t = ev.eventType;
    if (t === EVENT_TYPE.UNKNOWN && ev.corr?.firstEventType !== undefined) t = ev.corr.firstEventType;
    if (!this.byType.has(t) && this.byType.size >= MAX_EVENT_TYPES) t = OTHER_TYPE;
    this.byType.set(t, (this.byType.get(t) ?? 0) + 1);

    if (ev.event === 'subscribed' || ev.event === 'unknown') return;
    if (ev.timestampNs !== '0') {
      const ts = BigInt(ev.timestampNs);
      if (this.firstTs === undefined || ts < this.firstTs) this.firstTs = ts;
      if (this.lastTs === undefined || ts > this.lastTs) this.lastTs = ts;
    }

    if (ev.event === 'link_fail') {
      this.reasons.add(`${ev.wireFailure ?? 0}:${ev.failureDetail ?? 0}`);
    }
    if (!isForward(ev)) return;
    switch (ev.event) {
      case 'settle': {
        this.settled++;
        const fee = feeOf(infoOf(ev));
        if (fee === undefined) this.settledWithoutAmounts++;
        else this.fees += fee;
        if (ev.corr?.durationNs !== undefined) this.settleTimes.add(BigInt(ev.corr.durationNs));
        break;
      }
      case 'forward_fail':
        this.failedDownstream++;
        this.pairs.add(`${ev.incomingChannelId}>${ev.outgoingChannelId}`);
        break;
      case 'link_fail':
        this.failedHere++;
        this.pairs.add(`${ev.incomingChannelId}>${ev.outgoingChannelId}`);
        break;
      default:
        break;
    }
  }

  snapshot(opts: SnapshotOptions): Summary {
    const byKind = Object.fromEntries(EVENT_KINDS.map((k) => [k, this.byKind.get(k) ?? 0])) as Record<
      EventKind,
      number
    >;
    const byType = [...this.byType]
      .sort((a, b) => a[0] - b[0])
      .map(([eventType, count]) => ({ eventType, count }));

    const inFlightForwards = opts.inFlight.filter((h) => h.eventType === EVENT_TYPE.FORWARD).length;
    const resolved = this.settled + this.failedDownstream + this.failedHere;

    const forwards: { -readonly [K in keyof Summary['forwards']]: Summary['forwards'][K] } = {
      settled: this.settled,
      failedDownstream: this.failedDownstream,
      failedHere: this.failedHere,
      inFlight: inFlightForwards,
      feesEarnedMsat: this.fees.toString(),
      settledWithoutAmounts: this.settledWithoutAmounts,
    };
    if (resolved > 0) forwards.successRate = this.settled / resolved;

    const failureReasons: TopList<FailureReasonCount> = {
      top: this.reasons.top(TOP_N).map(([k, count]) => {
        const [w, d] = k.split(':');
        return { wireFailure: Number(w), failureDetail: Number(d), count };
      }),
      total: this.reasons.total,
      approximate: this.reasons.approximate,
    };
    const failingPairs: TopList<ChannelPairCount> = {
      top: this.pairs.top(TOP_N).map(([k, count]) => {
        const [i, o] = k.split('>');
        return { incomingChannelId: i!, outgoingChannelId: o!, count };
      }),
      total: this.pairs.total,
      approximate: this.pairs.approximate,
    };

    const summary: { -readonly [K in keyof Summary]: Summary[K] } = {
      events: { total: this.total, byKind, byType, replayed: this.replayed },
      forwards,
      inFlightTotal: opts.inFlight.length,
      failureReasons,
      failingPairs,
      stuck: this.stuck(opts),
    };
    const ps = this.settleTimes.percentiles([50, 90, 99]);
    if (ps) {
      summary.settleTime = {
        count: this.settleTimes.count,
        p50Ns: BigInt(ps[0]!).toString(),
        p90Ns: BigInt(ps[1]!).toString(),
        p99Ns: BigInt(ps[2]!).toString(),
        exact: this.settleTimes.exact,
      };
    }
    if (this.firstTs !== undefined && this.lastTs !== undefined) {
      summary.window = { fromNs: this.firstTs.toString(), toNs: this.lastTs.toString() };
    }
    return summary;
  }

  private stuck(opts: SnapshotOptions): Summary['stuck'] {
    const afterNs = BigInt(Math.max(0, Math.round(opts.stuckAfterSec * 1000))) * 1_000_000n;
    const stuck: Array<{ h: InFlightHtlc; age: bigint }> = [];
    for (const h of opts.inFlight) {
      const age = opts.nowNs - BigInt(h.firstSeenNs);
      if (age > afterNs) stuck.push({ h, age });
    }
    stuck.sort((a, b) => (a.age > b.age ? -1 : a.age < b.age ? 1 : 0));
    const htlcs = stuck.slice(0, STUCK_LISTED).map(({ h, age }): StuckHtlc => {
      const s: { -readonly [K in keyof StuckHtlc]: StuckHtlc[K] } = { ...h, ageNs: age.toString() };
      const lock = h.info ? h.info.incomingTimelock || h.info.outgoingTimelock : 0;
      if (opts.blockHeight !== undefined && lock > 0) s.blocksLeft = lock - opts.blockHeight;
      return s;
    });
    const out: { -readonly [K in keyof Summary['stuck']]: Summary['stuck'][K] } = {
      afterSec: opts.stuckAfterSec,
      count: stuck.length,
      htlcs,
    };
    if (opts.blockHeight !== undefined) out.blockHeight = opts.blockHeight;
    return out;
  }
}
