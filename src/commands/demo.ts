/**
 * `htlc-tail demo`: start the built-in simulated lnd node in this process (a
 * temporary lnddir with tls.cert, lnd.conf and macaroons) and tail it exactly
 * as a real node, with the same output and filter options. SIGINT/SIGTERM are
 * handled from the first moment, so a Ctrl-C while the node starts still
 * stops it and removes its directory.
 */
import { resolveConfig } from '../config/resolve.js';
import type { RawOptions } from '../config/types.js';
import { defaultConfigIo } from '../config/io.js';
import { connectNode } from '../pipeline/node-config.js';
import { runTail } from '../pipeline/run-tail.js';
import { usageError } from '../errors.js';
import { stderrNotify } from '../pipeline/notices.js';
import { StopSignals } from '../runtime/stop-signals.js';

const CONNECTION_FLAGS = ['rpcserver', 'lnddir', 'network', 'configfile', 'tlscertpath', 'macaroonpath', 'tlsServerName', 'lndconnect', 'restserver'] as const;

function positiveNumber(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw usageError(`${flag} must be a number of events per second, 0 or more (got "${String(value)}")`);
  return n;
}

export async function runDemoCommand(opts: Record<string, unknown>): Promise<number> {
  const signals = new StopSignals();
  for (const k of CONNECTION_FLAGS) {
    if (opts[k] !== undefined) {
      throw usageError(`demo connects to its own simulated node: drop --${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
  }
  const rate = positiveNumber(opts.rate, '--rate');
  const seed = opts.seed === undefined ? undefined : Number(opts.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw usageError(`--seed must be an integer (got "${String(opts.seed)}")`);
  const { startDemoNode } = await import('../sim/demo.js');
  if (signals.received) return 0;
  const rest = opts.transport === 'rest' || opts.transport === 'ws';
  const demo = await startDemoNode({ ...(rate !== undefined ? { rate } : {}), ...(seed !== undefined ? { seed } : {}), ...(rest ? { rest: true } : {}), hostileAliases: opts.hostileAliases === true });
  const notify = stderrNotify();
  try {
    const where = rest ? `${demo.node.rpcserver}, REST ${demo.node.restserver}` : demo.node.rpcserver;
    notify(`demo: simulated lnd node on ${where} (lnddir ${demo.lnddir}); Ctrl-C to stop`, 'info');
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('LNCLI_') || k === 'HTLC_TAIL_LNDCONNECT') delete env[k];
    const raw: RawOptions = { ...(opts as RawOptions), lnddir: demo.lnddir, network: demo.network };
    const config = resolveConfig(raw, env, defaultConfigIo());
    return await runTail(config, [connectNode({ name: null, config, proxy: null })], notify, signals);
  } finally {
    await demo.stop();
  }
}
