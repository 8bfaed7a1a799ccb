/**
 * `htlc-tail replay [FILE|-]`: run a capture (raw lines from `-f raw`, or lnd
 * REST lines `{"result": ...}` from curl) through the same filters,
 * correlation, formats and summary as the live tail; exit 0 at the end of the
 * input.
 *
 * The output and filter options are resolved as the tail's, with nothing of
 * the local lnd setup (config/replay-config.ts).
 */
import { defaultConfigIo } from '../config/io.js';
import type { ReplayOptions } from '../config/options.js';
import { resolveReplayConfig } from '../config/replay-config.js';
import { stderrNotify } from '../pipeline/notices.js';
import { openReplayInput } from '../replay/input.js';
import { runReplay } from '../replay/run-replay.js';

/** `file`: the FILE argument (undefined or `-`: standard input). */
export async function runReplayCommand(opts: ReplayOptions, file: string | undefined): Promise<number> {
  const config = resolveReplayConfig(opts, process.env, defaultConfigIo());
  const input = await openReplayInput(file);
  const notify = stderrNotify();
  if (input.isStdin && process.stdin.isTTY) notify('replay: reading events from standard input (end with Ctrl-D)', 'info');
  await runReplay({ config, input: input.stream, inputName: input.name, strict: opts.strict === true, notify });
  return 0;
}
