/**
 * Runs check steps in order. A step whose prerequisites (`needs`) did not pass
 * is reported as skipped, naming the failed step at the root of it; the steps
 * that do not depend on a failure still run. The exit code is that of the
 * first failure in step order, 0 when nothing failed (warnings allowed).
 */
import { ExitCode, exitCodeFor, HtlcTailError } from '../errors.js';
import { fail, type Step, type StepOutcome, type StepReport } from './types.js';

/** The outcome for an error thrown by a step: an HtlcTailError is a failure with its exit code; anything else is a bug (1). */
export function outcomeOfError(err: unknown): StepOutcome {
  if (err instanceof HtlcTailError) return fail(exitCodeFor(err), oneLine(err.message));
  const msg = err instanceof Error ? err.message : String(err);
  return fail(ExitCode.INTERNAL, `internal error: ${oneLine(msg)} (this is a bug; run with --debug for details)`);
}

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

export interface RunHooks {
  /** Called with each report as soon as it is known, in step order. */
  readonly onReport?: (report: StepReport) => void;
  /** Called with an error a step threw (for --debug). */
  readonly onError?: (id: string, err: unknown) => void;
}

export async function runSteps<C>(steps: readonly Step<C>[], ctx: C, hooks: RunHooks = {}): Promise<StepReport[]> {
  const byId = new Map<string, StepReport>();
  const reports: StepReport[] = [];
  for (const step of steps) {
    let report: StepReport;
    const blocker = firstBlocker(step, byId);
    if (blocker !== undefined) {
      report = { id: step.id, status: 'skip', detail: `skipped: ${blocker} failed`, skippedBecause: blocker };
    } else {
      let outcome: StepOutcome;
      try {
        outcome = await step.run(ctx);
      } catch (err) {
        hooks.onError?.(step.id, err);
        outcome = outcomeOfError(err);
      }
      report = { id: step.id, ...outcome };
    }
    byId.set(step.id, report);
    reports.push(report);
    hooks.onReport?.(report);
  }
  return reports;
}

/** The failed step at the root of an unmet prerequisite, or undefined when every prerequisite passed. */
function firstBlocker<C>(step: Step<C>, done: ReadonlyMap<string, StepReport>): string | undefined {
  for (const need of step.needs) {
    const r = done.get(need);
    if (!r) throw new Error(`check step ${step.id} needs ${need}, which does not run before it`);
    if (r.status === 'fail') return r.id;
    if (r.status === 'skip') return r.skippedBecause ?? r.id;
  }
  return undefined;
}

/** 0 when no step failed, else the exit code of the first failure. */
export function checkExitCode(reports: readonly StepReport[]): number {
  const first = reports.find((r) => r.status === 'fail');
  return first ? (first.exitCode ?? ExitCode.INTERNAL) : ExitCode.OK;
}
