/**
 * V8 heap sizing for the long-running commands (tail, demo, replay), to keep
 * the resident memory of a tail that runs for weeks small and flat (an lnd
 * node is often a Raspberry Pi). Two node flags, set when node starts (V8
 * reads them when it sets the heap up; changing them at run time is not
 * supported), never from inside a running process:
 *
 * - `--max-semi-space-size=8`: the young generation ("new space", two
 *   semi-spaces) at most 2 × 8 MB. V8 doubles it whenever objects keep
 *   surviving scavenges, up to 16 MB per semi-space on 64-bit: 32 MB resident.
 *   A stream always has a little in flight (the batch being written, the
 *   message being read), so over a long run it reaches that maximum although
 *   almost everything it allocates dies young. Measured on the flood bench:
 *   the peak RSS 16 MB lower at the same CPU time; 4 MB saves 12 MB more but
 *   costs about 12% more CPU in scavenges.
 * - `--heap-growing-percent=25`: the old generation grows to 1.25× what was
 *   live after the last full GC before the next one, instead of V8's default
 *   of up to 2-4× for a fast-allocating program. A tail's live heap is small
 *   and steady (about 12 MB): a few more full GCs of a small heap keep the
 *   peak flat (the 1M-event run within a few % of the 200k-event run).
 *
 * This module decides which flags a run needs (pure); runtime/relaunch.ts
 * starts the command again in a child node with them when they are missing.
 * Whoever starts node with the flags already (a systemd unit, `node
 * --max-semi-space-size=8 --heap-growing-percent=25 $(command -v htlc-tail)`)
 * runs in one process. A flag of the user's own that sizes that part of the
 * heap (on the node command line or in NODE_OPTIONS) wins: that flag is then
 * not added. HTLC_TAIL_NO_HEAP_TUNING=1 adds none.
 */

export const SEMI_SPACE_CAP_MB = 8;
export const OLD_GROWING_PERCENT = 25;
export const NO_HEAP_TUNING_ENV = 'HTLC_TAIL_NO_HEAP_TUNING';

/** The commands whose heap is sized: they run until stopped, or through a capture of any size. */
export const HEAP_TUNED_COMMANDS: ReadonlySet<string> = new Set(['tail', 'demo', 'replay', 'record']);

export const YOUNG_GENERATION_FLAG = `--max-semi-space-size=${SEMI_SPACE_CAP_MB}`;
export const OLD_GENERATION_FLAG = `--heap-growing-percent=${OLD_GROWING_PERCENT}`;

function userFlags(execArgv: readonly string[], nodeOptions: string | undefined, re: RegExp): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) => re.test(a.replace(/_/g, '-')));
}

/** Whether the user sized the young generation themselves (node flags or NODE_OPTIONS). */
export function userSizedYoungGeneration(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return userFlags(
    execArgv,
    nodeOptions,
    /^--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor|max-young-generation-size)(=|$)/,
  );
}

/** Whether the user set how the old generation grows (node flags or NODE_OPTIONS). */
export function userSizedOldGeneration(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return userFlags(
    execArgv,
    nodeOptions,
    /^--(heap-growing-percent|max-old-space-size|initial-old-space-size|max-heap-size|initial-heap-size)(=|$)/,
  );
}

/**
 * The node flags `command` should run with that this process lacks: none for
 * the short commands, with HTLC_TAIL_NO_HEAP_TUNING=1, or when every part is
 * already sized (by us or by the user).
 */
export function heapFlagsFor(
  command: string,
  execArgv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  if (!HEAP_TUNED_COMMANDS.has(command) || env[NO_HEAP_TUNING_ENV] === '1') return [];
  const nodeOptions = env['NODE_OPTIONS'];
  const flags: string[] = [];
  if (!userSizedYoungGeneration(execArgv, nodeOptions)) flags.push(YOUNG_GENERATION_FLAG);
  if (!userSizedOldGeneration(execArgv, nodeOptions)) flags.push(OLD_GENERATION_FLAG);
  return flags;
}
