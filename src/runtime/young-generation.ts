/**
 * Caps V8's young generation for the long-running commands (tail, demo,
 * replay), to keep the resident memory of a tail that runs for weeks small
 * (an lnd node is often a Raspberry Pi).
 *
 * V8 grows its young generation ("new space", two semi-spaces) by doubling
 * whenever objects keep surviving scavenges, up to 16 MB per semi-space on
 * 64-bit: 32 MB resident. A stream always has a little in flight (the batch
 * being written, the message being read), so over a long run it always
 * reaches that maximum, although almost everything it allocates dies young.
 * Measured on the flood bench: with the semi-space capped at 4 MB the CPU
 * time is the same (±3%) and the peak RSS about 20 MB lower.
 *
 * `--max-semi-space-size` is only read when the heap is set up, so it cannot
 * be set from inside; `--semi-space-growth-factor` is read at each growth.
 * So: the semi-space grows as V8 decides until it reaches the cap, then the
 * growth factor is set to 1 (no further growth). A flag on the node command
 * line or in NODE_OPTIONS that sizes the young generation wins: then nothing
 * is done. HTLC_TAIL_NO_HEAP_TUNING=1 turns this off.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

export const SEMI_SPACE_CAP_MB = 4;

/** Whether the user sized the young generation themselves (node flags or NODE_OPTIONS). */
export function userSizedYoungGeneration(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const re = /^--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor|max-young-generation-size)(=|$)/;
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) => re.test(a.replace(/_/g, '-')));
}

function newSpaceBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

export function capYoungGeneration(capMb = SEMI_SPACE_CAP_MB): void {
  if (process.env['HTLC_TAIL_NO_HEAP_TUNING'] === '1') return;
  if (userSizedYoungGeneration(process.execArgv, process.env['NODE_OPTIONS'])) return;
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
