/**
 * `htlc-tail replay`'s config: the output and filter options resolved by the
 * same resolveConfig as the tail, with nothing of the local lnd setup (no
 * lnd.conf is read, no LNCLI_* variable looked at), so a replay works (and
 * fails) the same on any machine. There is no node, so no peer aliases: a
 * channel given as an alias is a usage error for a capture; the history
 * database (`--db`) has the aliases its recorder stored, so there it matches
 * them.
 */
import { usageError } from '../errors.js';
import { refuseAliasChannels } from './filter-options.js';
import { historyDbLocation, type HistoryDbLocation } from './history-db.js';
import { resolveHistoryRange, type HistoryRange, type HistoryRangeOptions } from './history-range.js';
import type { ResolveIO } from './io.js';
import { withoutLndEnvironment } from './lnd-env.js';
import type { Env } from './paths.js';
import { resolveConfig } from './resolve.js';
import type { Config, RawOptions } from './types.js';

function replayOutputConfig(opts: RawOptions, env: Env, io: ResolveIO): Config {
  const noFiles: ResolveIO = {
    ...io,
    exists: () => false,
    readFile: (p) => {
      throw Object.assign(new Error(`replay reads no lnd files (${p})`), { code: 'ENOENT' });
    },
  };
  const config = resolveConfig({ ...opts, aliases: true }, withoutLndEnvironment(env), noFiles);
  return { ...config, output: { ...config.output, aliases: false } };
}

export function resolveReplayConfig(opts: RawOptions, env: Env, io: ResolveIO): Config {
  const config = replayOutputConfig(opts, env, io);
  refuseAliasChannels(
    config.filter,
    (option, alias) =>
      `${option} ${alias} is a peer alias, but replay has no node to look aliases up; give the channel id or BLOCKxTXxOUT`,
  );
  return config;
}

export interface HistoryReplayOptions extends RawOptions, HistoryRangeOptions {
  readonly db?: string | true;
}

export interface HistoryReplayConfig {
  readonly config: Config;
  readonly db: HistoryDbLocation;
  readonly range: HistoryRange;
}

/** The history options of replay alone are a usage error without --db, and --db with a FILE too. */
export function checkReplaySource(opts: HistoryReplayOptions, file: string | undefined): void {
  if (opts.db !== undefined) {
    if (file !== undefined) {
      throw usageError(
        `replay reads either a capture (${JSON.stringify(file)}) or the history database (--db), not both; drop one`,
      );
    }
    return;
  }
  const given = (['node', 'since', 'until'] as const).find((k) => opts[k] !== undefined);
  if (given)
    throw usageError(
      `--${given} selects recorded history: add --db (the history database) to replay it, or filter a capture with jq`,
    );
}

/** `replay --db [FILE]`: the output, the filters (a channel may be a stored alias), the database and the range. */
export function resolveHistoryReplayConfig(
  opts: HistoryReplayOptions,
  env: Env,
  io: ResolveIO,
  ctx: { readonly platform: NodeJS.Platform; readonly homedir: string; readonly nowMs: number },
): HistoryReplayConfig {
  const config = replayOutputConfig(opts, env, io);
  const range = resolveHistoryRange(opts, ctx.nowMs);
  const db = historyDbLocation(opts.db === true ? undefined : opts.db, env, ctx.platform, ctx.homedir);
  return { config, db, range };
}
