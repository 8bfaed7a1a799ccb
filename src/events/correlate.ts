/**
 * Correlation inside one stream: turns lnd's fragments into facts about one HTLC.
 *
 * lnd's `settle` and `forward_fail` carry no amounts, `final_htlc` carries only
 * the incoming (channel, htlc id), and events may be replayed after a restart.
 * `Correlator.apply(ev)` fills in `ev.corr` (see Correlation in model.ts):
 *
 * - `settle`/`forward_fail` after the `forward` with the same four ids: the
 *   forward's HtlcInfo and event_type, and `durationNs` from the forward.
 * - `final_htlc` after any earlier event with the same incoming (channel, htlc id)
 *   (forward, settle, forward_fail, link_fail): the HtlcInfo and event_type of
 *   the HTLC's first event, and `durationNs` from it.
 * - A kind already seen with the same four ids: `replayed: true`, the first
 *   event's info and type, no `durationNs`; the first event and the clock stay.
 * - Every other HTLC event (a first event, or one that matches nothing) gets
 *   `{ firstEventType: its own event_type, info: its own HtlcInfo when set }`.
 * - `subscribed` and `unknown` pass through untouched (no `corr`).
 *
 * Identity of an HTLC:
 * - incoming channel != 0 (FORWARD, RECEIVE, final_htlc): the incoming
 *   (channel, htlc id). An event whose outgoing ids differ from those the HTLC
 *   was first seen with is not the same HTLC (the four-id rule) and is left
 *   uncorrelated.
 * - incoming channel == 0 (SEND; lnd zeroes the incoming ids of sends): all four ids.
 *   A SEND `link_fail` with outgoing htlc id 0 is not tracked at all: every failed
 *   send attempt on that channel has the same four ids (0, 0, chan, 0), so they
 *   would be indistinguishable from replays. Such events get only their own
 *   info and are never marked `replayed`.
 *
 * Out of order: a `final_htlc` may arrive before the forward's `settle` or
 * `forward_fail`; it is correlated with the forward, and the later settle still
 * gets the forward's info and duration.
 *
 * ## Memory bound
 *
 * Two lists of HTLC records, each in age order (so dropping the oldest is
 * O(1)), both capped:
 *
 * - `open`: HTLCs that are unresolved (a `forward` seen, no outcome and no
 *   `final_htlc` yet): at most `maxUnresolved` (default 100,000) entries. When
 *   full, the oldest entry is dropped and counted in `evicted`. An entry first
 *   seen more than `maxAgeNs` (default 30 days, by lnd's clock: the newest
 *   event's timestamp) ago is dropped too and counted in `expired`: no HTLC can
 *   stay in flight that long (lnd caps a forward's CLTV delta at 2016 blocks,
 *   about 14 days), so it is one whose resolving events were lost.
 * - `recent`: HTLCs with an outcome or a `final_htlc` (fully resolved, or
 *   resolved on one side and waiting for the other; on nodes older than v0.16,
 *   which send no `final_htlc`, resolved forwards and receives wait here until
 *   they age out): at most `maxRecent` (default 20,000) entries, least recently
 *   touched out first (not counted: this is normal ageing). It serves the late
 *   half of a resolution and the detection of replays of recently resolved events.
 *   A replay of an HTLC that has already aged out of it is not recognised.
 *
 * Storage: `HtlcTable` (htlc-table.ts), flat typed arrays with no object per
 * HTLC (its HtlcInfo is kept as numbers too): 148 bytes per record plus 8 to
 * 16 bytes of hash index per record of capacity, grown by doubling up to the
 * caps. So the defaults bound the correlator at 120,000 × 148 B + 1 MB of
 * index ≈ 19 MB in the worst case (a stream that never resolves anything),
 * and a few MB on a healthy node. Cost per event: O(1), and nothing allocated
 * but the event's `corr` (and the HtlcInfo in it, rebuilt from the table).
 *
 * Pure: no I/O, no timers, no wall clock; time is the events' `timestamp_ns`.
 */
import type { Correlation, EventKind, HtlcEvent, HtlcInfo } from './model.js';
import { withRecorded } from './recorded.js';
import { nsDiff, splitNs, splitU64 } from './decimal-split.js';
import { HtlcTable, newKey, NONE, OPEN, RECENT } from './htlc-table.js';
import { listInFlight, type InFlightHtlc } from './in-flight.js';

export type { InFlightHtlc } from './in-flight.js';

