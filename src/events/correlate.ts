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
 * Two maps, each with its entries on a linked list in age order (so dropping the
 * oldest is O(1)), both capped:
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
 * Per entry: about 350 bytes of V8 heap (the entry object with its list links,
 * its map key and map slot, the first-seen BigInt, and the retained HtlcInfo and
 * id strings of the event it came from; measured on Node 20 with 18-digit channel
 * ids: 339 B unresolved, 320 B resolved). Cost per event: O(1). So the
 * defaults bound the correlator at roughly 120,000 × 350 B ≈ 42 MB in the worst
 * case (a stream that never resolves anything), and about 7 MB on a healthy node
 * (the recent set full, a small in-flight set).
 *
 * Pure: no I/O, no timers, no wall clock; time is the events' `timestamp_ns`.
 */
import type { Correlation, EventKind, HtlcEvent, HtlcInfo } from './model.js';

export interface CorrelatorOptions {
  /** Cap on unresolved HTLCs (default 100,000). Oldest out first, counted in `evicted`. */
  readonly maxUnresolved?: number;
  /** Cap on recently resolved or half-resolved HTLCs kept for late events and replays (default 20,000). */
  readonly maxRecent?: number;
  /** An unresolved HTLC first seen longer ago than this (lnd's clock) is dropped, counted in `expired` (default 30 days). */
  readonly maxAgeNs?: bigint;
}

/** An unresolved HTLC, as reported by `Correlator.inFlight`. */
export interface InFlightHtlc {
  /** event_type of its first event (SEND or FORWARD in practice). */
  readonly eventType: number;
  /** timestamp_ns of its first event (lnd's clock), decimal string. */
  readonly firstSeenNs: string;
  /** nowNs − firstSeenNs, decimal string (may be negative when the clocks disagree). */
  readonly ageNs: string;
  readonly incomingChannelId: string;
  readonly incomingHtlcId: string;
  readonly outgoingChannelId: string;
  readonly outgoingHtlcId: string;
  /** HtlcInfo of its first event, when it carried one (amounts, timelocks). */
  readonly info?: HtlcInfo;
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

interface Entry {
  /** timestamp_ns of the first event. */
  readonly firstTs: bigint;
  /** event_type of the first event. */
  readonly firstType: number;
  /** HtlcInfo of the first event (or, when it had none, of a later forward/link_fail). */
  info: HtlcInfo | undefined;
  /** Bit set of the kinds seen. */
  seen: number;
  readonly inCh: string;
  readonly inId: string;
  /** Outgoing ids of the first event that has them (every kind but final_htlc). */
  outCh: string | undefined;
  outId: string | undefined;
  /** Links of the list the entry is on (oldest → newest), and its key in that list's map. */
  key: string;
  prev: Entry | undefined;
  next: Entry | undefined;
}

/**
 * A map whose entries are also on an intrusive doubly-linked list in insertion
 * (or touch) order, so that dropping the oldest is O(1). (A plain Map used as a
 * FIFO is not: V8 iterates from the first slot over the holes that deletions
 * leave, which makes `keys().next()` O(deleted) until the table is rehashed.)
 */
class OrderedEntries {
  private readonly map = new Map<string, Entry>();
  private head: Entry | undefined;
  private tail: Entry | undefined;

  get size(): number {
    return this.map.size;
  }

  get(key: string): Entry | undefined {
    return this.map.get(key);
  }

  oldest(): Entry | undefined {
    return this.head;
  }

  /** Adds `e` under `key` as the newest (it must not be on a list). */
  push(key: string, e: Entry): void {
    e.key = key;
    e.prev = this.tail;
    e.next = undefined;
    if (this.tail) this.tail.next = e;
    else this.head = e;
    this.tail = e;
    this.map.set(key, e);
  }

  remove(e: Entry): void {
    if (e.prev) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = e.next = undefined;
    this.map.delete(e.key);
  }

  *values(): IterableIterator<Entry> {
    for (let e = this.head; e; e = e.next) yield e;
  }
}

function toBig(s: string): bigint {
  try {
    return BigInt(s);
  } catch {
    return 0n;
  }
}

/** The key that identifies the HTLC an event belongs to; undefined when the event cannot be tied to one. */
function keyOf(ev: HtlcEvent): string | undefined {
  if (ev.incomingChannelId !== '0') return `${ev.incomingChannelId}:${ev.incomingHtlcId}`;
  // final_htlc is only ever about an incoming HTLC.
  if (ev.event === 'final_htlc') return undefined;
  // A SEND link_fail before any htlc id was assigned: not unique (see the header).
  if (ev.event === 'link_fail' && ev.outgoingHtlcId === '0') return undefined;
  return `s${ev.incomingHtlcId}:${ev.outgoingChannelId}:${ev.outgoingHtlcId}`;
}

/** The corr of an event that follows nothing: its own type and info. */
function ownCorr(ev: HtlcEvent): Correlation {
  return ev.info ? { firstEventType: ev.eventType, info: ev.info } : { firstEventType: ev.eventType };
}

function entryCorr(e: Entry, extra: { durationNs?: string; replayed?: boolean }): Correlation {
  const c: { info?: HtlcInfo; firstEventType: number; durationNs?: string; replayed?: boolean } = {
    firstEventType: e.firstType,
  };
  if (e.info) c.info = e.info;
  if (extra.durationNs !== undefined) c.durationNs = extra.durationNs;
  if (extra.replayed) c.replayed = true;
  return c;
}

export class Correlator {
  private readonly maxUnresolved: number;
  private readonly maxRecent: number;
  private readonly maxAgeNs: bigint;
  private readonly open = new OrderedEntries();
  private readonly recent = new OrderedEntries();
  private evictedCount = 0;
  private expiredCount = 0;

