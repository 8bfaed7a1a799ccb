/**
 * `htlc-tail` (the default command): resolve the config, connect, and run the
 * events through the pipeline until --count, Ctrl-C/SIGTERM, a closed output
 * pipe, or an error that retrying cannot fix.
 *
 * Least privilege: when the macaroon grants more than the tail needs (a write
 * or generate permission, e.g. admin.macaroon), one warning on stderr at
 * start names readonly.macaroon and the bakemacaroon command for a minimal one.
 */
import { resolveConfig } from '../config/resolve.js';
import type { Config, RawOptions } from '../config/types.js';
import { defaultConfigIo } from '../config/io.js';
import { buildTarget } from '../lnd/credentials.js';
import { targetSpecOf } from '../config/target-spec.js';
import { allowsMethod, excessAdvice, excessPermissions, parseMacaroon } from '../macaroon/index.js';
import { runTail } from '../pipeline/run-tail.js';
import { sourceFor } from '../pipeline/rest-source.js';
import { stderrNotify, type Notify } from '../pipeline/notices.js';

/**
 * The least-privilege warning for these macaroon bytes, or undefined: none
 * needed, not a macaroon we can read, or one that cannot subscribe at all
 * (lnd's refusal says what matters then).
 */
export function leastPrivilegeWarning(macaroon: Uint8Array | null, source: string): string | undefined {
  if (macaroon === null) return undefined;
  let excess: string[];
  try {
    const ops = parseMacaroon(macaroon).identifier.ops;
    if (!allowsMethod(ops, '/routerrpc.Router/SubscribeHtlcEvents', [{ entity: 'offchain', action: 'read' }])) return undefined;
    excess = excessPermissions(ops);
  } catch {
    return undefined;
  }
  return excess.length > 0 ? `warning: ${excessAdvice(source, excess)}` : undefined;
}

export async function runTailCommand(opts: Record<string, unknown>): Promise<number> {
  const config: Config = resolveConfig(opts as RawOptions, process.env, defaultConfigIo());
  const target = buildTarget(targetSpecOf(config));
  const notify: Notify = stderrNotify();
  const warning = leastPrivilegeWarning(target.macaroon, target.macaroonSource);
  if (warning) notify(warning);
  return runTail(config, sourceFor(config, target), notify);
}
