/**
 * The seeded traffic generator (pure: same seed, same node, same start time →
 * the same events). Flows start at random (exponential) intervals chosen so
 * that the node emits `rate` events per second on average; the events of all
 * flows are merged in time order, so an HTLC's events interleave with others'.
 * Now and then an event already emitted is emitted again (same kind, same four
 * ids, a later timestamp), as lnd may replay after a restart.
 */
import { FLOW_KINDS, FlowFactory, type FlowKind, type ScheduledEvent } from './flows.js';
import type { SimNode } from './node-state.js';
import { Rng } from './rng.js';

export { FLOW_KINDS, type FlowKind, type ScheduledEvent };

export const DEFAULT_FLOW_WEIGHTS: Readonly<Record<FlowKind, number>> = {
  forward_settle: 35,
  forward_fail_downstream: 15,
  forward_fail_here: 18,
  receive_settle: 10,
  receive_fail: 5,
  send_settle: 10,
  send_fail: 7,
};

/** Average number of events per flow of each kind (for turning events/s into flows/s). */
const EVENTS_PER_FLOW: Readonly<Record<FlowKind, number>> = {
  forward_settle: 3,
  forward_fail_downstream: 3,
  forward_fail_here: 2,
  receive_settle: 2,
  receive_fail: 2,
  send_settle: 2,
  send_fail: 1.7,
};

export interface TrafficOptions {
  readonly seed: number;
  readonly node: SimNode;
  /** lnd's wall clock at virtual time 0, Unix ns. */
  readonly startNs: bigint;
  /** Average events per second (> 0). */
  readonly rate: number;
  readonly weights?: Partial<Record<FlowKind, number>>;
  /** Probability, per emitted event, of replaying an earlier one. Default 0.01. */
  readonly replayProbability?: number;
}

class Heap {
  private items: { e: ScheduledEvent; seq: number }[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  private less(i: number, j: number): boolean {
    const a = this.items[i]!;
    const b = this.items[j]!;
    return a.e.atMs < b.e.atMs || (a.e.atMs === b.e.atMs && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    [this.items[i], this.items[j]] = [this.items[j]!, this.items[i]!];
  }

  push(e: ScheduledEvent): void {
    this.items.push({ e, seq: this.seq++ });
    let i = this.items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  peek(): ScheduledEvent | undefined {
    return this.items[0]?.e;
  }

  pop(): ScheduledEvent | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (top && last && this.items.length > 0) {
      this.items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.items.length && this.less(l, m)) m = l;
        if (r < this.items.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top?.e;
  }
}

export class TrafficGenerator {
  private readonly rng: Rng;
  private readonly factory: FlowFactory;
  private readonly heap = new Heap();
  private readonly table: ReadonlyArray<readonly [number, FlowKind]>;
  private readonly flowGapMs: number;
  private readonly replayP: number;
  private nextFlowAt = 0;
  private flowId = 0;
  private readonly recent: ScheduledEvent[] = [];

  constructor(opts: TrafficOptions) {
    if (!(opts.rate > 0)) throw new Error('traffic rate must be > 0 events/s');
    this.rng = new Rng(opts.seed);
    this.factory = new FlowFactory(this.rng, opts.node, opts.startNs);
    const weights = { ...DEFAULT_FLOW_WEIGHTS, ...opts.weights };
    this.table = FLOW_KINDS.filter((k) => weights[k] > 0).map((k) => [weights[k], k] as const);
    if (this.table.length === 0) throw new Error('every flow weight is 0');
    const total = this.table.reduce((s, [w]) => s + w, 0);
    const perFlow = this.table.reduce((s, [w, k]) => s + (w / total) * EVENTS_PER_FLOW[k], 0);
    this.flowGapMs = (1000 * perFlow) / opts.rate;
    this.replayP = opts.replayProbability ?? 0.01;
  }

  /** The next event in virtual-time order. Never ends. */
  next(): ScheduledEvent {
    while (this.heap.size === 0 || this.nextFlowAt <= this.heap.peek()!.atMs) {
      const kind = this.rng.weighted(this.table);
      for (const e of this.factory.make(kind, this.nextFlowAt, this.flowId++)) this.heap.push(e);
      this.nextFlowAt += this.rng.exp(this.flowGapMs);
    }
    const e = this.heap.pop()!;
    if (!e.replay) {
      this.recent.push(e);
      if (this.recent.length > 64) this.recent.shift();
      if (this.recent.length > 1 && this.rng.chance(this.replayP)) {
        const old = this.rng.pick(this.recent.slice(0, -1));
        const atMs = e.atMs + 1 + this.rng.exp(20);
        const startNs = old.event.timestampNs - BigInt(Math.round(old.atMs * 1e6));
        this.heap.push({
          ...old,
          atMs,
          replay: true,
          event: { ...old.event, timestampNs: startNs + BigInt(Math.round(atMs * 1e6)) },
        });
      }
    }
    return e;
  }

  take(n: number): ScheduledEvent[] {
    const out: ScheduledEvent[] = [];
    for (let i = 0; i < n; i++) out.push(this.next());
    return out;
  }
}
