/**
 * The shapes of `htlc-tail check`: a step runs and gives an outcome (ok,
 * warn or fail, with a short detail and, when it fails, the remedy and the
 * exit code); the runner turns outcomes into reports, adding `skip` for steps
 * whose prerequisites did not pass.
 */

import type { ExitCode } from '../errors.js';

export type StepStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** What a step found. `fail` carries the documented exit code of the failure. */
export type StepOutcome =
  | { readonly status: 'ok' | 'warn'; readonly detail: string; readonly remedy?: string }
  | { readonly status: 'fail'; readonly detail: string; readonly remedy?: string; readonly exitCode: ExitCode };

export interface Step<C> {
  /** Short id, used in `needs` and as the line's label. */
  readonly id: string;
  /** Steps that must pass (ok or warn) before this one means anything; otherwise it is skipped. */
  readonly needs: readonly string[];
  run(ctx: C): Promise<StepOutcome> | StepOutcome;
}

export interface StepReport {
  readonly id: string;
  readonly status: StepStatus;
  readonly detail: string;
  readonly remedy?: string;
  /** For `fail`: the exit code. */
  readonly exitCode?: ExitCode;
  /** For `skip`: the failed step that made this one meaningless. */
  readonly skippedBecause?: string;
}

export const ok = (detail: string): StepOutcome => ({ status: 'ok', detail });
export const warn = (detail: string, remedy?: string): StepOutcome =>
  remedy === undefined ? { status: 'warn', detail } : { status: 'warn', detail, remedy };
export const fail = (exitCode: ExitCode, detail: string, remedy?: string): StepOutcome =>
  remedy === undefined ? { status: 'fail', detail, exitCode } : { status: 'fail', detail, remedy, exitCode };
