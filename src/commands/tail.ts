/**
 * `htlc-tail` (the default command): resolve the config, connect, and run the
 * events through the pipeline until --count, Ctrl-C/SIGTERM, a closed output
 * pipe, or an error that retrying cannot fix.
 *
 * Least privilege: when the macaroon grants more than the tail needs (a write
 * or generate permission, e.g. admin.macaroon), one warning on stderr at
 * start names readonly.macaroon and the bakemacaroon command for a minimal one.
 */
import os from 'node:os';
import { resolveNodes } from '../config/nodes.js';
import { resolveTailHistory } from '../config/tail-history.js';
import type { TailOptions } from '../config/options.js';
import { defaultConfigIo } from '../config/io.js';
import { terminalPasswordPrompt } from '../cli/password-prompt.js';
import { stderrNotify } from '../pipeline/notices.js';
import { usageError } from '../errors.js';
import { formatHostPort } from '../config/listen.js';
import { allowsMethod, excessAdvice, excessPermissions, parseMacaroon } from '../macaroon/index.js';
import { connectNode } from '../pipeline/node-config.js';
import { runTail } from '../pipeline/run-tail.js';
import type { StopSignals } from '../runtime/stop-signals.js';

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

/** `signals`: the process's stop-signal handlers, installed before anything else (bin/htlc-tail.js). */
export async function runTailCommand(opts: TailOptions, signals: StopSignals): Promise<number> {
  // --since/--tail: recorded events first (history/tail-seam.ts); the store is checked before connecting.
  const historyCfg = resolveTailHistory(opts, process.env, { platform: process.platform, homedir: os.homedir(), nowMs: Date.now() });
  const { nodes, notices } = await resolveNodes(opts, process.env, defaultConfigIo(), { password: terminalPasswordPrompt() });
  // One node, connected directly, for now: several nodes and the SOCKS5 proxy come with the transport layer.
  if (nodes.length > 1) {
    throw usageError(`${nodes.length} profiles selected (${nodes.map((n) => n.name).join(', ')}); watching several nodes in one run is not available yet: pick one with -p NAME`);
  }
  const node = nodes[0]!;
  const { config, proxy } = node;
  if (proxy) {
    const ep = config.connection.restServer ?? config.connection.rpcServer;
    throw usageError(`${formatHostPort(ep)} needs the SOCKS5 proxy ${formatHostPort(proxy)} (${proxy.source}), and connecting through a proxy is not available yet; unset HTLC_TAIL_SOCKS5 or use a direct address`);
  }
  const notify = stderrNotify();
  for (const n of notices) notify(n);
  // The node's connection (its files read now); run-tail takes the list of nodes.
  const history = historyCfg ? await (await import('../history/tail-history.js')).openTailHistory(historyCfg) : undefined;
  try {
    const direct = connectNode(node);
    const connection = history ? await history.attach(direct) : direct;
    const target = connection.target.current;
    const warning = leastPrivilegeWarning(target.macaroon, target.macaroonSource);
    if (warning) notify(warning);
    return await runTail(config, [connection], notify, signals);
  } finally {
    history?.close();
  }
}
