/**
 * Runs a live tail: one event source (an lnd session) into the pipeline, with
 * the output writer, signals, --count, alias lookups and the summary. Shared by
 * `htlc-tail` and `htlc-tail demo`, so both behave the same.
 *
 * Signals: SIGINT/SIGTERM are handled from the start (runtime/stop-signals.ts)
 * to the exit of the process. The first one stops the source (a pending
 * connect, probe or backoff is abandoned at once); every event already
 * received is still written and the summary printed; later signals change
 * nothing. The final flush waits for a slow reader, but after a signal it
 * gives up once stdout has taken nothing for a few seconds, says on stderr
 * what was not written, and the process exits 0 (output/bounded-flush.ts).
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
import { StopSignals } from '../runtime/stop-signals.js';
import { flushBounded, STALL_MS } from '../output/bounded-flush.js';
import { proxyNotice } from '../lnd/proxy-env.js';

export interface SourceHooks {
  readonly notify: Notify;
  onEvent(ev: HtlcEvent): void;
  onGap(fromMs: number, toMs: number, reason: string): void;
  /** A subscription is established; `lookups` reaches the node's unary calls for aliases and block height. */
  onSubscribed(lookups: AliasLookups | undefined, reconnected: boolean): void;
}

export type SourceFactory = (hooks: SourceHooks) => EventSource;

export async function runTail(
  config: Config,
  makeSource: SourceFactory,
  notify: Notify = stderrNotify(),
  signals: StopSignals = new StopSignals(),
): Promise<number> {
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
  const proxy = proxyNotice(process.env);
  if (proxy) notify(proxy);

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

  // A signal that came before (during start-up) stops the source at once.
  signals.onStop(stop);
  summary.startInterval();
  let failure: { error: unknown } | undefined;
  try {
    await source.run();
  } catch (error) {
    failure = { error };
  } finally {
    summary.stopInterval();
    // The stream ended while the first alias lookup was still running: let it finish
    // (bounded by its deadline), so the events held for it get their aliases.
    if (!stopping) await loader?.idle();
    loader?.close();
    pipeline.release();
    let unwritten: { lines: number; bytes: number } | undefined;
    if (!writer.closed && !(await flushBounded(writer, (cb) => signals.onStop(cb)))) unwritten = writer.pending();
    if (unwritten) {
      notify(
        `stdout took no output for ${STALL_MS / 1000} s after the stop signal; ${unwritten.lines} line${unwritten.lines === 1 ? '' : 's'} (${unwritten.bytes} bytes) not written`,
      );
    }
    if (!writer.closed) summary.printFinal();
    lookupsInUse?.close?.();
    // stdout still holds what it did not take, and would keep the process alive until a reader takes it.
    if (unwritten) setTimeout(() => process.exit(), 200).unref();
  }
  // Events received before the stream failed (held for the first alias lookup) may have reached
  // --count on release: then the count came first, and the run ended normally.
  if (failure && !pipeline.countReached) throw failure.error;
  return 0;
}
