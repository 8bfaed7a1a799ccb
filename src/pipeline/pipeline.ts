/**
 * The event pipeline every command shares: correlate → stats → aliases →
 * filter → format → writer, and --count. Transport-agnostic: the tail's node
 * sessions, the demo and replay all push events into it.
 *
 * A Pipeline is one node's lane (lane.ts) feeding one output (output.ts):
 * what replay and a one-node tail need. Several nodes share one OutputStage,
 * each with a NodeLane of its own (run-tail.ts).
 */
import type { AliasBook } from '../events/aliases.js';
import type { Correlator } from '../events/correlate.js';
import type { HtlcEvent, OutputItem } from '../events/model.js';
import type { Stats } from '../events/stats.js';
import { NodeLane } from './lane.js';
import { OutputStage, type OutputOptions } from './output.js';

export interface PipelineOptions extends OutputOptions {
  readonly filter: (item: OutputItem) => boolean;
  /** When set, aliases are added to events (the book may be filled later). */
  readonly aliases?: AliasBook;
  /** An event names a channel the alias book does not know. */
  readonly onUnknownChannel?: () => void;
  /** false: no statistics (runs that never print a summary). Default true. */
  readonly collectStats?: boolean;
}

export class Pipeline {
  private readonly output: OutputStage;
  private readonly lane: NodeLane;

  constructor(o: PipelineOptions) {
    this.output = new OutputStage(o);
    this.lane = new NodeLane({ ...o, output: this.output });
  }

  get correlator(): Correlator {
    return this.lane.correlator;
  }

  get stats(): Stats {
    return this.lane.stats;
  }

  /** Holds events (in order) until release(), e.g. while the first alias lookup runs. */
  hold(): void {
    this.lane.hold();
  }

  release(): void {
    this.lane.release();
  }

  push(ev: HtlcEvent): void {
    this.lane.push(ev);
  }

  /** A gap marker; while events are held it waits in its place among them. */
  gap(fromMs: number, toMs: number, reason: string, node?: string): void {
    this.lane.gap(fromMs, toMs, reason, node);
  }

  /** Whether --count was reached. */
  get countReached(): boolean {
    return this.output.countReached;
  }
}
