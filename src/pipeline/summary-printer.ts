/**
 * Prints the summary (--stats) on stderr at exit, and every --stats-interval
 * seconds. The block height for "blocks left" comes from GetInfo when the
 * macaroon allows it (info:read; without it the summary has no "blocks left",
 * and no warning: the alias lookups already warn about a missing info:read).
 * GetInfo is asked at every subscription and again at each periodic summary
 * (for the next one), so a tail that runs for months keeps a current height;
 * a permission denied stops the asking.
 *
 * At exit: no summary when no HTLC event arrived (nothing to summarize: a
 * Ctrl-C right after start prints nothing), and on a terminal the summary
 * starts on a line of its own (after the `^C` the terminal echoed).
 */
import type { AliasBook } from '../events/aliases.js';
import type { Correlator } from '../events/correlate.js';
import type { Stats } from '../events/stats.js';
import { formatSummary } from '../format/summary.js';
import type { NodeLookups } from '../transport/lookups.js';
import { GrpcCode } from '../transport/status.js';
import type { Config } from '../config/types.js';
import { createColorizer } from '../format/colorizer.js';

/** What the summary reads: one node's statistics and HTLCs in flight (a NodeLane, or a Pipeline). */
export interface SummarySource {
  readonly stats: Stats;
  readonly correlator: Correlator;
}

export class SummaryPrinter {
  private timer: NodeJS.Timeout | undefined;
  private blockHeight: number | undefined;
  private lookups: Pick<NodeLookups, 'getInfo'> | undefined;
  private asking = false;
  private denied = false;

  constructor(
    private readonly out: Config['output'],
    private readonly pipeline: SummarySource,
    private readonly book: AliasBook | undefined,
    /** The node's name, when the run tails several nodes (each has its own summary). */
    private readonly node?: () => string,
  ) {}

  setLookups(l: Pick<NodeLookups, 'getInfo'> | undefined): void {
    this.lookups = l;
    this.refreshHeight();
  }

  private refreshHeight(): void {
    const l = this.lookups;
    if (!this.out.stats || !l || this.asking || this.denied) return;
    this.asking = true;
    l.getInfo().then(
      (info) => {
        this.asking = false;
        if (info.blockHeight > 0) this.blockHeight = info.blockHeight;
      },
      (e: unknown) => {
        this.asking = false;
        const d = (e as { details?: string; message?: string })?.details ?? (e as Error)?.message ?? '';
        if ((e as { code?: number })?.code === GrpcCode.PERMISSION_DENIED || /permission denied/i.test(d))
          this.denied = true;
      },
    );
  }

  startInterval(): void {
    const sec = this.out.statsIntervalSec;
    if (!sec) return;
    this.timer = setInterval(() => {
      this.print();
      this.refreshHeight();
    }, sec * 1000);
    this.timer.unref();
  }

  stopInterval(): void {
    if (this.timer) clearInterval(this.timer);
  }

  printFinal(): void {
    if (!this.out.stats || this.pipeline.stats.htlcEvents === 0) return;
    this.print(process.stderr.isTTY === true ? '\n' : '');
  }

  private print(lead = ''): void {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const summary = this.pipeline.stats.snapshot({
      nowNs,
      stuckAfterSec: this.out.stuckAfterSec,
      blockHeight: this.blockHeight,
      inFlight: this.pipeline.correlator.inFlight(nowNs),
    });
    const book = this.book;
    const text = formatSummary(summary, {
      colorizer: createColorizer(this.out.stderrColor ?? false),
      aliasOf: book ? (id: string) => book.aliasOf(id) : undefined,
      ...(this.node ? { node: this.node() } : {}),
    });
    process.stderr.write(lead + (text.endsWith('\n') ? text : `${text}\n`));
  }
}
