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
import { DurationSketch } from './duration-sketch.js';
import { TopCounter } from './top-counter.js';
import type { Mutable } from '../util/mutable.js';

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
    const byType = [...this.byType].sort((a, b) => a[0] - b[0]).map(([eventType, count]) => ({ eventType, count }));

    const inFlightForwards = opts.inFlight.filter((h) => h.eventType === EVENT_TYPE.FORWARD).length;
    const resolved = this.settled + this.failedDownstream + this.failedHere;

    const forwards: Mutable<Summary['forwards']> = {
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

    const summary: Mutable<Summary> = {
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
      const s: Mutable<StuckHtlc> = { ...h, ageNs: age.toString() };
      const lock = h.info ? h.info.incomingTimelock || h.info.outgoingTimelock : 0;
      if (opts.blockHeight !== undefined && lock > 0) s.blocksLeft = lock - opts.blockHeight;
      return s;
    });
    const out: Mutable<Summary['stuck']> = {
      afterSec: opts.stuckAfterSec,
      count: stuck.length,
      htlcs,
    };
    if (opts.blockHeight !== undefined) out.blockHeight = opts.blockHeight;
    return out;
  }
}
