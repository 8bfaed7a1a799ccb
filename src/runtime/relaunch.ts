/**
 * Runs this command line again in a child node started with extra node flags
 * (the heap sizing of runtime/heap-tuning.ts, which node reads only at start),
 * and stands in for it: the child shares stdin, stdout and stderr (and the
 * terminal), the parent writes nothing and exits with the child's code.
 *
 * - Signals: SIGINT/SIGTERM sent to the parent alone (`kill PID`, systemd's
 *   main process) are passed on to the child; a terminal's Ctrl-C or a signal
 *   to the process group reaches both, and the child's later copies change
 *   nothing (runtime/stop-signals.ts).
 * - Exit: the child's exit code. A child killed by a signal: for tail and demo
 *   a SIGINT/SIGTERM can only have come before its own handlers were in
 *   place (node still starting), when nothing had been received, so that is
 *   exit 0 ("a signal at any moment ends with exit 0"); any other death is
 *   repeated on the parent (killed by the same signal).
 * - The parent gone (killed with SIGKILL): the child sees its IPC channel
 *   close and stops as on SIGTERM (adoptLauncher), instead of running on alone.
 */
import { constants } from 'node:os';
import { ExitCode } from '../errors.js';
import type { StopSignals } from './stop-signals.js';

/** Set in the child's environment; the child removes it at once. */
export const RELAUNCHED_ENV = 'HTLC_TAIL_RELAUNCHED';

const signalNumber = (sig: NodeJS.Signals): number => constants.signals[sig] ?? 0;

/** Ends this process with `sig`'s default action (handlers removed); 128 + its number should it survive (an ignored signal). */
export function raiseAgain(sig: NodeJS.Signals, signals: StopSignals): number {
  signals.dispose();
  process.kill(process.pid, sig);
  return 128 + signalNumber(sig);
}

/**
 * Starts the child and resolves with the exit code to end with, or undefined
 * when the child could not be started at all (the caller runs the command
 * itself then).
 */
export async function relaunch(
  flags: readonly string[],
  signals: StopSignals,
  o: { readonly stoppable: boolean },
): Promise<number | undefined> {
  // Loaded only here: the commands that are not relaunched (and --help) do not pay for it.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...flags, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [RELAUNCHED_ENV]: '1' },
    });
    let started = false;
    child.once('spawn', () => {
      started = true;
      signals.onStop((sig) => child.kill(sig));
    });
    child.once('error', () => {
      if (!started) resolve(undefined);
    });
    child.once('exit', (code, sig) => {
      if (code !== null) return resolve(code);
      if (sig === null) return resolve(ExitCode.INTERNAL);
      if (o.stoppable && (sig === 'SIGINT' || sig === 'SIGTERM')) return resolve(ExitCode.OK);
      resolve(raiseAgain(sig, signals));
    });
  });
}

/**
 * In a relaunched child: forgets the marker (so nothing this process starts
 * inherits it) and stops as on SIGTERM when the parent goes away. Returns
 * whether this process is such a child.
 */
export function adoptLauncher(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[RELAUNCHED_ENV] !== '1') return false;
  delete env[RELAUNCHED_ENV];
  const parentGone = () => process.kill(process.pid, 'SIGTERM');
  const channel = process.channel;
  if (channel) {
    // The channel only tells that the parent is gone: it keeps nothing running.
    channel.unref();
    if (process.connected) process.once('disconnect', parentGone);
    else parentGone();
  }
  return true;
}
