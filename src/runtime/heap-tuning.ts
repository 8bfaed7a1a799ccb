/**
 * V8 heap sizing for the long-running commands (tail, demo, replay), to keep
 * the resident memory of a tail that runs for weeks small and flat (an lnd
 * node is often a Raspberry Pi). Two settings:
 *
 * - The young generation ("new space", two semi-spaces) is capped at 8 MB
 *   semi-spaces. V8 doubles it whenever objects keep surviving scavenges, up
 *   to 16 MB per semi-space on 64-bit: 32 MB resident. A stream always has a
 *   little in flight (the batch being written, the message being read), so
 *   over a long run it always reaches that maximum, although almost
 *   everything it allocates dies young. `--max-semi-space-size` is only read
 *   when the heap is set up, so it cannot be set from inside;
 *   `--semi-space-growth-factor` is read at each growth. So: the semi-space
 *   grows as V8 decides until it reaches the cap, then the growth factor is
 *   set to 1. Measured on the flood bench (1M events): peak RSS 16 MB lower
 *   than at 16 MB, for the same CPU time; a 4 MB cap saves 12 MB more but
 *   costs about 12% more CPU in scavenges.
 * - The old generation may grow to 1.25× what was live after the last full
 *   GC before the next one (`--heap-growing-percent=25`, read at each GC),
 *   instead of V8's default of up to 2-4× for a fast-allocating program. The
 *   live heap of a tail is small and steady (about 12 MB), so this costs a
 *   few more full GCs of a small heap and keeps the peak flat: the 1M-event
 *   run peaks within a few % of the 200k-event run instead of 18% above it.
 *
 * A flag on the node command line or in NODE_OPTIONS that sizes the heap
 * wins: then that part is left alone. HTLC_TAIL_NO_HEAP_TUNING=1 turns both off.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

export const SEMI_SPACE_CAP_MB = 8;
export const OLD_GROWING_PERCENT = 25;

function userFlags(execArgv: readonly string[], nodeOptions: string | undefined, re: RegExp): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) => re.test(a.replace(/_/g, '-')));
}

/** Whether the user sized the young generation themselves (node flags or NODE_OPTIONS). */
export function userSizedYoungGeneration(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return userFlags(execArgv, nodeOptions, /^--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor|max-young-generation-size)(=|$)/);
}

/** Whether the user set how the old generation grows (node flags or NODE_OPTIONS). */
export function userSizedOldGeneration(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return userFlags(execArgv, nodeOptions, /^--(heap-growing-percent|max-old-space-size|initial-old-space-size|max-heap-size|initial-heap-size)(=|$)/);
}

function newSpaceBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

export function capYoungGeneration(capMb = SEMI_SPACE_CAP_MB): void {
  // new space = two semi-spaces (plus a page or so).
  const limit = 2 * capMb * 1024 * 1024;
  const stopGrowing = (): boolean => {
    if (newSpaceBytes() < limit) return false;
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    return true;
  };
  if (stopGrowing()) return;
  const observer = new PerformanceObserver(() => {
    if (stopGrowing()) observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}

/** Both settings, unless turned off or set by the user. */
export function tuneHeap(): void {
  if (process.env['HTLC_TAIL_NO_HEAP_TUNING'] === '1') return;
  const nodeOptions = process.env['NODE_OPTIONS'];
  if (!userSizedOldGeneration(process.execArgv, nodeOptions)) v8.setFlagsFromString(`--heap-growing-percent=${OLD_GROWING_PERCENT}`);
  if (!userSizedYoungGeneration(process.execArgv, nodeOptions)) capYoungGeneration();
}
