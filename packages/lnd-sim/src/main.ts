/**
 * htlc-tail-sim: run the simulated lnd node standalone.
 *
 *   htlc-tail-sim [--lnddir DIR] [--host H] [--port N] [--network NET] [--rate R] [--seed N]
 *                 [--scenario FILE] [--flood N] [--wallet-locked [--unlock-after SEC]]
 *                 [--rest [--rest-port N]] [--hostile-aliases]
 *
 * Prints where it listens and the htlc-tail command to connect on stderr;
 * stops on SIGINT/SIGTERM (and removes its temporary lnddir).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenarioFile } from './scenario.js';
import { startSimNode } from './node.js';
import { DEMO_RATE } from './defaults.js';

const USAGE = `usage: htlc-tail-sim [options]

A simulated lnd node (gRPC over TLS, real macaroons) for trying htlc-tail.

  --lnddir DIR         write tls.cert, lnd.conf and macaroons here (default: a new temp dir)
  --host HOST          listen address (default 127.0.0.1)
  --port N             gRPC port (default: a free port)
  --network NET        regtest (default), testnet, mainnet, signet, simnet
  --rate R             live HTLC events per second (default ${DEMO_RATE}; 0 = none)
  --seed N             seed for the node and its traffic (default 1)
  --scenario FILE      send the scripted streams in FILE (JSON) instead of live traffic
  --flood N            send N events per subscription as fast as possible (benchmarks)
  --transport T        grpc-js (default) or h2 (batched HTTP/2 writes; default with --flood)
  --rest               also serve lnd's REST and WebSocket interface (restlisten in lnd.conf)
  --rest-port N        the REST port (default: a free port; implies --rest)
  --hostile-aliases    give one peer the alias bad<ESC>[31malias (a terminal escape), to see that
                       clients show it escaped (off by default)
  --wallet-locked      start with the wallet locked
  --unlock-after SEC   with --wallet-locked: unlock after SEC seconds
  -h, --help           show this help
`;

function fail(msg: string): never {
  process.stderr.write(`htlc-tail-sim: ${msg}\n${USAGE}`);
  process.exit(2);
}

function num(v: string | undefined, name: string, def: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} expects a number >= 0, got ${JSON.stringify(v)}`);
  return n;
}

function shellQuote(s: string): string {
  return /^[\w./:@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        lnddir: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        network: { type: 'string' },
        rate: { type: 'string' },
        seed: { type: 'string' },
        scenario: { type: 'string' },
        flood: { type: 'string' },
        transport: { type: 'string' },
        rest: { type: 'boolean' },
        'rest-port': { type: 'string' },
        'wallet-locked': { type: 'boolean' },
        'hostile-aliases': { type: 'boolean' },
        'unlock-after': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const network = args.network ?? 'regtest';
  if (!['regtest', 'testnet', 'mainnet', 'signet', 'simnet', 'testnet4'].includes(network))
    fail(`unknown network ${network}`);
  const transport = args.transport;
  if (transport !== undefined && transport !== 'grpc-js' && transport !== 'h2')
    fail(`--transport expects grpc-js or h2, got ${transport}`);
  const scenario = args.scenario ? await loadScenarioFile(args.scenario) : undefined;
  const tempDir = args.lnddir ? undefined : await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-sim-'));
  const dir = args.lnddir ?? tempDir!;

  const node = await startSimNode({
    host: args.host,
    port: num(args.port, 'port', 0),
    network,
    rate: num(args.rate, 'rate', DEMO_RATE),
    seed: num(args.seed, 'seed', 1),
    scenario,
    flood: args.flood === undefined ? undefined : num(args.flood, 'flood', 0),
    walletState: args['wallet-locked'] ? 'LOCKED' : 'SERVER_ACTIVE',
    transport,
    rest: args.rest === true || args['rest-port'] !== undefined,
    restPort: num(args['rest-port'], 'rest-port', 0),
    hostileAliases: args['hostile-aliases'] === true,
  });
  const paths = await node.writeLndDir(dir);
  const mode = scenario
    ? `scenario ${args.scenario}`
    : args.flood
      ? `flood of ${args.flood} events per stream`
      : `${num(args.rate, 'rate', DEMO_RATE)} events/s`;
  process.stderr.write(
    `htlc-tail-sim: simulated lnd ${node.node.version} (${network}) listening on ${node.rpcserver} (${node.transport}), ${mode}\n` +
      `  lnddir: ${paths.lnddir}${tempDir ? ' (temporary, removed on exit)' : ''}\n` +
      (node.restserver ? `  REST and WebSocket: ${node.restserver}\n` : '') +
      `  wallet: ${node.walletState}\n` +
      `  connect: htlc-tail --lnddir ${shellQuote(paths.lnddir)} --network ${network}${node.restserver ? ' [--transport rest|ws]' : ''}\n`,
  );

  if (args['wallet-locked'] && args['unlock-after'] !== undefined) {
    const secs = num(args['unlock-after'], 'unlock-after', 0);
    setTimeout(() => {
      node.setWalletState('SERVER_ACTIVE');
      process.stderr.write('htlc-tail-sim: wallet unlocked, RPC server active\n');
    }, secs * 1000).unref();
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('htlc-tail-sim: stopping\n');
    await node.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Keep the process alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

main().catch((err: unknown) => {
  process.stderr.write(`htlc-tail-sim: ${(err as Error).message}\n`);
  process.exit(1);
});
