/**
 * The event pipeline every command shares: correlate → stats → aliases →
 * filter → format → writer, and --count. Transport-agnostic: the tail's lnd
 * session, the demo and replay all push events into it. Pure parts live in
 * events/ and format/; this file only wires them to the writer.
 */
import type { GapMarker, HtlcEvent, OutputItem } from '../events/model.js';
import { Correlator } from '../events/correlate.js';
import { Stats } from '../events/stats.js';
import type { AliasBook } from '../events/aliases.js';
import { getFormatter } from '../format/index.js';
import type { FormatContext } from '../format/types.js';
import type { FormatName } from '../format/names.js';
import type { LineWriter } from '../output/writer.js';

export interface PipelineOptions {
  readonly format: FormatName;
  readonly ctx: FormatContext;
  readonly filter: (item: OutputItem) => boolean;
  readonly count?: number;
  readonly writer: LineWriter;
  /** Asked to stop reading when the writer is full, and to go on when it drained. */
  readonly pause: () => void;
  readonly resume: () => void;
  /** Called once when --count is reached. */
  readonly onCountReached: () => void;
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
}

export class Pipeline {
  readonly correlator = new Correlator();
  readonly stats = new Stats();
  private printed = 0;
  private stopped = false;
  /** Events (and gap markers, in their place) held until release(). */
  private held: OutputItem[] | undefined;
  /** The writer is full: its drain resumes reading. */
  private writerFull = false;
  private readonly format;
  private readonly collectStats: boolean;

  constructor(private readonly o: PipelineOptions) {
    this.collectStats = o.collectStats !== false;
    const f = getFormatter(o.format);
    this.format = f.format;
    const header = f.header?.(o.ctx);
    if (header !== undefined) o.writer.write(header);
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
    // Reading was paused for the hold: go on, unless the writer filled up meanwhile (then its drain resumes).
    if (held.length >= 10_000 && !this.writerFull) this.o.resume();
  }

  push(ev: HtlcEvent): void {
    if (this.stopped) return;
    if (this.held) {
      this.held.push(ev);
      if (this.held.length >= 10_000) this.o.pause();
      return;
    }
    this.correlator.apply(ev);
    if (this.collectStats) this.stats.add(ev);
    const book = this.o.aliases;
    if (book) {
      book.enrich(ev);
      if (this.o.onUnknownChannel && book.unknownChannel(ev)) this.o.onUnknownChannel();
    }
    if (!this.o.filter(ev)) return;
    this.emit(ev);
    if (this.o.count !== undefined && ++this.printed >= this.o.count) {
      this.stopped = true;
      this.o.onCountReached();
    }
  }

  /** A gap marker; while events are held it waits in its place among them. */
  gap(fromMs: number, toMs: number, reason: string): void {
    if (this.stopped) return;
    const gap: GapMarker = { event: 'gap', fromMs, toMs, reason };
    if (this.held) this.held.push(gap);
    else this.emit(gap);
  }

  /** Whether --count was reached. */
  get countReached(): boolean {
    return this.stopped;
  }

  private emit(item: OutputItem): void {
    if (!this.o.writer.write(this.format(item, this.o.ctx))) {
      this.o.pause();
      this.writerFull = true;
      this.o.writer.onDrain(() => {
        this.writerFull = false;
        this.o.resume();
      });
    }
  }
}
