/**
 * `htlc-tail` (the default command): resolve the config, connect, and run the
 * events through the pipeline until --count, Ctrl-C/SIGTERM, a closed output
 * pipe, or an error that retrying cannot fix.
 */
import { resolveConfig } from '../config/resolve.js';
import type { Config, RawOptions } from '../config/types.js';
import { defaultConfigIo } from '../config/io.js';
import { buildTarget } from '../lnd/credentials.js';
import { targetSpecOf } from '../config/target-spec.js';
import { runTail } from '../pipeline/run-tail.js';
import { sourceFor } from '../pipeline/rest-source.js';

export async function runTailCommand(opts: Record<string, unknown>): Promise<number> {
  const config: Config = resolveConfig(opts as RawOptions, process.env, defaultConfigIo());
  const target = buildTarget(targetSpecOf(config));
  return runTail(config, sourceFor(config, target));
}
