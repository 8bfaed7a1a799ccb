/**
 * htlc-tail's command line: Commander parses argv and hands a plain options
 * object to a command; nothing below this folder imports Commander. Commands
 * are imported lazily, so `--help` loads neither gRPC nor the formatters.
 */
import { Command, CommanderError } from 'commander';
import { addConnectionOptions, addFilterOptions, addOutputOptions, addProfileOptions } from './options.js';
import { reportFatal } from './report.js';

const VERSION = '0.1.0';

function buildProgram(run: (name: string, opts: Record<string, unknown>, args: string[]) => Promise<number>): Command {
  const program = new Command('htlc-tail')
    .description("Tail a Lightning node's HTLC events live (lnd's routerrpc SubscribeHtlcEvents)")
    .version(VERSION, '-V, --version')
    .enablePositionalOptions()
    .addHelpText(
      'after',
      `
Examples:
  htlc-tail                                   tail the local node (readonly.macaroon, ~/.lnd)
  htlc-tail -f jsonl | jq .                   JSON lines for scripts
  htlc-tail --failures --type forward         only failed forwards
  htlc-tail --lnddir /data/lnd -n testnet     another node directory and network
  htlc-tail demo                              try it against the built-in simulated node

Exit codes: 0 ok, 2 usage, 3 configuration, 4 connection, 5 refused by lnd, 6 stream ended (--no-reconnect).`,
    );

  const tailLike = (cmd: Command) => addFilterOptions(addOutputOptions(addConnectionOptions(cmd)));

  addProfileOptions(tailLike(program)).action(async (opts) => {
    process.exitCode = await run('tail', opts, []);
  });

  tailLike(program.command('demo'))
    .description('start the built-in simulated lnd node and tail it, with the same options')
    .option('--rate <n>', 'events per second the simulated node sends (default: 5)')
    .option('--seed <n>', 'seed of the simulated traffic')
    .action(async (opts) => {
      process.exitCode = await run('demo', opts, []);
    });

  addConnectionOptions(program.command('check'))
    .description('diagnose config, TLS, macaroon and node; exit 0 when ready to tail')
    .option('--debug', 'show stack traces of internal errors')
    .action(async (opts) => {
      process.exitCode = await run('check', opts, []);
    });

  addFilterOptions(addOutputOptions(program.command('replay')))
    .description('run recorded events (raw lines or lnd REST lines) through the same filters and formats')
    .argument('[file]', "file to read, or - for standard input (default: -)")
    .option('--strict', 'exit 3 at the first bad line instead of skipping it')
    .action(async (file: string | undefined, opts) => {
      process.exitCode = await run('replay', opts, file === undefined ? [] : [file]);
    });

  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride();
    cmd.configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // One line, like every other failure: what is wrong, and where to look.
      outputError: (s, write) => write(`htlc-tail: ${s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')}; see htlc-tail --help\n`),
    });
  }
  return program;
}

async function dispatch(name: string, opts: Record<string, unknown>, args: string[]): Promise<number> {
  // The long-running commands: a small, flat heap (see runtime/heap-tuning.ts).
  if (name !== 'check') (await import('../runtime/heap-tuning.js')).tuneHeap();
  switch (name) {
    case 'tail':
      return (await import('../commands/tail.js')).runTailCommand(opts);
    case 'demo':
      return (await import('../commands/demo.js')).runDemoCommand(opts);
    case 'check':
      return (await import('../commands/check.js')).runCheckCommand(opts);
    case 'replay':
      return (await import('../commands/replay.js')).runReplayCommand(opts, args);
    default:
      throw new Error(`unknown command ${name}`);
  }
}

export async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  const program = buildProgram(async (name, opts, args) => {
    try {
      return await dispatch(name, opts, args);
    } catch (err) {
      return reportFatal(err, debug);
    }
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version end with 0; every parse error is a usage error (2).
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportFatal(err, debug);
  }
}
