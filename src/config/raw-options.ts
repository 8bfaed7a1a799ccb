/**
 * What the config functions read: the options of any command, loosely typed
 * (strings as typed, booleans for switches, a string or an array for a
 * repeatable option whose values may be comma lists; every field optional,
 * `undefined` meaning "not given"). Each command's exact options
 * (options.ts) fit these; tests build them by hand, bad values included.
 */

/** Where the node is, how to reach and authenticate it: connection.ts. */
export interface ConnectionOptions {
  readonly rpcserver?: string;
  readonly lnddir?: string;
  readonly network?: string;
  readonly configfile?: string;
  readonly tlscertpath?: string;
  readonly macaroonpath?: string;
  /** --tls-server-name */
  readonly tlsServerName?: string;
  readonly lndconnect?: string;
  /** --connect-timeout SEC */
  readonly connectTimeout?: string;
  readonly wait?: boolean;
  /** true by default; --no-reconnect gives false */
  readonly reconnect?: boolean;
  /** --transport grpc|rest|ws (default grpc) */
  readonly transport?: string;
  /** --restserver HOST:PORT, for the rest and ws transports */
  readonly restserver?: string;
}

/** Format, colour, aliases and the summary: output.ts. */
export interface OutputOptions {
  readonly format?: string;
  readonly color?: string;
  readonly utc?: boolean;
  /** true by default; --no-aliases gives false */
  readonly aliases?: boolean;
  /** --stats true, --no-stats false, neither undefined */
  readonly stats?: boolean;
  /** --stats-interval SEC */
  readonly statsInterval?: string;
  /** --stuck-after SEC */
  readonly stuckAfter?: string;
}

/** The filters: filter-options.ts. */
export interface FilterOptions {
  readonly type?: string | readonly string[];
  readonly event?: string | readonly string[];
  readonly channel?: string | readonly string[];
  readonly inChannel?: string | readonly string[];
  readonly outChannel?: string | readonly string[];
  readonly failures?: boolean;
  readonly minAmount?: string;
  /** --reason NAME[,NAME] (repeatable) */
  readonly reason?: string | readonly string[];
  readonly count?: string;
}

/** Everything resolveConfig reads. */
export interface RawOptions extends ConnectionOptions, OutputOptions, FilterOptions {
  readonly debug?: boolean;
}
