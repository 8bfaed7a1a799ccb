/**
 * The correlator's storage: a table of HTLC records held in typed arrays
 * (struct of arrays), with its own open-addressing hash index and two
 * intrusive lists (unresolved, recent) in age order.
 *
 * Why not a Map of objects: a busy stream creates one record per HTLC, each
 * living for tens of thousands of events. As objects (plus their map keys,
 * BigInts and the id strings they retain) every one of them survives the young
 * generation and is copied into the old one, and that copying was the largest
 * single cost of the whole pipeline. Here a record is a slot number: creating,
 * finding, moving and dropping one allocates nothing, and the table's memory is
 * a few flat arrays, grown by doubling up to the caps and never scanned by the GC.
 *
 * Numbers: every uint64 id is held exactly as two doubles, `hi = ⌊v / 10^10⌋`
 * and `lo = v mod 10^10` (both below 2^35), parsed from the canonical decimal
 * strings of the event model (`splitU64`, decimal-split.ts). A timestamp is
 * held as seconds and nanoseconds (`splitNs`). The HtlcInfo is held as numbers too
 * (timelocks, and amounts as `splitU64` pairs) and built again when asked for:
 * keeping the event's own object would keep it and its two strings alive, and
 * promote them, for every HTLC.
 *
 * Per record: 16 doubles, 4 int32 and 4 bytes (148 bytes), plus 8 to 16
 * bytes of hash index per record of capacity (the index is the power of two
 * at or above twice the capacity).
 *
 * Keys: `find` and `insert` take the key as an argument, a Float64Array of
 * KEY_LENGTH numbers (`newKey()`), so each caller owns its scratch key.
 */
import { joinU64, splitU64 } from './decimal-split.js';
import type { HtlcInfo } from './model.js';

/** No record (slot numbers are ≥ 0). */
export const NONE = -1;

/** Which list a record is on. */
export const FREE = 0;
export const OPEN = 1;
export const RECENT = 2;
type ListId = typeof OPEN | typeof RECENT;

/**
 * A key being looked up or inserted, as `splitU64` pairs: [0,1] incoming
 * channel, [2,3] incoming htlc id, [4,5] outgoing channel, [6,7] outgoing htlc
 * id. A key with incoming channel 0 (a send) is all four ids; any other key is
 * the incoming (channel, htlc id) alone.
 */
export type HtlcKey = Float64Array;

export const KEY_LENGTH = 8;

/** A key to fill (with `splitU64`) and pass to find/insert. */
export function newKey(): HtlcKey {
  return new Float64Array(KEY_LENGTH);
}

