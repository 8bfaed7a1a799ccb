/**
 * The node's live traffic: one seeded generator played in real time and
 * delivered to every open subscription, like lnd's HTLC notifier. Events
 * happen whether or not anyone listens (lnd keeps nothing for later).
 */
import { performance } from 'node:perf_hooks';
import type { SimNode } from './node-state.js';
import { TrafficGenerator, type ScheduledEvent } from './traffic.js';
import type { WireHtlcEvent } from './wire-event.js';

export type TrafficListener = (event: WireHtlcEvent, scheduled: ScheduledEvent) => void;

export class TrafficPump {
  private readonly listeners = new Set<TrafficListener>();
  private timer: NodeJS.Timeout | undefined;
  private gen: TrafficGenerator | undefined;
  private pending: ScheduledEvent | undefined;
  private startPerf = 0;

  constructor(
    private readonly node: SimNode,
    private readonly rate: number,
    private readonly replayProbability?: number,
  ) {}

  /** Starts (or restarts) playing; `seed` should differ per run so ids do not repeat. */
  start(seed: number): void {
    this.stop();
    if (!(this.rate > 0)) return;
    this.startPerf = performance.now();
    this.gen = new TrafficGenerator({
      seed,
      node: this.node,
      startNs: BigInt(Date.now()) * 1_000_000n,
      rate: this.rate,
      replayProbability: this.replayProbability,
    });
    this.pending = this.gen.next();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.gen = undefined;
    this.pending = undefined;
  }

  subscribe(l: TrafficListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private schedule(): void {
    if (!this.pending) return;
    const delay = Math.max(0, this.pending.atMs - (performance.now() - this.startPerf));
    this.timer = setTimeout(() => this.tick(), delay);
    this.timer.unref();
  }

  private tick(): void {
    const gen = this.gen;
    if (!gen) return;
    const elapsed = performance.now() - this.startPerf;
    // Deliver everything that is due, then sleep until the next event.
    for (let n = 0; this.pending && this.pending.atMs <= elapsed && n < 10_000; n++) {
      const e = this.pending;
      for (const l of this.listeners) l(e.event, e);
      this.pending = gen.next();
    }
    this.schedule();
  }
}
