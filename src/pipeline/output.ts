/**
 * The output side of the pipeline, one per run: every node's lane
 * (lane.ts) hands it the items that passed its filters, in arrival order;
 * it formats them, writes them through the writer (asking every source to
 * pause while the writer is full), and counts printed events for --count.
 */
import type { GapMarker, HtlcEvent, OutputItem } from '../events/model.js';
import { getFormatter } from '../format/index.js';
import type { FormatName } from '../format/names.js';
import type { FormatContext } from '../format/types.js';
import type { LineWriter } from '../output/writer.js';

export interface OutputOptions {
  readonly format: FormatName;
  readonly ctx: FormatContext;
  readonly count?: number;
  readonly writer: LineWriter;
  /** Asked to stop reading (every source) when the writer is full, and to go on when it drained. */
  readonly pause: () => void;
  readonly resume: () => void;
  /** Called once when --count is reached. */
  readonly onCountReached: () => void;
}

export class OutputStage {
  private printed = 0;
  private stopped = false;
  /** The writer is full: its drain resumes reading. */
  private writerFull = false;
  private readonly format: (item: OutputItem, ctx: FormatContext) => string;

  constructor(private readonly o: OutputOptions) {
    const f = getFormatter(o.format);
    this.format = f.format;
    const header = f.header?.(o.ctx);
    if (header !== undefined) o.writer.write(header);
  }

  /** Whether --count was reached (nothing more is written then). */
  get countReached(): boolean {
    return this.stopped;
  }

  /** Whether the writer is full (its drain resumes the sources). */
  get full(): boolean {
    return this.writerFull;
  }

  /** An event that passed its node's filters. */
  event(ev: HtlcEvent): void {
    if (this.stopped) return;
    this.write(ev);
    if (this.o.count !== undefined && ++this.printed >= this.o.count) {
      this.stopped = true;
      this.o.onCountReached();
    }
  }

  gap(marker: GapMarker): void {
    if (!this.stopped) this.write(marker);
  }

  private write(item: OutputItem): void {
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
