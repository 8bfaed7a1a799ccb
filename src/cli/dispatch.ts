/**
 * Runs the command Commander parsed: each command's module loads only now
 * (so `--help` loads none of them), with the stop signals bin/ installed.
 *
 * Signals (issue 10): bin/htlc-tail.js installs the SIGINT/SIGTERM handlers
 * before the CLI's modules load. tail and demo take them over, so a signal at
 * any moment ends them with exit 0: one that came while the CLI was loading
 * ends the run here at once (nothing was started). The other commands keep
 * the default action of a signal (killed, 130/143): their handlers are
 * removed, and a signal that came while loading is raised again.
 *
 * Heap sizing (runtime/heap-tuning.ts): a long-running command started
 * without the V8 flags it needs is run again in a child node that has them
 * (runtime/relaunch.ts).
 */
import type {
  CheckOptions,
  DemoOptions,
  RecordOptions,
  ReplayOptions,
  ReportOptions,
  TailOptions,
} from '../config/options.js';
import { ExitCode } from '../errors.js';
import { heapFlagsFor } from '../runtime/heap-tuning.js';
import { adoptLauncher, raiseAgain, relaunch } from '../runtime/relaunch.js';
import type { StopSignals } from '../runtime/stop-signals.js';

/** A command and its options, typed at the Commander boundary (cli/typed-options.ts). */
export type Invocation =
  | { readonly command: 'tail'; readonly opts: TailOptions }
  | { readonly command: 'demo'; readonly opts: DemoOptions }
  | { readonly command: 'record'; readonly opts: RecordOptions }
  | { readonly command: 'check'; readonly opts: CheckOptions }
  | { readonly command: 'replay'; readonly opts: ReplayOptions; readonly file: string | undefined }
  | { readonly command: 'report'; readonly opts: ReportOptions; readonly file: string | undefined };

export type CommandName = Invocation['command'];

/** The commands that stop cleanly on SIGINT/SIGTERM (exit 0, everything received written). */
export const STOPPABLE: ReadonlySet<CommandName> = new Set<CommandName>(['tail', 'demo', 'record']);

export async function dispatch(inv: Invocation, signals: StopSignals): Promise<number> {
  // The child of a relaunch never relaunches again, whatever its flags.
  const relaunched = adoptLauncher();
  const stoppable = STOPPABLE.has(inv.command);
  if (signals.received) {
    if (stoppable) return ExitCode.OK;
    return raiseAgain(signals.received, signals);
  }
  const flags = relaunched ? [] : heapFlagsFor(inv.command, process.execArgv, process.env);
  if (flags.length > 0) {
    const code = await relaunch(flags, signals, { stoppable });
    if (code !== undefined) return code;
    // The child could not be started: run here, without the flags.
  }
  if (!stoppable) signals.dispose();
  return run(inv, signals);
}

async function run(inv: Invocation, signals: StopSignals): Promise<number> {
  switch (inv.command) {
    case 'tail':
      return (await import('../commands/tail.js')).runTailCommand(inv.opts, signals);
    case 'demo':
      return (await import('../commands/demo.js')).runDemoCommand(inv.opts, signals);
    case 'record':
      return (await import('../commands/record.js')).runRecordCommand(inv.opts, signals);
    case 'check':
      return (await import('../commands/check.js')).runCheckCommand(inv.opts);
    case 'replay':
      return (await import('../commands/replay.js')).runReplayCommand(inv.opts, inv.file);
    case 'report':
      return (await import('../commands/report.js')).runReportCommand(inv.opts, inv.file);
  }
}
