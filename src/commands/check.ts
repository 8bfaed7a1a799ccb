/**
 * `htlc-tail check`: diagnose the connection to lnd step by step (config,
 * cert, macaroon, TCP, TLS, wallet state, GetInfo, a subscription) and exit
 * 0 when htlc-tail can tail, else with the exit code of the first failure.
 *
 * The report is this command's product, so its lines go to stdout (one per
 * step, then a result line); stderr stays for --debug stack traces and for
 * errors outside the steps. Steps whose prerequisites failed are listed as
 * skipped. Nothing printed ever holds macaroon bytes or hex.
 *
 * With --wait, lnd is waited for first (check/wait.ts: one stderr line per
 * change of state), and the report of the try that found it ready follows.
 */
import { defaultConfigIo } from '../config/io.js';
import type { CheckOptions } from '../config/options.js';
import { decideColor } from '../config/values.js';
import { HtlcTailError } from '../errors.js';
import { createColorizer } from '../format/colorizer.js';
import type { Colorizer } from '../format/types.js';
import { addressOf } from '../transport/target.js';
import { formatResultLine, formatStepLine } from '../check/format.js';
import { checkExitCode, runSteps } from '../check/runner.js';
import { CHECK_STEPS, CheckRun } from '../check/steps.js';
import { checkWhenReady } from '../check/wait.js';
import { stderrNotify } from '../pipeline/notices.js';
import type { StepReport } from '../check/types.js';

export async function runCheckCommand(opts: CheckOptions): Promise<number> {
  const io = defaultConfigIo();
  const env = process.env;
  const debug = opts.debug === true;
  const idWidth = Math.max(...CHECK_STEPS.map((s) => s.id.length));

  // A reader that goes away (check | head -1) ends the output, not the check.
  let closed = false;
  process.stdout.on('error', () => {
    closed = true;
  });
  const print = (line: string) => {
    if (!closed) process.stdout.write(`${line}\n`);
  };
  const onError = (_id: string, err: unknown) => {
    if (!debug) return;
    const e = err instanceof HtlcTailError ? err.cause : err;
    if (e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  };
  let colorizer: Colorizer | undefined;
  // Colour as the config decides it (--color is not a check option: auto, NO_COLOR, FORCE_COLOR).
  const colors = (run: CheckRun): Colorizer =>
    (colorizer ??= createColorizer(run.config ? run.config.output.color : decideColor('auto', env, io.stdoutIsTTY)));

  let run: CheckRun;
  let reports: StepReport[];
  if (opts.wait === true) {
    ({ reports, run } = await checkWhenReady({
      steps: CHECK_STEPS,
      makeRun: () => new CheckRun(opts, env, io),
      notify: stderrNotify(true),
      onError,
    }));
    for (const r of reports) print(formatStepLine(r, idWidth, colors(run)));
  } else {
    run = new CheckRun(opts, env, io);
    const current = run;
    try {
      reports = await runSteps(CHECK_STEPS, run, { onReport: (r) => print(formatStepLine(r, idWidth, colors(current))), onError });
    } catch (e) {
      run.close();
      throw e;
    }
  }
  try {
    print(formatResultLine(reports, run.spec ? addressOf(run.spec) : undefined, colors(run)));
    return checkExitCode(reports);
  } finally {
    run.close();
  }
}
