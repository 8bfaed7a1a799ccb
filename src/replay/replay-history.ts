/**
 * `htlc-tail replay --db`: the history store's events (and gap lines in their
 * place) through the same pipeline as a capture: filters, formats, --count,
 * the summary. Each event keeps the correlation recorded with it
 * (history/read.ts `toRecorded`), so the output is what the live tail printed
 * for the same events. Reading follows the output: when stdout is full the
 * read waits for it to drain, so any number of events replays in bounded
 * memory; the store is read in slices with the event loop free between them
 * (Ctrl-C, a closed pipe and --count end it at once).
 */
import type { Writable } from 'node:stream';
import type { Config } from '../config/types.js';
import { readHistory, toRecorded, type HistoryRange } from '../history/read.js';
import type { Db } from '../history/sqlite.js';
import { createLineWriter } from '../output/writer.js';
import { replayPipeline, writeReplaySummary } from './run-replay.js';

/** Items pushed between two turns of the event loop. */
const SLICE = 2000;

export interface HistoryReplayRun {
  readonly config: Config;
  readonly db: Db;
  readonly range: HistoryRange;
  readonly out?: Writable;
  readonly err?: Writable;
}

export async function replayHistory(o: HistoryReplayRun): Promise<{ readonly events: number }> {
  const { config } = o;
  const out = o.out ?? process.stdout;
  let stopped = false;
  let paused = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  const writer = createLineWriter(out, stop);
  const pipeline = replayPipeline(config, out, writer, {
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      wake?.();
    },
    stop,
  });
  const items = readHistory(o.db, o.range);
  let events = 0;
  let lastTs = '0';
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    for (let done = false; !done && !stopped;) {
      if (paused) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      for (let n = 0; n < SLICE && !paused && !stopped; n++) {
        const next = items.next();
        if (next.done) {
          done = true;
          break;
        }
        const item = next.value.item;
        if (item.event === 'gap') {
          pipeline.gap(item.fromMs, item.toMs, item.reason);
          continue;
        }
        events++;
        const ts = item.timestampNs;
        if (ts.length > lastTs.length || (ts.length === lastTs.length && ts > lastTs)) lastTs = ts;
        pipeline.push(toRecorded(item));
      }
      if (!done) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    items.return(undefined);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (!writer.closed) await writer.flush();
  }
  if (!writer.closed) writeReplaySummary(pipeline, config, lastTs, undefined, o.err ?? process.stderr);
  return { events };
}