  constructor(opts: CorrelatorOptions = {}) {
    this.maxUnresolved = Math.max(1, Math.floor(opts.maxUnresolved ?? DEFAULT_MAX_UNRESOLVED));
    this.maxRecent = Math.max(1, Math.floor(opts.maxRecent ?? DEFAULT_MAX_RECENT));
    this.maxAgeNs = opts.maxAgeNs ?? DEFAULT_MAX_AGE_NS;
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
    return this.open.size + this.recent.size;
  }

  /** Unresolved HTLCs held. */
  unresolvedCount(): number {
    return this.open.size;
  }

  /** Sets `ev.corr` (mutates and returns `ev`). Call once per event, in stream order. */
  apply(ev: HtlcEvent): HtlcEvent {
    const bit = BIT[ev.event];
    if (bit === undefined) return ev; // subscribed, unknown
    const ts = toBig(ev.timestampNs);
    this.expire(ts);

    const key = keyOf(ev);
    if (key === undefined) {
      ev.corr = ownCorr(ev);
      return ev;
    }

    let e = this.open.get(key);
    const wasOpen = e !== undefined;
    if (e === undefined) e = this.recent.get(key);

    if (e === undefined) {
      e = {
        firstTs: ts,
        firstType: ev.eventType,
        info: ev.info ?? undefined,
        seen: bit,
        inCh: ev.incomingChannelId,
        inId: ev.incomingHtlcId,
        outCh: ev.event === 'final_htlc' ? undefined : ev.outgoingChannelId,
        outId: ev.event === 'final_htlc' ? undefined : ev.outgoingHtlcId,
        key,
        prev: undefined,
        next: undefined,
      };
      ev.corr = ownCorr(ev);
      if (bit === FORWARD) this.putOpen(key, e);
      else this.putRecent(key, e);
      return ev;
    }

    // Same incoming ids, different outgoing ids: by the four-id rule, not this HTLC.
    if (
      ev.event !== 'final_htlc' &&
      e.outCh !== undefined &&
      (e.outCh !== ev.outgoingChannelId || e.outId !== ev.outgoingHtlcId)
    ) {
      ev.corr = ownCorr(ev);
      return ev;
    }

    if ((e.seen & bit) !== 0) {
      ev.corr = entryCorr(e, { replayed: true });
      return ev;
    }

    const prior = e.seen;
    e.seen |= bit;
    if (e.outCh === undefined && ev.event !== 'final_htlc') {
      e.outCh = ev.outgoingChannelId;
      e.outId = ev.outgoingHtlcId;
    }

    switch (ev.event) {
      case 'settle':
      case 'forward_fail':
        ev.corr =
          (prior & FORWARD) !== 0 ? entryCorr(e, { durationNs: (ts - e.firstTs).toString() }) : ownCorr(ev);
        break;
      case 'final_htlc':
        // prior is never empty here: the entry exists and had no final yet.
        ev.corr = entryCorr(e, { durationNs: (ts - e.firstTs).toString() });
        break;
      default:
        // forward or link_fail after some other event of the same HTLC (not a flow lnd
        // produces): it gets its own info, and lends it when the first event had none.
        if (e.info === undefined && ev.info) e.info = ev.info;
        ev.corr = ownCorr(ev);
        break;
    }

    const resolvedNow = (e.seen & (OUTCOME | FINAL)) !== 0;
    if (wasOpen) {
      if (resolvedNow) {
        this.open.remove(e);
        this.putRecent(key, e);
      }
    } else {
      // Touch: least recently touched ages out first.
      this.recent.remove(e);
      this.putRecent(key, e);
    }
    return ev;
  }

  /**
   * The unresolved HTLCs, oldest first: those with a `forward` and no outcome or
   * `final_htlc` yet. `nowNs` is in lnd's clock domain (Unix ns).
   */
  inFlight(nowNs: bigint): InFlightHtlc[] {
    const out: InFlightHtlc[] = [];
    for (const e of this.open.values()) {
      const h: {
        -readonly [K in keyof InFlightHtlc]: InFlightHtlc[K];
      } = {
        eventType: e.firstType,
        firstSeenNs: e.firstTs.toString(),
        ageNs: (nowNs - e.firstTs).toString(),
        incomingChannelId: e.inCh,
        incomingHtlcId: e.inId,
        outgoingChannelId: e.outCh ?? '0',
        outgoingHtlcId: e.outId ?? '0',
      };
      if (e.info) h.info = e.info;
      out.push(h);
    }
    return out;
  }

  private putOpen(key: string, e: Entry): void {
    if (this.open.size >= this.maxUnresolved) {
      const oldest = this.open.oldest();
      if (oldest) {
        this.open.remove(oldest);
        this.evictedCount++;
      }
    }
    this.open.push(key, e);
  }

  private putRecent(key: string, e: Entry): void {
    if (this.recent.size >= this.maxRecent) {
      const oldest = this.recent.oldest();
      if (oldest) this.recent.remove(oldest);
    }
    this.recent.push(key, e);
  }

  /** Drops unresolved entries first seen more than maxAgeNs before `nowNs` (oldest first, amortized O(1)). */
  private expire(nowNs: bigint): void {
    if (nowNs <= 0n) return;
    for (let e = this.open.oldest(); e && nowNs - e.firstTs > this.maxAgeNs; e = this.open.oldest()) {
      this.open.remove(e);
      this.expiredCount++;
    }
  }
}
