/**
 * `htlc-tail replay`'s config: the output and filter options resolved by the
 * same resolveConfig as the tail, with nothing of the local lnd setup (no
 * lnd.conf is read, no LNCLI_* variable looked at), so a replay works (and
 * fails) the same on any machine. There is no node, so no peer aliases: a
 * channel given as an alias is a usage error.
 */
import { refuseAliasChannels } from './filter-options.js';
import type { ResolveIO } from './io.js';
import { withoutLndEnvironment } from './lnd-env.js';
import type { Env } from './paths.js';
import { resolveConfig } from './resolve.js';
import type { Config, RawOptions } from './types.js';

export function resolveReplayConfig(opts: RawOptions, env: Env, io: ResolveIO): Config {
  const noFiles: ResolveIO = {
    ...io,
    exists: () => false,
    readFile: (p) => {
      throw Object.assign(new Error(`replay reads no lnd files (${p})`), { code: 'ENOENT' });
    },
  };
  const config = resolveConfig({ ...opts, aliases: true }, withoutLndEnvironment(env), noFiles);
  refuseAliasChannels(
    config.filter,
    (option, alias) => `${option} ${alias} is a peer alias, but replay has no node to look aliases up; give the channel id or BLOCKxTXxOUT`,
  );
  return { ...config, output: { ...config.output, aliases: false } };
}
