/**
 * The options shared by the tail, demo, check and replay commands, declared
 * once. Commander only: parsing, defaults shown in help, choices from the
 * typed lists. Validation and resolution happen in config/.
 */
import { Command, Option } from 'commander';
import { COLOR_MODES, FORMATS, TRANSPORTS } from '../format/names.js';

const collect = (value: string, previous: string[] = []): string[] => previous.concat(value);

export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--rpcserver <host:port>', "lnd's gRPC address (env LNCLI_RPCSERVER; default: lnd.conf rpclisten, else localhost:10009)")
    .option('--lnddir <dir>', "lnd's directory (env LNCLI_LNDDIR; default: lnd's per-OS default, ~/.lnd on Linux)")
    .option('-n, --network <net>', 'mainnet, testnet, testnet4, signet, regtest or simnet (env LNCLI_NETWORK; default: lnd.conf, else mainnet)')
    .option('--configfile <file>', 'lnd.conf to read (default: <lnddir>/lnd.conf when it exists)')
    .option('--tlscertpath <file>', "lnd's TLS certificate (env LNCLI_TLSCERTPATH; default: <lnddir>/tls.cert)")
    .option('--macaroonpath <file>', 'macaroon to use (env LNCLI_MACAROONPATH; default: readonly.macaroon of the network)')
    .option('--tls-server-name <name>', 'name to verify the certificate against (default: the host of --rpcserver)')
    .option('--lndconnect <uri>', 'lndconnect://host:port?cert=…&macaroon=… (env HTLC_TAIL_LNDCONNECT)')
    .option('--connect-timeout <sec>', 'seconds to wait for a connection (default: 10)')
    .option('--wait', 'at start, keep retrying until lnd is reachable, unlocked and ready')
    .option('--no-reconnect', 'exit (code 6) when the stream is lost instead of reconnecting')
    .addOption(new Option('--transport <name>', 'how to reach lnd (default: grpc)').choices(TRANSPORTS))
    .option('--restserver <host:port>', "lnd's REST address for --transport rest|ws (default: lnd.conf restlisten, else localhost:8080)");
}

/** lncli profiles (the tail only, for now). */
export function addProfileOptions(cmd: Command): Command {
  return cmd
    .option('-p, --profile <name>', "an lncli profile (env LNCLI_PROFILE; default: the profiles file's default when no connection option is given; '' turns profiles off)")
    .option('--profiles-file <file>', 'lncli profiles file (env LNCLI_PROFILES; default: ~/.lncli/profiles.json)');
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('pretty'))
    .addOption(new Option('--color <when>', 'colour output (NO_COLOR and FORCE_COLOR honoured)').choices(COLOR_MODES).default('auto'))
    .option('--utc', 'pretty and table show UTC instead of local time (jsonl is always UTC)')
    .option('--no-aliases', 'do not look up peer aliases')
    .option('--stats', 'print a summary on stderr at exit (default: on when stderr is a terminal)')
    .option('--no-stats', 'no summary at exit')
    .option('--stats-interval <sec>', 'also print the summary every SEC seconds')
    .option('--stuck-after <sec>', 'the summary lists HTLCs in flight longer than SEC seconds (default: 60)')
    .option('--debug', 'show stack traces of internal errors');
}

export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--type <list>', 'keep events of these types: send,receive,forward,unknown (repeatable)', collect)
    .option('--event <list>', 'keep these kinds: forward,forward_fail,settle,link_fail,final_htlc,subscribed (default: all but subscribed)', collect)
    .option('--channel <id>', 'keep events whose incoming or outgoing channel is ID (decimal id, BLOCKxTXxOUT, or peer alias; repeatable)', collect)
    .option('--in-channel <id>', 'the same, incoming side only (repeatable)', collect)
    .option('--out-channel <id>', 'the same, outgoing side only (repeatable)', collect)
    .option('--failures', 'keep link_fail, forward_fail and unsettled final_htlc events')
    .option('--min-amount <sat>', 'keep events whose amount is at least SAT (decimals allowed)')
    .option('--count <n>', 'exit after N HTLC events have been printed');
}
