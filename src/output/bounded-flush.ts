/**
 * The final flush of a tail, bounded: everything received is written, however
 * slowly the reader takes it, unless the user asked to stop (a signal) and the
 * output then stops moving: after `stallMs` without the stream taking a batch
 * the flush gives up, so a reader that never reads cannot hold the process
 * forever. Without a signal (e.g. --count reached) it waits as long as it
 * takes: nothing received is dropped unasked.
 */
import type { LineWriter } from './writer.js';

/** How long the output may stand still after a stop signal before the flush gives up. */
export const STALL_MS = 5_000;

/** Resolves true when everything was written, false when it gave up. `onStopRequested` runs its callback at once if a stop was already asked for. */
export function flushBounded(
  writer: LineWriter,
  onStopRequested: (cb: () => void) => void,
  stallMs: number = STALL_MS,
): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    let watch: NodeJS.Timeout | undefined;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      clearInterval(watch);
      resolve(ok);
    };
    void writer.flush().then(() => finish(true));
    onStopRequested(() => {
      if (done || watch) return;
      let last = writer.progress;
      let since = Date.now();
      watch = setInterval(
        () => {
          if (writer.closed) return finish(true);
          if (writer.progress !== last) {
            last = writer.progress;
            since = Date.now();
          } else if (Date.now() - since >= stallMs) finish(false);
        },
        Math.min(100, stallMs),
      );
    });
  });
}
