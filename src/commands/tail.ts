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
import { resolveNodes, type ResolvedNode } from '../config/nodes.js';
import { resolveTailHistory } from '../config/tail-history.js';
import type { TailOptions } from '../config/options.js';
import { defaultConfigIo } from '../config/io.js';
import { terminalPasswordPrompt } from '../cli/password-prompt.js';
import { stderrNotify, type Notify } from '../pipeline/notices.js';
import type { NodeConnection } from '../transport/node-connection.js';
import { usageError } from '../errors.js';
import { formatHostPort } from '../config/listen.js';
import { allowsMethod, excessAdvice, excessPermissions, parseMacaroon } from '../macaroon/index.js';
import { connectNode } from '../pipeline/node-config.js';
import { combineSinks } from '../pipeline/sink.js';
import { runTail } from '../pipeline/run-tail.js';
import { parseMetricsListen } from '../config/metrics-listen.js';
import type { StopSignals } from '../runtime/stop-signals.js';
import { startMetricsIfAsked } from './metrics-listen.js';

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
    if (!allowsMethod(ops, '/routerrpc.Router/SubscribeHtlcEvents', [{ entity: 'offchain', action: 'read' }]))
      return undefined;
    excess = excessPermissions(ops);
  } catch {
    return undefined;
  }
  return excess.length > 0 ? `warning: ${excessAdvice(source, excess)}` : undefined;
}

/** `signals`: the process's stop-signal handlers, installed before anything else (bin/htlc-tail.js). */
export async function runTailCommand(opts: TailOptions, signals: StopSignals): Promise<number> {
  const metricsListen = opts.metricsListen === undefined ? undefined : parseMetricsListen(opts.metricsListen);
  // --since/--tail: recorded events first (history/tail-seam.ts); the store is checked before connecting.
  const historyCfg = resolveTailHistory(opts, process.env, {
    platform: process.platform,
    homedir: os.homedir(),
    nowMs: Date.now(),
  });
  const { nodes, notices } = await resolveNodes(opts, process.env, defaultConfigIo(), {
    password: terminalPasswordPrompt(),
  });
  const first = nodes[0]!;
  if (nodes.length > 1 && first.config.output.format === 'raw') {
    throw usageError(
      `-f raw is lnd's exact JSON, with no room for the node, and ${nodes.length} nodes are named (${nodeList(nodes)}); use -f jsonl (every line has "node") or tail one node`,
    );
  }
  const notify = stderrNotify();
  for (const n of notices) notify(n);
  if (!opts.record && opts.retain !== undefined)
    throw usageError('--retain is for recording: add --record (or use htlc-tail record)');
  if (!opts.record && !historyCfg && opts.db !== undefined) {
    throw usageError(
      '--db names the history database of --record, --since and --tail: add one of them (or use htlc-tail record)',
    );
  }
  // --metrics-listen: bound before connecting (exit 3 at once when it cannot be); prom-client loads only then.
  const metrics = await startMetricsIfAsked(metricsListen);
  try {
    // --record: the history database opened (a bad one: exit 3, and a new one created, so that
    // --since finds it) before anything connects.
    const recording = opts.record ? await import('./recording.js') : undefined;
    const rec = recording ? await startRecording(recording, opts, notify) : undefined;
    const run = async (): Promise<number> => {
      // --since/--tail: each node's recorded events first, then live (history/tail-seam.ts).
      const history = historyCfg
        ? await (await import('../history/tail-history.js')).openTailHistory(historyCfg, rec?.recorder.file)
        : undefined;
      try {
        const direct = nodes.map((node) => connectNode(node));
        const connections = history ? await Promise.all(direct.map((c) => history.attach(c))) : direct;
        warnLeastPrivilege(connections, notify);
        return await runTail(
          first.config,
          connections,
          notify,
          signals,
          combineSinks(rec?.sinks, metrics?.sinkFactory),
        );
      } finally {
        history?.close();
      }
    };
    return rec && recording ? await recording.withRecorder(rec.recorder, run) : await run();
  } finally {
    await metrics?.close();
  }
}

async function startRecording(recording: typeof import('./recording.js'), opts: TailOptions, notify: Notify) {
  const settings = recording.recordSettings(opts);
  const started = await recording.startRecorder(settings.db.path, settings.retainDays, notify);
  notify(`recording to ${started.recorder.file}`, 'info');
  return started;
}

/** One warning per node whose macaroon can do more than reading (the node named when several). */
export function warnLeastPrivilege(connections: readonly NodeConnection[], notify: Notify): void {
  for (const c of connections) {
    const target = c.target.current;
    const warning = leastPrivilegeWarning(target.macaroon, target.macaroonSource);
    if (warning) notify(connections.length > 1 ? `${c.name}: ${warning}` : warning);
  }
}

function nodeList(nodes: readonly ResolvedNode[]): string {
  return nodes
    .map((n) => n.name ?? formatHostPort(n.config.connection.restServer ?? n.config.connection.rpcServer))
    .join(', ');
}
