/**
 * Prints the summary (--stats) on stderr at exit, and every --stats-interval
 * seconds. The block height for "blocks left" comes from GetInfo when the
 * macaroon allows it.
 */
import type { AliasBook } from '../events/aliases.js';
import { formatSummary } from '../format/summary.js';
import type { Pipeline } from './pipeline.js';
import type { AliasLookups } from './alias-loader.js';
import type { Config } from '../config/types.js';
import { createColorizer } from '../format/colorizer.js';

export class SummaryPrinter {
  private timer: NodeJS.Timeout | undefined;
  private blockHeight: number | undefined;

  constructor(
    private readonly out: Config['output'],
    private readonly pipeline: Pipeline,
    private readonly book: AliasBook | undefined,
  ) {}

  setLookups(l: AliasLookups | undefined): void {
    if (!this.out.stats || !l) return;
    l.getInfo().then(
      (info) => {
        this.blockHeight = info.blockHeight || undefined;
      },
      () => undefined,
    );
  }

  startInterval(): void {
    const sec = this.out.statsIntervalSec;
    if (!sec) return;
    this.timer = setInterval(() => this.print(), sec * 1000);
    this.timer.unref();
  }

  stopInterval(): void {
    if (this.timer) clearInterval(this.timer);
  }

  printFinal(): void {
    if (this.out.stats) this.print();
  }

  private print(): void {
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
    });
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}