export interface CorrelatorOptions {
  /** Cap on unresolved HTLCs (default 100,000). Oldest out first, counted in `evicted`. */
  readonly maxUnresolved?: number;
  /** Cap on recently resolved or half-resolved HTLCs kept for late events and replays (default 20,000). */
  readonly maxRecent?: number;
  /** An unresolved HTLC first seen longer ago than this (lnd's clock) is dropped, counted in `expired` (default 30 days). */
  readonly maxAgeNs?: bigint;
}

export const DEFAULT_MAX_UNRESOLVED = 100_000;
export const DEFAULT_MAX_RECENT = 20_000;
export const DEFAULT_MAX_AGE_NS = 30n * 24n * 3600n * 1_000_000_000n;

const BIT: Partial<Record<EventKind, number>> = {
  forward: 1,
  forward_fail: 2,
  settle: 4,
  link_fail: 8,
  final_htlc: 16,
};
const FORWARD = 1;
const FINAL = 16;
const OUTCOME = 2 | 4 | 8;

/** The corr of an event that follows nothing: its own type and info. */
function ownCorr(ev: HtlcEvent): Correlation {
  return ev.info ? { firstEventType: ev.eventType, info: ev.info } : { firstEventType: ev.eventType };
}

export class Correlator {
  private readonly maxUnresolved: number;
  private readonly maxRecent: number;
  /** maxAgeNs as (sec, ns). */
  private readonly maxAge = new Float64Array(2);
  private readonly t: HtlcTable;
  /** The key of the event being correlated (see the header), as HtlcTable takes it. */
  private readonly key = newKey();
  /** The event's timestamp as (sec, ns). */
  private readonly now = new Float64Array(2);
  private evictedCount = 0;
  private expiredCount = 0;

  constructor(opts: CorrelatorOptions = {}) {
    this.maxUnresolved = Math.max(1, Math.floor(opts.maxUnresolved ?? DEFAULT_MAX_UNRESOLVED));
    this.maxRecent = Math.max(1, Math.floor(opts.maxRecent ?? DEFAULT_MAX_RECENT));
    const age = opts.maxAgeNs ?? DEFAULT_MAX_AGE_NS;
    splitNs((age < 0n ? 0n : age).toString(), this.maxAge, 0);
    this.t = new HtlcTable(this.maxUnresolved + this.maxRecent);
  }

  /** Unresolved HTLCs dropped because the `maxUnresolved` cap was reached. */
  get evicted(): number {
    return this.evictedCount;
  }

  /** Unresolved HTLCs dropped because they were older than `maxAgeNs`. */
  get expired(): number {
    return this.expiredCount;
  }

  /** Entries held: unresolved plus recently resolved. Never more than maxUnresolved + maxRecent. */
  size(): number {
    return this.t.size(OPEN) + this.t.size(RECENT);
  }

  /** Unresolved HTLCs held. */
  unresolvedCount(): number {
    return this.t.size(OPEN);
  }

  /**
   * Sets `ev.corr` (mutates and returns `ev`). Call once per event, in stream order.
   * An event read back from a jsonl capture keeps what the capture recorded
   * (events/recorded.ts); the HTLC is tracked all the same (in flight, replays).
   */
  apply(ev: HtlcEvent): HtlcEvent {
    this.correlate(ev);
    if (ev.recorded !== undefined && BIT[ev.event] !== undefined) ev.corr = withRecorded(ev, ev.corr, ev.recorded);
    return ev;
  }

