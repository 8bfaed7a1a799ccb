/**
 * The options of the commands, declared once per group and added to each
 * command that accepts them, so every command's help lists exactly the
 * options it takes (SPEC: help per command). Commander only: parsing, help
 * headings, defaults shown in help (from the same constants the code uses),
 * choices from the typed lists. Validation and resolution happen in config/.
 *
 * Typed with @commander-js/extra-typings: each function adds its options to
 * the command's inferred options type, and cli/typed-options.ts checks that
 * the type each command's options end up with is exactly the one config/
 * declares for it (config/options.ts), so a flag renamed here alone fails tsc.
 *
 * Which command takes which group:
 *
 *   tail    node (with profiles and --socks5) + session (--connect-timeout, --wait, --no-reconnect, --transport, --restserver) + output + filters
 *   demo    --transport only (it starts its own node) + output + filters + demo options
 *   check   node + profiles + --connect-timeout + --wait
 *   replay  output (without --no-aliases: there is no node to ask) + filters + --strict + history (--db [FILE], --node, --since, --until)
 *   tail    also: history (--db, --since, --tail, --record, --retain)
 */
import { Option, type Command, type OptionValues } from './commander.js';
import { DEFAULT_CONNECT_TIMEOUT_SEC, DEFAULT_STUCK_AFTER_SEC } from '../config/defaults.js';
import { COLOR_MODES, FORMATS, TRANSPORTS } from '../format/names.js';
import { DEMO_RATE } from '@htlc-tail/lnd-sim/defaults';

const collect = (value: string, previous: string[] = []): string[] => previous.concat(value);

export const CONNECTION_HEADING = 'Connection options:';
export const OUTPUT_HEADING = 'Output options:';
export const FILTER_HEADING = 'Filters (AND across options; a comma list or a repeated option means OR):';

/** --metrics-listen: tail, record and demo. */
export function addMetricsOption<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .optionsGroup('Monitoring options:')
    .option(
      '--metrics-listen <host:port>',
      'serve Prometheus metrics at http://HOST:PORT/metrics (:PORT is loopback; 0.0.0.0:PORT every interface)',
    );
}

/** Where the node is and how to authenticate: tail and check. */
export function addNodeOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .optionsGroup(CONNECTION_HEADING)
    .option(
      '--rpcserver <host:port>',
      "lnd's gRPC address (env LNCLI_RPCSERVER; default: lnd.conf rpclisten, else localhost:10009)",
    )
    .option('--lnddir <dir>', "lnd's directory (env LNCLI_LNDDIR; default: lnd's per-OS default, ~/.lnd on Linux)")
    .option(
      '-n, --network <net>',
      'mainnet, testnet, testnet4, signet, regtest or simnet (env LNCLI_NETWORK; default: lnd.conf, else mainnet)',
    )
    .option('--configfile <file>', 'lnd.conf to read (default: <lnddir>/lnd.conf when it exists)')
    .option('--tlscertpath <file>', "lnd's TLS certificate (env LNCLI_TLSCERTPATH; default: <lnddir>/tls.cert)")
    .option(
      '--macaroonpath <file>',
      'macaroon to use (env LNCLI_MACAROONPATH; default: readonly.macaroon of the network)',
    )
    .option('--tls-server-name <name>', 'name to verify the certificate against (default: the host of --rpcserver)')
    .option(
      '--lndconnect <uri>',
      'lndconnect://host:port?cert=…&macaroon=… (env HTLC_TAIL_LNDCONNECT); repeat for several nodes',
      collect,
    )
    .option(
      '--connect-timeout <sec>',
      `seconds to wait for a connection; 60 for a .onion address unless given (default: ${DEFAULT_CONNECT_TIMEOUT_SEC})`,
    )
    .option(
      '--socks5 <host:port>',
      'connect through this SOCKS5 proxy, e.g. Tor at 127.0.0.1:9050 (env HTLC_TAIL_SOCKS5; default: direct, Tor at 127.0.0.1:9050 for .onion)',
    );
}

/** lncli profiles: tail and check. */
export function addProfileOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .optionsGroup(CONNECTION_HEADING)
    .option(
      '-p, --profile <name>',
      "an lncli profile; repeat for several nodes, 'all' for every profile (env LNCLI_PROFILE; default: the profiles file's default when no connection option is given; '' turns profiles off)",
      collect,
    )
    .option('--profiles-file <file>', 'lncli profiles file (env LNCLI_PROFILES; default: ~/.lncli/profiles.json)');
}

/** --wait: tail and check. */
export function addWaitOption<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
  what: string,
) {
  return cmd
    .optionsGroup(CONNECTION_HEADING)
    .option('--wait', `keep retrying until lnd is reachable, unlocked and ready, then ${what}`);
}

const transportOption = (what = 'how to reach lnd') =>
  new Option('--transport <name>', `${what} (default: grpc)`).choices(TRANSPORTS);

/** The live stream's options: the tail. */
export function addStreamOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .optionsGroup(CONNECTION_HEADING)
    .option('--no-reconnect', 'exit (code 6) when the stream is lost instead of reconnecting')
    .addOption(transportOption())
    .option(
      '--restserver <host:port>',
      "lnd's REST address; needs --transport rest|ws (default: lnd.conf restlisten, else localhost:8080)",
    );
}

