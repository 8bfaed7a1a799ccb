/**
 * The config layer's result: Config, the one resolved, validated, readonly
 * configuration every other layer reads (and RawOptions, what it is resolved
 * from: raw-options.ts).
 */
import type { FilterSpec } from '../events/filter.js';
import type { ColorMode, FormatName, TransportName } from '../format/names.js';
import type { HostPort } from './listen.js';
import type { NetworkName } from './networks.js';

export type { FilterSpec } from '../events/filter.js';
export type { NetworkName } from './networks.js';
export type { HostPort } from './listen.js';

export type { RawOptions } from './raw-options.js';

/** A TCP address to dial, and where the setting came from (for messages and `htlc-tail check`). */
export interface Endpoint extends HostPort {
  /** e.g. `--rpcserver`, `LNCLI_RPCSERVER`, `--lndconnect`, `/home/u/.lnd/lnd.conf:12 (rpclisten)`, `default` */
  readonly source: string;
}

/**
 * How to verify the node's certificate. The config layer does not read cert
 * files; the lnd layer does, and reports a missing or unreadable one (exit 3)
 * naming `option`.
 */
export type CertSource =
  /** Pin the certificate in this file. */
  | { readonly kind: 'file'; readonly path: string; readonly option: string; readonly source: string }
  /** Pin this certificate (from an lndconnect URI). */
  | { readonly kind: 'pem'; readonly pem: Buffer; readonly source: string }
  /**
   * Verify with the system CA roots (a CA-signed node): an lndconnect URI
   * without `cert`, or no cert given anywhere and no `tls.cert` at the default
   * path (`missingDefaultPath`, worth naming if the TLS handshake then fails).
   */
  | { readonly kind: 'system'; readonly source: string; readonly missingDefaultPath?: string };

/**
 * The macaroon to send. Files are read by the lnd layer (missing/unreadable →
 * exit 3 naming `option`). Bytes from an lndconnect URI are redacted when
 * inspected or JSON-serialized.
 */
export type MacaroonSource =
  | { readonly kind: 'file'; readonly path: string; readonly option: string; readonly source: string }
  | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly source: string }
  /** lnd.conf has `no-macaroons=1` and no macaroon was given: send none. */
  | { readonly kind: 'none'; readonly source: string };

export interface ConnectionConfig {
  /** Where to dial gRPC. */
  readonly rpcServer: Endpoint;
  /** Where to dial REST/WebSocket; null with the grpc transport. */
  readonly restServer: Endpoint | null;
  /** The name the certificate is verified against: --tls-server-name, else the host dialed. */
  readonly tlsServerName: string;
  /** `--tls-server-name` when given, else `host` (the dialed endpoint's host). */
  readonly tlsServerNameSource: '--tls-server-name' | 'host';
  readonly cert: CertSource;
  readonly macaroon: MacaroonSource;
  readonly network: NetworkName;
  readonly networkSource: string;
  /** lnd's directory as lnd sees it (flag/env, else lnd.conf `lnddir`, else the OS default). */
  readonly lndDir: string;
  /** lnd's data directory (macaroons live in `<dataDir>/chain/bitcoin/<network>/`). */
  readonly dataDir: string;
  /** The lnd.conf that was read, or null when none was. */
  readonly configFile: string | null;
  readonly connectTimeoutMs: number;
  /** --wait: at start, retry until lnd is reachable, unlocked and ready. */
  readonly wait: boolean;
  /** Once subscribed, re-establish a lost stream (false with --no-reconnect). */
  readonly reconnect: boolean;
  readonly transport: TransportName;
}

export interface OutputConfig {
  readonly format: FormatName;
  /** As asked (for messages); `color` is the decision. */
  readonly colorMode: ColorMode;
  /** Whether stdout gets colour (--color, FORCE_COLOR, NO_COLOR and whether stdout is a terminal decide). */
  readonly color: boolean;
  /** The same decision for stderr (notices, summaries), by whether stderr is a terminal. */
  readonly stderrColor: boolean;
  readonly utc: boolean;
  /** Look up peer aliases (false with --no-aliases). */
  readonly aliases: boolean;
  /** Summary on stderr at exit. */
  readonly stats: boolean;
  /** Also print the summary every N seconds; 0 = only at exit. */
  readonly statsIntervalSec: number;
  /** The summary lists HTLCs in flight longer than this many seconds (default 60). */
  readonly stuckAfterSec: number;
}

export interface Config {
  readonly connection: ConnectionConfig;
  readonly output: OutputConfig;
  readonly filter: FilterSpec;
  /** Exit 0 after this many HTLC events were printed; undefined = no limit. */
  readonly count: number | undefined;
  readonly debug: boolean;
}
