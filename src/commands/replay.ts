/**
 * `htlc-tail replay [FILE|-]`: run a capture (raw lines from `-f raw`, or lnd
 * REST lines `{"result": ...}` from curl) through the same filters,
 * correlation, formats and summary as the live tail; exit 0 at the end of the
 * input.
 *
 * The output and filter options are resolved by the same resolveConfig as the
 * tail, with nothing of the local lnd setup: no lnd.conf is read and no
 * LNCLI_* variable is looked at, so a replay works (and fails) the same on
 * any machine. There is no node, so no peer aliases: a channel given as an
 * alias is a usage error.
 */
import { resolveConfig } from '../config/resolve.js';
import { defaultConfigIo, type ResolveIO } from '../config/io.js';
import type { RawOptions } from '../config/types.js';
import { usageError } from '../errors.js';
import { specAliases, specUsesAliases } from '../events/filter.js';
import { stderrNotify } from '../pipeline/notices.js';
import { openReplayInput } from '../replay/input.js';
import { runReplay } from '../replay/run-replay.js';

/** The replay's config: output and filters only; the local lnd setup is not consulted. */
export function replayConfig(opts: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env, io: ResolveIO = defaultConfigIo()) {
  const cleanEnv: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('LNCLI_') && k !== 'HTLC_TAIL_LNDCONNECT') cleanEnv[k] = v;
  const noFiles: ResolveIO = {
    ...io,
    exists: () => false,
    readFile: (p) => {
      throw Object.assign(new Error(`replay reads no lnd files (${p})`), { code: 'ENOENT' });
    },
  };
  const raw: RawOptions = { ...(opts as RawOptions), aliases: true };
  const config = resolveConfig(raw, cleanEnv, noFiles);
  if (specUsesAliases(config.filter)) {
    const { option, alias } = specAliases(config.filter)[0]!;
    throw usageError(
      `${option} ${JSON.stringify(alias)} is a peer alias, but replay has no node to look aliases up; give the channel id or BLOCKxTXxOUT`,
    );
  }
  return { ...config, output: { ...config.output, aliases: false } };
}

export async function runReplayCommand(opts: Record<string, unknown>, args: string[]): Promise<number> {
  const config = replayConfig(opts);
  const input = await openReplayInput(args[0]);
  const notify = stderrNotify();
  if (input.isStdin && process.stdin.isTTY) notify('replay: reading events from standard input (end with Ctrl-D)', 'info');
  await runReplay({ config, input: input.stream, inputName: input.name, strict: opts.strict === true, notify });
  return 0;
}