function addOutputBase<A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: Command<A, O, G>) {
  return cmd
    .optionsGroup(OUTPUT_HEADING)
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('pretty'))
    .addOption(
      new Option('--color <when>', 'colour output (NO_COLOR and FORCE_COLOR honoured)')
        .choices(COLOR_MODES)
        .default('auto'),
    )
    .option('--utc', 'pretty and table show UTC instead of local time, marked Z (jsonl is always UTC)');
}

export function addSummaryOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .option('--stats', 'print a summary on stderr at exit (default: on when stderr is a terminal)')
    .option('--no-stats', 'no summary at exit')
    .option('--stats-interval <sec>', 'also print the summary every SEC seconds')
    .option(
      '--stuck-after <sec>',
      `the summary lists HTLCs in flight longer than SEC seconds (default: ${DEFAULT_STUCK_AFTER_SEC})`,
    );
}

/** The output options of the commands that tail a node. */
export function addOutputOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return addSummaryOptions(addOutputBase(cmd).option('--no-aliases', 'do not look up peer aliases'));
}

/** The output options of replay: no --no-aliases (there is no node to ask). */
export function addReplayOutputOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return addSummaryOptions(addOutputBase(cmd));
}

export function addFilterOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .optionsGroup(FILTER_HEADING)
    .option('--type <list>', 'keep events of these types: send,receive,forward,unknown', collect)
    .option(
      '--event <list>',
      'keep these kinds: forward,forward_fail,settle,link_fail,final_htlc,subscribed (default: all but subscribed)',
      collect,
    )
    .option(
      '--channel <id>',
      'keep events whose incoming or outgoing channel is ID (decimal id, BLOCKxTXxOUT, or peer alias)',
      collect,
    )
    .option('--in-channel <id>', 'the same, incoming side only', collect)
    .option('--out-channel <id>', 'the same, outgoing side only', collect)
    .option('--failures', 'keep link_fail, forward_fail and unsettled final_htlc events')
    .option(
      '--reason <list>',
      'keep link_fail events whose wire_failure or failure_detail is one of these names, e.g. insufficient_balance (implies --failures)',
      collect,
    )
    .option('--min-amount <sat>', 'keep events whose amount is at least SAT (decimals allowed)')
    .option('--count <n>', 'exit after N HTLC events have been printed');
}

/** The demo's own options. */
export function addDemoOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .optionsGroup('Demo options:')
    .option('--rate <n>', `events per second the simulated node sends (default: ${DEMO_RATE})`)
    .option('--seed <n>', 'seed of the simulated traffic (default: a new one each run)')
    .option('--hostile-aliases', 'give one peer an alias with a terminal escape sequence, to see it shown escaped')
    .addOption(
      transportOption("which interface of the simulated node to tail: gRPC, lnd's REST or its WebSocket").helpGroup(
        'Demo options:',
      ),
    );
}

export const HISTORY_HEADING = 'History options:';
const DB_HELP = 'history database (env HTLC_TAIL_DB; default: $XDG_DATA_HOME/htlc-tail/history.sqlite)';
const TIME_FORMS = 'RFC 3339, a date (local midnight) or an age: 90s, 15m, 2h, 7d';

/** replay's history options: `--db [FILE]` reads the store instead of a capture. */
export function addReplayHistoryOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .optionsGroup(HISTORY_HEADING)
    .option('--db [file]', `replay the ${DB_HELP} instead of a capture`)
    .option('--node <node>', 'with --db: only this node of the database (its pubkey, alias or profile name)')
    .option('--since <time>', `with --db: only events at or after TIME (${TIME_FORMS})`)
    .option('--until <time>', 'with --db: only events before TIME');
}

/** The live tail's history options: print recorded events first, then go on live. */
export function addTailHistoryOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .optionsGroup(HISTORY_HEADING)
    .option('--since <time>', `first print this node's recorded events since TIME (${TIME_FORMS}), then go on live`)
    .option('--tail <n>', "first print this node's last N recorded events, then go on live")
    .option('--record', 'also keep every event in the history database (as `htlc-tail record` does) while printing')
    .option('--db <file>', DB_HELP)
    .option('--retain <days>', RETAIN_HELP);
}

/** --debug, in the general group beside --help. */
export function addDebugOption<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd.optionsGroup('Options:').option('--debug', 'show the stack of an internal error');
}

const RETAIN_HELP = 'delete recorded events older than DAYS (default: keep everything)';

/** `record`: the database and retention. */
export function addRecordOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd.optionsGroup(HISTORY_HEADING).option('--db <file>', DB_HELP).option('--retain <days>', RETAIN_HELP);
}

/** The demo: --record [FILE], into a temporary database unless FILE is given. */
export function addDemoRecordOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .optionsGroup(HISTORY_HEADING)
    .option(
      '--record [file]',
      "also keep the simulated node's events in a history database: FILE, or a new temporary one (its path is shown on stderr)",
    );
}
