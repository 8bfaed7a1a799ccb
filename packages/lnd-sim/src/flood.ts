/**
 * Flood mode for benchmarks: a fixed realistic mix of events, encoded once,
 * sent as fast as flow control allows. Later passes over the mix shift the
 * HTLC ids (and timestamps) so every event stays unique, as a real node's are.
 *
 * The mix holds whole flows only: every HTLC it starts, it also resolves, as
 * on a real node where nothing stays in flight forever. (Cutting the generator
 * off after `size` events would leave the flows still in flight at the cut
 * unresolved in every pass, so a long flood would pile up thousands of HTLCs
 * that never resolve: a leak no real node shows.)
 */
import { encodeHtlcEvent } from './encode-wire.js';
import type { SimNode } from './node-state.js';
import { TrafficGenerator, type ScheduledEvent } from './traffic.js';
import type { WireHtlcEvent } from './wire-event.js';

export const DEFAULT_FLOOD_MIX = 4096;

export interface FloodItem {
  readonly event: WireHtlcEvent;
  readonly bytes: Buffer;
}

/** Events generated past the mix's size so the flows it starts can finish (flows span at most ~9,000 events at the mix's rate). */
const FLOW_MARGIN = 20_000;

/**
 * The events, in order, of the flows that start within the first `size` events
 * of `events` and end before its last `margin / 10` events (a flow ending that
 * late may have been cut off).
 */
function wholeFlows(events: readonly ScheduledEvent[], size: number, margin: number): ScheduledEvent[] {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  events.forEach((e, i) => {
    if (!first.has(e.flowId)) first.set(e.flowId, i);
    last.set(e.flowId, i);
  });
  const limit = events.length - Math.ceil(margin / 10);
  const keep = (flowId: number) => first.get(flowId)! < size && last.get(flowId)! < limit;
  return events.filter((e) => keep(e.flowId));
}

export class FloodMix {
  readonly events: readonly WireHtlcEvent[];
  readonly encoded: readonly Buffer[];
  private readonly spanNs: bigint;

  constructor(node: SimNode, seed: number, size = DEFAULT_FLOOD_MIX) {
    // No replays in the mix: a benchmark wants every event unique.
    const gen = new TrafficGenerator({
      seed,
      node,
      startNs: BigInt(Date.now()) * 1_000_000n,
      rate: 1000,
      replayProbability: 0,
    });
    this.events = wholeFlows(gen.take(size + FLOW_MARGIN), size, FLOW_MARGIN).map((s) => s.event);
    this.encoded = this.events.map(encodeHtlcEvent);
    const first = this.events[0]!.timestampNs;
    const last = this.events[this.events.length - 1]!.timestampNs;
    this.spanNs = last - first + 1_000_000n;
  }

  /** The i-th event of an endless flood. */
  item(i: number): FloodItem {
    const n = this.events.length;
    const pass = Math.floor(i / n);
    const base = this.events[i % n]!;
    if (pass === 0) return { event: base, bytes: this.encoded[i]! };
    const shift = BigInt(pass) * 10_000_000n;
    const bump = (id: bigint) => (id === 0n ? 0n : id + shift);
    const event: WireHtlcEvent = {
      ...base,
      incomingHtlcId: bump(base.incomingHtlcId),
      outgoingHtlcId: bump(base.outgoingHtlcId),
      timestampNs: base.timestampNs === 0n ? 0n : base.timestampNs + BigInt(pass) * this.spanNs,
    };
    return { event, bytes: encodeHtlcEvent(event) };
  }
}
