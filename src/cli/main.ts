/**
 * htlc-tail's command line: Commander parses argv and hands a plain options
 * object to a command; nothing below this folder imports Commander. Commands
 * are imported lazily, so `--help` loads neither gRPC nor the formatters.
 *
 * - Each command lists (and accepts) only its own options (options.ts).
 * - `htlc-tail help [COMMAND]` is help, like --help.
 * - The default command takes no arguments: a word where a command would be
 *   is a mistyped command (exit 2, naming the closest one), never an argument.
 * - Help and version end with 0 and nothing on stderr even when the reader
 *   goes away (`htlc-tail --help | head -1`).
 */
import { Command, CommanderError, Option, type OptionValues } from './commander.js';
import { TRANSPORTS } from '../format/names.js';
import type {
  CheckOptions,
  DemoOptions,
  RecordOptions,
  ReplayOptions,
  ReportOptions,
  TailOptions,
} from '../config/options.js';
import { ExitCode } from '../errors.js';
import { StopSignals } from '../runtime/stop-signals.js';
import type { Invocation } from './dispatch.js';
import {
  addDebugOption,
  addDemoOptions,
  addDemoRecordOptions,
  addFilterOptions,
  addMetricsOption,
  addNodeOptions,
  addOutputOptions,
  addProfileOptions,
  addRecordOptions,
  addReplayHistoryOptions,
  addReplayOutputOptions,
  addStreamOptions,
  addSummaryOptions,
  addTailHistoryOptions,
  addWaitOption,
  CONNECTION_HEADING,
  OUTPUT_HEADING,
} from './options.js';
import { reportFatal } from './report.js';
import { addReportCommand } from './report-command.js';
import { optionsAs } from './typed-options.js';

const VERSION = '0.1.0';

type Run = (invocation: Invocation) => Promise<void>;

function buildProgram(run: Run) {
  const program = new Command('htlc-tail')
    .description("Tail a Lightning node's HTLC events live (lnd's routerrpc SubscribeHtlcEvents)")
    .version(VERSION, '-V, --version')
    .enablePositionalOptions()
    .helpCommand(false)
    // A word where a command would be is checked in the action (a mistyped command), not refused as "too many arguments".
    .allowExcessArguments(true)
    .addHelpText(
      'after',
      `
Examples:
  htlc-tail                                   tail the local node (readonly.macaroon, ~/.lnd)
  htlc-tail -f jsonl | jq .                   JSON lines for scripts
  htlc-tail --failures --type forward         only failed forwards
  htlc-tail --reason insufficient_balance     only failures for lack of outbound liquidity
  htlc-tail --lnddir /data/lnd -n testnet     another node directory and network
  htlc-tail -p routing -p wallet -f jsonl     two lncli profiles in one stream (each line has "node")
  htlc-tail --lndconnect 'lndconnect://…onion:10009?…'   a node over Tor (SOCKS5 at 127.0.0.1:9050)
  htlc-tail demo                              try it against the built-in simulated node
  htlc-tail help replay                       help for one command

Exit codes: 0 ok, 2 usage, 3 configuration, 4 connection, 5 refused by lnd, 6 stream ended (--no-reconnect).`,
    );

  const tail = addDebugOption(
    addMetricsOption(
      addTailHistoryOptions(
        addFilterOptions(
          addOutputOptions(addStreamOptions(addWaitOption(addProfileOptions(addNodeOptions(program)), 'tail'))),
        ),
      ),
    ),
  );
  tail.action(async (opts, cmd) => {
    if (cmd.args.length > 0) throw await unknownCommand(cmd.args[0]!, program);
    await run({ command: 'tail', opts: optionsAs<TailOptions>()(opts) });
  });

  addDebugOption(
    addMetricsOption(addDemoRecordOptions(addFilterOptions(addOutputOptions(addDemoOptions(program.command('demo')))))),
  )
    .description('start the built-in simulated lnd node and tail it, with the same output options and filters')
    .action(async (opts) => run({ command: 'demo', opts: optionsAs<DemoOptions>()(opts) }));

  addDebugOption(addWaitOption(addProfileOptions(addNodeOptions(program.command('check'))), 'check'))
    .description('diagnose config, TLS, macaroon and node; exit 0 when ready to tail')
    .action(async (opts) => run({ command: 'check', opts: optionsAs<CheckOptions>()(opts) }));

  const replay = program
    .command('replay')
    .description(
      "run recorded events (a capture: htlc-tail's -f raw or -f jsonl, or lnd REST lines; or the history database with --db) through the same filters and formats",
    )
    .argument('[file]', 'file to read, or - for standard input (default: -)')
    .optionsGroup('Replay options:')
    .option('--strict', 'exit 3 at the first bad line instead of skipping it');
  addDebugOption(addReplayHistoryOptions(addFilterOptions(addReplayOutputOptions(replay)))).action(async (file, opts) =>
    run({ command: 'replay', opts: optionsAs<ReplayOptions>()(opts), file }),
  );

  program
    .command('help')
    .description('show help for a command, like --help')
    .argument('[command]', 'the command (default: the general help)')
    .action(async (name) => {
      if (name === undefined) return program.outputHelp();
      const sub = program.commands.find((c) => c.name() === name && c.name() !== 'help');
      if (sub) return sub.outputHelp();
      if (name === 'help') return program.commands.find((c) => c.name() === 'help')!.outputHelp();
      throw await unknownCommand(name, program);
    });
  addReportCommand(program).action(async (file, opts) =>
    run({ command: 'report', opts: optionsAs<ReportOptions>()(opts), file }),
  );

  const record = addRecordStreamOptions(addProfileOptions(addNodeOptions(program.command('record'))));
  addDebugOption(addMetricsOption(addRecordOptions(addSummaryOptions(record.optionsGroup(OUTPUT_HEADING)))))
    .description(
      'keep every HTLC event of the node in the history database, as a service: no event output, waits for lnd, reconnects forever',
    )
    .action(async (opts) => run({ command: 'record', opts: optionsAs<RecordOptions>()(opts) }));

  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride();
    cmd.configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // One line, like every other failure: what is wrong, and where to look.
      outputError: (s, write) =>
        write(
          `htlc-tail: ${s
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')
            .replace(/\.$/, '')}; see htlc-tail --help\n`,
        ),
    });
  }
  return program;
}