function keyHash(k: HtlcKey): number {
  const all = k[0] === 0 && k[1] === 0;
  let h = 0x811c9dc5;
  for (let j = all ? 2 : 0, end = all ? 8 : 4; j < end; j++) {
    const x = k[j]!;
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h = Math.imul(h ^ ((x / 4294967296) >>> 0), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b);
  return h ^ (h >>> 16);
}

export class HtlcTable {
  /** Per slot, 8 doubles: the four ids as in a key (for a record keyed by the incoming side, [4..7] are its outgoing ids when `hasOut`). */
  ids: Float64Array;
  /** Per slot, 2 doubles: timestamp of the first event (sec, ns). */
  ts: Float64Array;
  /** event_type of the first event. */
  firstType: Int32Array;
  /** Bit set of the event kinds seen. */
  seen: Uint8Array;
  /** 1 when ids[4..7] hold outgoing ids (every first kind but final_htlc). */
  hasOut: Uint8Array;
  /**
   * Per slot, 6 doubles: the HtlcInfo of the first event (or of a later
   * forward/link_fail when it had none), when `hasInfo`: incoming timelock,
   * outgoing timelock, incoming amount (hi, lo), outgoing amount (hi, lo).
   */
  private infoNums: Float64Array;
  private hasInfo: Uint8Array;
  private list: Uint8Array;
  private prev: Int32Array;
  private next: Int32Array;
  private hashOf: Int32Array;
  /** Open addressing, linear probing: slot + 1, 0 = empty. */
  private index: Int32Array;
  private mask: number;
  private capacity: number;
  private used = 0;
  private freeHead = NONE;
  private readonly heads = [NONE, NONE, NONE];
  private readonly tails = [NONE, NONE, NONE];
  private readonly sizes = [0, 0, 0];

  constructor(private readonly maxCapacity: number) {
    this.capacity = Math.min(1024, Math.max(1, maxCapacity));
    this.ids = new Float64Array(this.capacity * 8);
    this.ts = new Float64Array(this.capacity * 2);
    this.firstType = new Int32Array(this.capacity);
    this.seen = new Uint8Array(this.capacity);
    this.hasOut = new Uint8Array(this.capacity);
    this.infoNums = new Float64Array(this.capacity * 6);
    this.hasInfo = new Uint8Array(this.capacity);
    this.list = new Uint8Array(this.capacity);
    this.prev = new Int32Array(this.capacity);
    this.next = new Int32Array(this.capacity);
    this.hashOf = new Int32Array(this.capacity);
    this.index = new Int32Array(1);
    this.mask = 0;
    this.rebuildIndex();
  }

  /** Keeps `info` (or none) as the record's HtlcInfo. */
  setInfo(s: number, info: HtlcInfo | null | undefined): void {
    if (!info) {
      this.hasInfo[s] = 0;
      return;
    }
    const n = this.infoNums;
    const o = s * 6;
    n[o] = info.incomingTimelock;
    n[o + 1] = info.outgoingTimelock;
    splitU64(info.incomingAmtMsat, n, o + 2);
    splitU64(info.outgoingAmtMsat, n, o + 4);
    this.hasInfo[s] = 1;
  }

  hasInfoOf(s: number): boolean {
    return this.hasInfo[s] === 1;
  }

  /** The record's HtlcInfo (a new object), or undefined. */
  infoOf(s: number): HtlcInfo | undefined {
    if (this.hasInfo[s] !== 1) return undefined;
    const n = this.infoNums;
    const o = s * 6;
    return {
      incomingTimelock: n[o]!,
      outgoingTimelock: n[o + 1]!,
      incomingAmtMsat: joinU64(n[o + 2]!, n[o + 3]!),
      outgoingAmtMsat: joinU64(n[o + 4]!, n[o + 5]!),
    };
  }

  /** Records on a list. */
  size(l: ListId): number {
    return this.sizes[l]!;
  }

  oldest(l: ListId): number {
    return this.heads[l]!;
  }

  newer(slot: number): number {
    return this.next[slot]!;
  }

  listOf(slot: number): number {
    return this.list[slot]!;
  }

  /** The record whose key is `k`, or NONE. */
  find(k: HtlcKey): number {
    const h = keyHash(k);
    const all = k[0] === 0 && k[1] === 0;
    const ids = this.ids;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const s = this.index[i]! - 1;
      if (s < 0) return NONE;
      if (this.hashOf[s] !== h) continue;
      const o = s * 8;
      if (ids[o] !== k[0] || ids[o + 1] !== k[1] || ids[o + 2] !== k[2] || ids[o + 3] !== k[3]) continue;
      if (!all || (ids[o + 4] === k[4] && ids[o + 5] === k[5] && ids[o + 6] === k[6] && ids[o + 7] === k[7])) return s;
    }
  }

  /**
   * A new record keyed by `k` (ids[4..7] set from `k` too), at the newest end
   * of list `l`. The caller keeps the record count within `maxCapacity` by
   * dropping records first.
   */
  insert(k: HtlcKey, l: ListId): number {
    let s = this.freeHead;
    if (s !== NONE) this.freeHead = this.next[s]!;
    else {
      if (this.used === this.capacity) this.grow();
      s = this.used++;
    }
    this.ids.set(k, s * 8);
    const h = keyHash(k);
    this.hashOf[s] = h;
    let i = h & this.mask;
    while (this.index[i] !== 0) i = (i + 1) & this.mask;
    this.index[i] = s + 1;
    this.append(l, s);
    return s;
  }

  /** Moves a record to the newest end of list `l` (the same list or the other). */
  touch(s: number, l: ListId): void {
    this.unlink(s);
    this.append(l, s);
  }

  /** Drops a record: off its list, out of the index, its slot free for reuse. */
  remove(s: number): void {
    this.unlink(s);
    this.hasInfo[s] = 0;
    this.list[s] = FREE;
    this.next[s] = this.freeHead;
    this.freeHead = s;
    // Backward-shift deletion (no tombstones): close the gap in the probe run.
    const mask = this.mask;
    let i = this.hashOf[s]! & mask;
    while (this.index[i] !== s + 1) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const t = this.index[j]! - 1;
      if (t < 0) break;
      const home = this.hashOf[t]! & mask;
      // t may move to i when its home is not in the cyclic range (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        this.index[i] = t + 1;
        i = j;
      }
    }
    this.index[i] = 0;
  }

  private append(l: ListId, s: number): void {
    this.list[s] = l;
    this.prev[s] = this.tails[l]!;
    this.next[s] = NONE;
    if (this.tails[l] !== NONE) this.next[this.tails[l]!] = s;
    else this.heads[l] = s;
    this.tails[l] = s;
    this.sizes[l]!++;
  }

  private unlink(s: number): void {
    const l = this.list[s]!;
    const p = this.prev[s]!;
    const n = this.next[s]!;
    if (p !== NONE) this.next[p] = n;
    else this.heads[l] = n;
    if (n !== NONE) this.prev[n] = p;
    else this.tails[l] = p;
    this.sizes[l]!--;
  }

  private grow(): void {
    const cap = Math.min(this.capacity * 2, Math.max(this.maxCapacity, this.capacity + 1));
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(a: T, per: number, make: (n: number) => T): T => {
      const b = make(cap * per);
      b.set(a);
      return b;
    };
    this.ids = widen(this.ids, 8, (n) => new Float64Array(n));
    this.ts = widen(this.ts, 2, (n) => new Float64Array(n));
    this.firstType = widen(this.firstType, 1, (n) => new Int32Array(n));
    this.seen = widen(this.seen, 1, (n) => new Uint8Array(n));
    this.hasOut = widen(this.hasOut, 1, (n) => new Uint8Array(n));
    this.list = widen(this.list, 1, (n) => new Uint8Array(n));
    this.prev = widen(this.prev, 1, (n) => new Int32Array(n));
    this.next = widen(this.next, 1, (n) => new Int32Array(n));
    this.hashOf = widen(this.hashOf, 1, (n) => new Int32Array(n));
    this.infoNums = widen(this.infoNums, 6, (n) => new Float64Array(n));
    this.hasInfo = widen(this.hasInfo, 1, (n) => new Uint8Array(n));
    this.capacity = cap;
    this.rebuildIndex();
  }

  /** A fresh index of at least twice the capacity (load ≤ 1/2), holding every record in use. */
  private rebuildIndex(): void {
    let size = 2;
    while (size < this.capacity * 2) size *= 2;
    this.index = new Int32Array(size);
    this.mask = size - 1;
    for (let s = 0; s < this.used; s++) {
      if (this.list[s] === FREE) continue;
      let i = this.hashOf[s]! & this.mask;
      while (this.index[i] !== 0) i = (i + 1) & this.mask;
      this.index[i] = s + 1;
    }
  }
}
