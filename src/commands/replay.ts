/**
 * `htlc-tail replay [FILE|-]`: run a capture (raw lines from `-f raw`, or lnd
 * REST lines `{"result": ...}` from curl) through the same filters,
 * correlation, formats and summary as the live tail; exit 0 at the end of the
 * input. `replay --db [FILE]` reads the history database instead, with
 * `--node`, `--since` and `--until` (replay/replay-history.ts).
 *
 * The output and filter options are resolved as the tail's, with nothing of
 * the local lnd setup (config/replay-config.ts).
 */
import os from 'node:os';
import { defaultConfigIo } from '../config/io.js';
import type { ReplayOptions } from '../config/options.js';
import { checkReplaySource, resolveHistoryReplayConfig, resolveReplayConfig } from '../config/replay-config.js';
import { stderrNotify } from '../pipeline/notices.js';
import { openReplayInput } from '../replay/input.js';
import { runReplay } from '../replay/run-replay.js';

/** `file`: the FILE argument (undefined or `-`: standard input). */
export async function runReplayCommand(opts: ReplayOptions, file: string | undefined): Promise<number> {
  checkReplaySource(opts, file);
  if (opts.db !== undefined) return replayFromStore(opts);
  const config = resolveReplayConfig(opts, process.env, defaultConfigIo());
  const input = await openReplayInput(file);
  const notify = stderrNotify();
  if (input.isStdin && process.stdin.isTTY)
    notify('replay: reading events from standard input (end with Ctrl-D)', 'info');
  await runReplay({ config, input: input.stream, inputName: input.name, strict: opts.strict === true, notify });
  return 0;
}

async function replayFromStore(opts: ReplayOptions): Promise<number> {
  const { config, db, range } = resolveHistoryReplayConfig(opts, process.env, defaultConfigIo(), {
    platform: process.platform,
    homedir: os.homedir(),
    nowMs: Date.now(),
  });
  const { openStore, listNodes, selectNodes } = await import('../history/index.js');
  const { translateStoreError } = await import('../history/store-errors.js');
  const { replayHistory } = await import('../replay/replay-history.js');
  const store = await openStore(db.path, 'read');
  try {
    const nodes = selectNodes(listNodes(store.db), range.node, store.file).map((n) => n.id);
    await replayHistory({
      config,
      db: store.db,
      range: { nodes, sinceNs: range.sinceNs, untilNs: range.untilNs },
    }).catch((err: unknown) => {
      throw translateStoreError(store.file, err);
    });
  } finally {
    store.close();
  }
  return 0;
}
