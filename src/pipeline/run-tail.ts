/**
 * Runs a live tail: one event source (an lnd session) into the pipeline, with
 * the output writer, signals, --count, alias lookups and the summary. Shared by
 * `htlc-tail` and `htlc-tail demo`, so both behave the same.
 */
import type { Config } from '../config/types.js';
import { AliasBook } from '../events/aliases.js';
import { makeFilter } from '../events/filter.js';
import { unmatchedAliasWarnings } from '../events/alias-suggest.js';
import { outputFormatContext } from '../runtime/format-context.js';
import type { HtlcEvent } from '../events/model.js';
import { createLineWriter } from '../output/writer.js';
import { Pipeline } from './pipeline.js';
import type { EventSource } from './source.js';
import { stderrNotify, type Notify } from './notices.js';
import { AliasLoader, type AliasLookups } from './alias-loader.js';
import { SummaryPrinter } from './summary-printer.js';

export interface SourceHooks {
  readonly notify: Notify;
  onEvent(ev: HtlcEvent): void;
  onGap(fromMs: number, toMs: number, reason: string): void;
  /** A subscription is established; `lookups` reaches the node's unary calls for aliases and block height. */
  onSubscribed(lookups: AliasLookups | undefined, reconnected: boolean): void;
}

export type SourceFactory = (hooks: SourceHooks) => EventSource;

export async function runTail(config: Config, makeSource: SourceFactory, notify: Notify = stderrNotify()): Promise<number> {
  let source: EventSource | undefined;
  const book = config.output.aliases ? new AliasBook() : undefined;
  const loader = book ? new AliasLoader(book, notify) : undefined;
  let lookupsInUse: AliasLookups | undefined;
  let stopping = false;
  const stop = () => {
    stopping = true;
    loader?.close();
    source?.stop();
  };
  const writer = createLineWriter(process.stdout, stop);
  const pipeline = new Pipeline({
    collectStats: config.output.stats,
    format: config.output.format,
    ctx: outputFormatContext(config.output, process.stdout),
    filter: makeFilter(config.filter, book ? (id: string) => book.aliasOf(id) : undefined),
    count: config.count,
    writer,
    pause: () => source?.pause(),
    resume: () => source?.resume(),
    onCountReached: stop,
    aliases: book,
    onUnknownChannel: loader ? () => loader.refreshSoon() : undefined,
  });
  const summary = new SummaryPrinter(config.output, pipeline, book);

  source = makeSource({
    notify,
    onEvent: (ev) => pipeline.push(ev),
    onGap: (from, to, reason) => pipeline.gap(from, to, reason),
    onSubscribed: (lookups, reconnected) => {
      if (!reconnected) notify('subscribed to HTLC events', 'info');
      lookupsInUse = lookups;
      summary.setLookups(lookups);
      if (loader && lookups) {
        loader.setLookups(lookups);
        if (!reconnected) {
          pipeline.hold();
          void loader.load().finally(() => {
            pipeline.release();
            if (book!.isLoaded) for (const w of unmatchedAliasWarnings(config.filter, book!.knownAliases())) notify(`warning: ${w}`);
          });
        }
      }
    },
  });

  const onSignal = () => stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  summary.startInterval();
  try {
    await source.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    summary.stopInterval();
    // The stream ended while the first alias lookup was still running: let it finish
    // (bounded by its deadline), so the events held for it get their aliases.
    if (!stopping) await loader?.idle();
    loader?.close();
    pipeline.release();
    if (!writer.closed) await writer.flush();
    if (!writer.closed) summary.printFinal();
    lookupsInUse?.close?.();
  }
  return 0;
}