  private correlate(ev: HtlcEvent): HtlcEvent {
    const bit = BIT[ev.event];
    if (bit === undefined) return ev; // subscribed, unknown
    splitNs(ev.timestampNs, this.now, 0);
    this.expire();

    // The key that identifies the HTLC (see the header).
    const final = bit === FINAL;
    const key = this.key;
    splitU64(ev.incomingChannelId, key, 0);
    splitU64(ev.incomingHtlcId, key, 2);
    if (key[0] === 0 && key[1] === 0) {
      // final_htlc is only ever about an incoming HTLC; a SEND link_fail before any
      // htlc id was assigned is not unique.
      if (final || (ev.event === 'link_fail' && ev.outgoingHtlcId === '0')) {
        ev.corr = ownCorr(ev);
        return ev;
      }
    }
    if (final) key.fill(0, 4);
    else {
      splitU64(ev.outgoingChannelId, key, 4);
      splitU64(ev.outgoingHtlcId, key, 6);
    }

    const t = this.t;
    const s = t.find(key);
    if (s === NONE) {
      ev.corr = ownCorr(ev);
      this.insert(bit, ev);
      return ev;
    }

    // Same incoming ids, different outgoing ids: by the four-id rule, not this HTLC.
    const o = s * 8;
    const ids = t.ids;
    if (
      !final &&
      t.hasOut[s] === 1 &&
      (ids[o + 4] !== key[4] || ids[o + 5] !== key[5] || ids[o + 6] !== key[6] || ids[o + 7] !== key[7])
    ) {
      ev.corr = ownCorr(ev);
      return ev;
    }

    const prior = t.seen[s]!;
    if ((prior & bit) !== 0) {
      ev.corr = this.corrOf(s, undefined, true);
      return ev;
    }
    t.seen[s] = prior | bit;
    if (t.hasOut[s] === 0 && !final) {
      ids[o + 4] = key[4]!;
      ids[o + 5] = key[5]!;
      ids[o + 6] = key[6]!;
      ids[o + 7] = key[7]!;
      t.hasOut[s] = 1;
    }

    switch (ev.event) {
      case 'settle':
      case 'forward_fail':
        ev.corr = (prior & FORWARD) !== 0 ? this.corrOf(s, this.durationNs(s), false) : ownCorr(ev);
        break;
      case 'final_htlc':
        // prior is never empty here: the record exists and had no final yet.
        ev.corr = this.corrOf(s, this.durationNs(s), false);
        break;
      default:
        // forward or link_fail after some other event of the same HTLC (not a flow lnd
        // produces): it gets its own info, and lends it when the first event had none.
        if (!t.hasInfoOf(s) && ev.info) t.setInfo(s, ev.info);
        ev.corr = ownCorr(ev);
        break;
    }

    // Resolved now (or touched again): to the newest end of the recent list.
    if (t.listOf(s) === RECENT || (t.seen[s] & (OUTCOME | FINAL)) !== 0) {
      if (t.listOf(s) !== RECENT && t.size(RECENT) >= this.maxRecent) t.remove(t.oldest(RECENT));
      t.touch(s, RECENT);
    }
    return ev;
  }

  /**
   * The unresolved HTLCs, oldest first: those with a `forward` and no outcome or
   * `final_htlc` yet. `nowNs` is in lnd's clock domain (Unix ns).
   */
  inFlight(nowNs: bigint): InFlightHtlc[] {
    return listInFlight(this.t, nowNs);
  }

  /** A record for the HTLC in `this.key`, first seen in `ev`: unresolved after a forward, else recent. */
  private insert(bit: number, ev: HtlcEvent): void {
    const t = this.t;
    let l: typeof OPEN | typeof RECENT = RECENT;
    if (bit === FORWARD) {
      l = OPEN;
      if (t.size(OPEN) >= this.maxUnresolved) {
        t.remove(t.oldest(OPEN));
        this.evictedCount++;
      }
    } else if (t.size(RECENT) >= this.maxRecent) t.remove(t.oldest(RECENT));
    const s = t.insert(this.key, l);
    t.ts[s * 2] = this.now[0]!;
    t.ts[s * 2 + 1] = this.now[1]!;
    t.firstType[s] = ev.eventType;
    t.seen[s] = bit;
    t.hasOut[s] = bit === FINAL ? 0 : 1;
    t.setInfo(s, ev.info);
  }

  private durationNs(s: number): string {
    return nsDiff(this.now[0]!, this.now[1]!, this.t.ts[s * 2]!, this.t.ts[s * 2 + 1]!);
  }

  private corrOf(s: number, durationNs: string | undefined, replayed: boolean): Correlation {
    const c: { info?: HtlcInfo; firstEventType: number; durationNs?: string; replayed?: boolean } = {
      firstEventType: this.t.firstType[s]!,
    };
    const info = this.t.infoOf(s);
    if (info) c.info = info;
    if (durationNs !== undefined) c.durationNs = durationNs;
    if (replayed) c.replayed = true;
    return c;
  }

  /** Drops unresolved records first seen more than maxAge before the event (oldest first, amortized O(1)). */
  private expire(): void {
    const nowSec = this.now[0]!;
    const nowNs = this.now[1]!;
    if (nowSec === 0 && nowNs === 0) return;
    const t = this.t;
    const ageSec = this.maxAge[0]!;
    const ageNs = this.maxAge[1]!;
    for (let s = t.oldest(OPEN); s !== NONE; s = t.oldest(OPEN)) {
      // now − first > maxAge  ⇔  (nowSec − sec − ageSec)·10^9 + (nowNs − ns − ageNs) > 0. The
      // sum is exact while |seconds| ≤ 2; beyond that its sign is right (|ns part| < 2·10^9).
      const ds = nowSec - t.ts[s * 2]! - ageSec;
      const dn = nowNs - t.ts[s * 2 + 1]! - ageNs;
      if (ds * 1e9 + dn <= 0) break;
      t.remove(s);
      this.expiredCount++;
    }
  }
}
