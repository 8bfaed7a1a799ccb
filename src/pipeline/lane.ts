/**
 * One node's part of the pipeline: correlate → stats → aliases → filter,
 * then the shared output (output.ts). Each node has its own lane (its own
 * correlator, statistics, alias book and hold), so several nodes can feed
 * one output without mixing their HTLCs. Pure parts live in events/; this
 * file only wires them.
 */
import type { AliasBook } from '../events/aliases.js';
import { Correlator } from '../events/correlate.js';
import type { GapMarker, HtlcEvent, OutputItem } from '../events/model.js';
import { Stats } from '../events/stats.js';
import type { OutputStage } from './output.js';
import type { NodeSink } from './sink.js';

/** Events held (for the first alias lookup) beyond this many pause the node's source. */
const HOLD_PAUSE_AT = 10_000;

export interface LaneOptions {
  readonly output: OutputStage;
  readonly filter: (item: OutputItem) => boolean;
  /** When set, aliases are added to events (the book may be filled later). */
  readonly aliases?: AliasBook;
  /** An event names a channel the alias book does not know. */
  readonly onUnknownChannel?: () => void;
  /**
   * false: events are not added to `stats`, for runs that never print a summary
   * (--no-stats; a --stats-interval implies --stats). Saves a few µs per event
   * on a busy stream. Default true.
   */
  readonly collectStats?: boolean;
  /** What else sees every event of this node, before the filters (history, metrics). */
  readonly sinks?: readonly NodeSink[];
  /** Stop and restart reading this node's events (while many are held, the output is full, or a sink is full). */
  readonly pause: () => void;
  readonly resume: () => void;
  /** A sink's `ready()` rejected (its writer failed): the run must end with this error. */
  readonly onSinkFailure?: (err: unknown) => void;
}

/** Why a node's reading is paused: held events, the shared output, or a sink (by the sink). */
type PauseReason = 'hold' | 'output' | NodeSink;

export class NodeLane {
  readonly correlator = new Correlator();
  readonly stats = new Stats();
  /** Events (and gap markers, in their place) held until release(). */
  private held: OutputItem[] | undefined;
  private readonly collectStats: boolean;
  /** The node's name on its events and gaps (several nodes); undefined: none. */
  private node: string | undefined;
  /** Reading is paused while any reason holds (pause on the first, resume after the last). */
  private readonly paused = new Set<PauseReason>();

  constructor(private readonly o: LaneOptions) {
    this.collectStats = o.collectStats !== false;
  }

  /** Names the node on every event and gap from now on (and on those held): runs with several nodes. */
  label(node: string): void {
    this.node = node;
  }

  /** Holds events (in order) until release(), e.g. while the first alias lookup runs. */
  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    for (const item of held) {
      if (item.event === 'gap') this.gap(item.fromMs, item.toMs, item.reason);
      else this.push(item);
    }
    // Reading was paused for the hold: go on, unless the output or a sink filled up meanwhile.
    this.unblock('hold');
  }

  /** Stops reading this node for `reason` (the source is paused on the first reason). */
  block(reason: PauseReason): void {
    if (this.paused.has(reason)) return;
    this.paused.add(reason);
    if (this.paused.size === 1) this.o.pause();
  }

  /** `reason` is gone; reading goes on when no other reason holds. */
  unblock(reason: PauseReason): void {
    if (!this.paused.delete(reason)) return;
    if (this.paused.size === 0) this.o.resume();
  }

  /** A sink returned false: pause this node until the sink is ready (SPEC: a slow disk applies backpressure). */
  private sinkFull(s: NodeSink): void {
    if (this.paused.has(s) || !s.ready) return;
    this.block(s);
    s.ready().then(
      () => this.unblock(s),
      (err: unknown) => this.o.onSinkFailure?.(err),
    );
  }

  push(ev: HtlcEvent): void {
    const out = this.o.output;
    if (out.countReached) return;
    if (this.held) {
      this.held.push(ev);
      if (this.held.length >= HOLD_PAUSE_AT) this.block('hold');
      return;
    }
    if (this.node !== undefined) ev.node = this.node;
    this.correlator.apply(ev);
    if (this.collectStats) this.stats.add(ev);
    const book = this.o.aliases;
    if (book) {
      book.enrich(ev);
      if (this.o.onUnknownChannel && book.unknownChannel(ev)) this.o.onUnknownChannel();
    }
    const sinks = this.o.sinks;
    if (sinks) for (const s of sinks) if (s.event(ev) === false) this.sinkFull(s);
    if (this.o.filter(ev)) out.event(ev);
  }

  /** A gap marker (`recordedNode`: the node a replayed capture names); while events are held it waits in its place among them. */
  gap(fromMs: number, toMs: number, reason: string, recordedNode?: string): void {
    if (this.o.output.countReached) return;
    const node = this.node ?? recordedNode;
    const gap: GapMarker =
      node === undefined ? { event: 'gap', fromMs, toMs, reason } : { event: 'gap', fromMs, toMs, reason, node };
    if (this.held) {
      this.held.push(gap);
      return;
    }
    if (this.o.sinks) for (const s of this.o.sinks) s.gap(gap);
    this.o.output.gap(gap);
  }
}
