/**
 * The lines `check` prints on stdout: one per step, aligned columns
 * (status, step, detail; a failure's or warning's remedy follows its detail
 * after "; "), then one result line. Untrusted text (lnd's error texts, the
 * node's alias) is sanitized here, so no control character reaches the terminal.
 */
import { ExitCode } from '../errors.js';
import type { Colorizer } from '../format/types.js';
import { sanitize } from '../format/sanitize.js';
import type { StepReport, StepStatus } from './types.js';

const LABEL: Readonly<Record<StepStatus, string>> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' };
const STATUS_WIDTH = 4;

function paint(status: StepStatus, text: string, c: Colorizer): string {
  switch (status) {
    case 'ok':
      return c.green(text);
    case 'warn':
      return c.yellow(text);
    case 'fail':
      return c.bold(c.red(text));
    case 'skip':
      return c.dim(text);
  }
}

/** `ok    config     detail`; `idWidth` is the widest step id, so the details line up. */
export function formatStepLine(r: StepReport, idWidth: number, c: Colorizer): string {
  const status = paint(r.status, LABEL[r.status].padEnd(STATUS_WIDTH), c);
  const text = r.remedy ? `${r.detail}; ${r.remedy}` : r.detail;
  const line = `${status}  ${r.id.padEnd(idWidth)}  ${sanitize(text)}`;
  return r.status === 'skip' ? line.replace(/ +$/, '') : line;
}

/** The last line: ready (with the number of warnings) or the first failure and its exit code. */
export function formatResultLine(reports: readonly StepReport[], address: string | undefined, c: Colorizer): string {
  const first = reports.find((r) => r.status === 'fail');
  if (first) {
    return `${c.bold(c.red('not ready'))}: ${first.id} failed (exit ${first.exitCode ?? ExitCode.INTERNAL})`;
  }
  const warnings = reports.filter((r) => r.status === 'warn').length;
  const where = address ? ` lnd at ${address}` : '';
  const note = warnings === 0 ? '' : ` (${warnings} warning${warnings === 1 ? '' : 's'})`;
  return `${c.bold(c.green('ready'))}: htlc-tail can tail${where}${note}`;
}
