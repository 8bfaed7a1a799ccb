/**
 * The seam between recorded and live events (`--since TIME`, `--tail N`): the
 * tail subscribes first (holding live events back), then prints the recorded
 * events, then the held and later live events. An event both recorded and
 * received live has the same unique key (node, timestamp_ns, four ids, kind),
 * so it is printed once; nothing is lost, because the subscription was
 * already running when the store was read.
 *
 * Memory stays bounded: only keys of recorded events that could also arrive
 * live are kept, those at or after `fromNs` (the caller passes the subscription
 * time minus a margin for clock skew, or the first held live event's
 * timestamp, whichever is earlier); and the set is dropped once a live event
 * arrives that is newer than every recorded one.
 */
import type { HtlcEvent } from '../events/model.js';

/** The unique key of an event within one node, as the store's unique index has it. */
export function eventKey(ev: HtlcEvent): string {
  return `${ev.timestampNs}|${ev.incomingChannelId}|${ev.incomingHtlcId}|${ev.outgoingChannelId}|${ev.outgoingHtlcId}|${ev.event}`;
}

const cmpDec = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;

export class SeamDeduper {
  private keys: Set<string> | undefined = new Set();
  private newest = '0';

  constructor(private readonly fromNs: bigint) {}

  /** Note a recorded event as printed. */
  recorded(ev: HtlcEvent): void {
    if (this.keys === undefined) return;
    if (BigInt(ev.timestampNs) < this.fromNs) return;
    this.keys.add(eventKey(ev));
    if (cmpDec(ev.timestampNs, this.newest) > 0) this.newest = ev.timestampNs;
  }

  /** True when a live event was already printed from the store (skip it). */
  seenLive(ev: HtlcEvent): boolean {
    const keys = this.keys;
    if (keys === undefined) return false;
    if (keys.has(eventKey(ev))) return true;
    if (cmpDec(ev.timestampNs, this.newest) > 0) this.keys = undefined; // past the seam: nothing more to compare
    return false;
  }

  /** Keys held (for tests). */
  get size(): number {
    return this.keys?.size ?? 0;
  }
}