/** record's stream options: the transport (it always waits and reconnects). */
function addRecordStreamOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .optionsGroup(CONNECTION_HEADING)
    .addOption(new Option('--transport <name>', 'how to reach lnd (default: grpc)').choices(TRANSPORTS))
    .option(
      '--restserver <host:port>',
      "lnd's REST address; needs --transport rest|ws (default: lnd.conf restlisten, else localhost:8080)",
    );
}

/** The usage error for a word that is no command; the suggestion code loads only then. */
async function unknownCommand(
  word: string,
  program: { readonly commands: readonly { name(): string }[] },
): Promise<CommanderError> {
  const { unknownCommandMessage } = await import('./suggest.js');
  const names = program.commands.map((c) => c.name());
  return new CommanderError(ExitCode.USAGE, 'htlc-tail.unknownCommand', unknownCommandMessage(word, names));
}

/**
 * Help and version go to stdout; when its reader is gone (`| head -1`), the
 * write fails with EPIPE, which must end nothing but the output. Commands that
 * write events handle their own stdout errors (output/writer.ts); this covers
 * what Commander writes.
 */
function quietClosedStdout(): void {
  // Any write error means the output is gone (EPIPE, a closed terminal): nothing more to do with it.
  process.stdout.on('error', () => undefined);
}

/**
 * Runs the command line. `signals` are the stop-signal handlers bin/ installed
 * before this module loaded (a signal while the CLI loads is not lost); the
 * command that handles signals takes them over (cli/dispatch.ts).
 */
export async function main(argv: string[], signals: StopSignals = new StopSignals()): Promise<void> {
  const debug = argv.includes('--debug');
  quietClosedStdout();
  const program = buildProgram(async (invocation) => {
    try {
      // Loaded once a command runs: --help and usage errors do without it.
      const { dispatch } = await import('./dispatch.js');
      process.exitCode = await dispatch(invocation, signals);
    } catch (err) {
      process.exitCode = reportFatal(err, debug);
    }
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'htlc-tail.unknownCommand') process.stderr.write(`htlc-tail: ${err.message}\n`);
      // Help and version end with 0; every parse error is a usage error (2).
      process.exitCode = err.exitCode === ExitCode.OK ? ExitCode.OK : ExitCode.USAGE;
      return;
    }
    process.exitCode = reportFatal(err, debug);
  }
}
