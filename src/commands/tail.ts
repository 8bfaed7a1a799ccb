/**
 * `htlc-tail` (the default command): resolve the config, connect, and run the
 * events through the pipeline until --count, Ctrl-C/SIGTERM, a closed output
 * pipe, or an error that retrying cannot fix.
 */
import { resolveNodes, type NodeOptions } from '../config/nodes.js';
import { defaultConfigIo } from '../config/io.js';
import { terminalPasswordPrompt } from '../cli/password-prompt.js';
import { stderrNotify } from '../pipeline/notices.js';
import { usageError } from '../errors.js';
import { formatHostPort } from '../config/listen.js';
import { buildTarget } from '../lnd/credentials.js';
import { targetSpecOf } from '../config/target-spec.js';
import { runTail } from '../pipeline/run-tail.js';
import { sourceFor } from '../pipeline/rest-source.js';

export async function runTailCommand(opts: Record<string, unknown>): Promise<number> {
  const { nodes, notices } = await resolveNodes(opts as NodeOptions, process.env, defaultConfigIo(), { password: terminalPasswordPrompt() });
  // One node, connected directly, for now: several nodes and the SOCKS5 proxy come with the transport layer.
  if (nodes.length > 1) {
    throw usageError(`${nodes.length} profiles selected (${nodes.map((n) => n.name).join(', ')}); watching several nodes in one run is not available yet: pick one with -p NAME`);
  }
  const { config, proxy } = nodes[0]!;
  if (proxy) {
    const ep = config.connection.restServer ?? config.connection.rpcServer;
    throw usageError(`${formatHostPort(ep)} needs the SOCKS5 proxy ${formatHostPort(proxy)} (${proxy.source}), and connecting through a proxy is not available yet; unset HTLC_TAIL_SOCKS5 or use a direct address`);
  }
  const notify = stderrNotify();
  for (const n of notices) notify(n);
  const target = buildTarget(targetSpecOf(config));
  return runTail(config, sourceFor(config, target), notify);
}
