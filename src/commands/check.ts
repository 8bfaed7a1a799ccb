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
 *
 * Several nodes (repeated -p or --lndconnect, `-p all`) or a profile: the
 * nodes are resolved first (a missing profile or a wrong macaroon password is
 * one line and its exit code, as for the tail), then each node is checked in
 * turn under a `node NAME (HOST:PORT)` line; the exit code is that of the
 * first node that is not ready (0 when all are).
 */
import { defaultConfigIo } from '../config/io.js';
import { resolveNodes, type ResolvedNode } from '../config/nodes.js';
import { requestProfiles } from '../config/profile-select.js';
import { terminalPasswordPrompt } from '../cli/password-prompt.js';
import { formatHostPort } from '../config/listen.js';
import type { CheckOptions } from '../config/options.js';
import { decideColor } from '../config/values.js';
import { HtlcTailError } from '../errors.js';
import { createColorizer } from '../format/colorizer.js';
import type { Colorizer } from '../format/types.js';
import { addressOf } from '../transport/target.js';
import { formatResultLine, formatStepLine } from '../check/format.js';
import { checkExitCode, runSteps } from '../check/runner.js';
import { CHECK_STEPS, CheckRun, type CheckNode, type CheckNodeOptions } from '../check/steps.js';
import { checkWhenReady } from '../check/wait.js';
import { stderrNotify } from '../pipeline/notices.js';
import type { StepReport } from '../check/types.js';

/** Whether the nodes must be resolved before the steps: profiles apply, or several lndconnect URIs are given. */
function needsNodes(opts: CheckOptions, env: NodeJS.ProcessEnv, io: ReturnType<typeof defaultConfigIo>): boolean {
  if ((opts.lndconnect?.length ?? 0) > 1) return true;
  const req = requestProfiles(opts, env, { platform: io.platform, env, homedir: io.homedir });
  if (req.kind === 'named') return true;
  return req.kind === 'default-if-any' && (req.file.source !== 'default' || io.exists(req.file.path));
}

export async function runCheckCommand(opts: CheckOptions): Promise<number> {
  const io = defaultConfigIo();
  const env = process.env;
  const { lndconnect, ...rest } = opts;
  const one: CheckNodeOptions = lndconnect?.[0] === undefined ? rest : { ...rest, lndconnect: lndconnect[0] };
  const print = stdoutPrinter();
  if (!needsNodes(opts, env, io)) return checkOne(opts, one, undefined, print);
  const { nodes, notices } = await resolveNodes(opts, env, io, { password: terminalPasswordPrompt() });
  for (const n of notices) process.stderr.write(`htlc-tail: ${n}\n`);
  if (nodes.length === 1) return checkOne(opts, one, nodes[0], print);
  let code = 0;
  for (const [i, node] of nodes.entries()) {
    if (i > 0) print('');
    print(`node ${nodeLabel(node)}`);
    const c = await checkOne(opts, one, node, print);
    if (code === 0) code = c;
  }
  return code;
}

/** `routing (10.0.0.5:10009)` or, without a profile, the address. */
function nodeLabel(node: ResolvedNode): string {
  const addr = formatHostPort(node.config.connection.rpcServer);
  return node.name === null ? addr : `${node.name} (${addr})`;
}

type Print = (line: string) => void;

/** Report lines to stdout; a reader that goes away (check | head -1) ends the output, not the check. */
function stdoutPrinter(): Print {
  let closed = false;
  process.stdout.on('error', () => {
    closed = true;
  });
  return (line) => {
    if (!closed) process.stdout.write(`${line}\n`);
  };
}

async function checkOne(
  opts: CheckOptions,
  one: CheckNodeOptions,
  node: CheckNode | undefined,
  print: Print,
): Promise<number> {
  const io = defaultConfigIo();
  const env = process.env;
  const debug = opts.debug === true;
  const idWidth = Math.max(...CHECK_STEPS.map((s) => s.id.length));

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
      makeRun: () => new CheckRun(one, env, io, undefined, node),
      notify: stderrNotify(true),
      onError,
    }));
    for (const r of reports) print(formatStepLine(r, idWidth, colors(run)));
  } else {
    run = new CheckRun(one, env, io, undefined, node);
    const current = run;
    try {
      reports = await runSteps(CHECK_STEPS, run, {
        onReport: (r) => print(formatStepLine(r, idWidth, colors(current))),
        onError,
      });
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
