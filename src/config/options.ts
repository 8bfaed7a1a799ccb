/**
 * The options of each command exactly as the command line gives them
 * (Commander's values: strings as typed, `true` for a switch, arrays for a
 * repeatable option, a default where help shows one). These are the types the
 * commands receive; cli/typed-options.ts checks at compile time that each is
 * exactly what cli/options.ts declares, so a flag renamed on one side only
 * fails `tsc`. Nothing here imports Commander.
 *
 * The config functions read looser shapes (raw-options.ts): each command's
 * options fit them, and tests build them by hand.
 */
import type { ReportBy, ReportFormat } from '../report/columns.js';
import type { ColorMode, FormatName, TransportName } from '../format/names.js';
import type { ConnectionOptions, OutputOptions } from './raw-options.js';

/** Where the node is and how to authenticate: tail and check (strings, as resolveConfig reads them; --lndconnect repeatable). */
export type NodeFlags = Pick<
  ConnectionOptions,
  | 'rpcserver'
  | 'lnddir'
  | 'network'
  | 'configfile'
  | 'tlscertpath'
  | 'macaroonpath'
  | 'tlsServerName'
  | 'connectTimeout'
> & {
  /** --lndconnect URI, repeatable: one node each. */
  readonly lndconnect?: readonly string[];
  /** --socks5 HOST:PORT */
  readonly socks5?: string;
};

/** --wait: tail and check. */
export interface WaitFlag {
  readonly wait?: true;
}

/** lncli profiles: tail and check. */
export interface ProfileFlags {
  /** -p/--profile NAME, repeatable (`all`: every profile). */
  readonly profile?: readonly string[];
  readonly profilesFile?: string;
}

/** The live stream: the tail. */
export interface StreamFlags {
  /** false with --no-reconnect */
  readonly reconnect: boolean;
  readonly transport?: TransportName;
  /** --restserver HOST:PORT, for the rest and ws transports */
  readonly restserver?: string;
}

/** Output options of every command that prints events: the choices already checked by Commander. */
export type OutputFlags = { readonly format: FormatName; readonly color: ColorMode; readonly utc?: true } & Pick<
  OutputOptions,
  'stats' | 'statsInterval' | 'stuckAfter'
>;

/** --no-aliases: the commands that have a node to ask. */
export interface AliasFlag {
  readonly aliases: boolean;
}

/** The filters (each list option repeatable, each value possibly a comma list) and --count. */
export interface FilterFlags {
  readonly type?: readonly string[];
  readonly event?: readonly string[];
  readonly channel?: readonly string[];
  readonly inChannel?: readonly string[];
  readonly outChannel?: readonly string[];
  readonly failures?: true;
  readonly reason?: readonly string[];
  readonly minAmount?: string;
  readonly count?: string;
}

/** --metrics-listen HOST:PORT: tail, record and demo (parsed by config/metrics-listen.ts). */
export interface MetricsFlag {
  readonly metricsListen?: string;
}

export interface DebugFlag {
  readonly debug?: true;
}

/** The demo's own options. */
export interface DemoFlags {
  readonly rate?: string;
  readonly seed?: string;
  readonly hostileAliases?: true;
  readonly transport?: TransportName;
}

/** The history database and retention: `record`, and `--record` on the tail. */
export interface RecordFlags {
  readonly db?: string;
  readonly retain?: string;
}

/** The live tail's history options: recorded events first (--since TIME or --tail N), then live; --record. */
export interface TailHistoryFlags extends RecordFlags {
  readonly since?: string;
  readonly tail?: string;
  readonly record?: true;
}

/** --record [FILE] on the demo: true for a temporary database. */
export interface DemoRecordFlags {
  readonly record?: string | true;
}

/** replay's history options: `--db` alone is `true` (the default database). */
export interface ReplayHistoryFlags {
  readonly db?: string | true;
  readonly node?: string;
  readonly since?: string;
  readonly until?: string;
}

/** The summary options (record has no output, but a summary). */
export type SummaryFlags = Pick<OutputOptions, 'stats' | 'statsInterval' | 'stuckAfter'>;

/** `htlc-tail` (the default command). */
export type TailOptions = NodeFlags &
  WaitFlag &
  ProfileFlags &
  StreamFlags &
  OutputFlags &
  AliasFlag &
  FilterFlags &
  TailHistoryFlags &
  MetricsFlag &
  DebugFlag;

/** `htlc-tail demo` */
export type DemoOptions = DemoFlags & OutputFlags & AliasFlag & FilterFlags & DemoRecordFlags & MetricsFlag & DebugFlag;

/** `htlc-tail record`: waits and reconnects always; no output options but the summary. */
export type RecordOptions = NodeFlags &
  ProfileFlags &
  Pick<StreamFlags, 'transport' | 'restserver'> &
  SummaryFlags &
  RecordFlags &
  MetricsFlag &
  DebugFlag;

/** `htlc-tail check` */
export type CheckOptions = NodeFlags & WaitFlag & ProfileFlags & DebugFlag;

/** `htlc-tail replay [FILE]` (the file is an argument, not an option). */
export type ReplayOptions = { readonly strict?: true } & OutputFlags & FilterFlags & ReplayHistoryFlags & DebugFlag;

/** `htlc-tail report` */
export interface ReportOptions {
  readonly db?: string;
  readonly node?: string;
  readonly since?: string;
  readonly until?: string;
  readonly by: ReportBy;
  readonly format: ReportFormat;
  readonly debug?: true;
}
