/**
 * One node, everything about reaching it in one object: its name, its
 * resolved connection config (address, credentials, transport, proxy, wait,
 * reconnect, keepalive), its target (cert and macaroon files read again
 * before each reconnect), its event source (the reconnecting session over
 * the configured transport), its unary lookups (aliases, block height) and
 * its identity (the pubkey from GetInfo when the macaroon permits it, else
 * host:port: what the history store keys nodes by).
 *
 * A run holds a list of these (one per node; one today). Everything above
 * (pipeline, sinks) sees only the EventSource and the lookups, never the
 * transport.
 */
import type { HtlcEvent } from '../events/model.js';
import type { Clock } from './clock.js';
import type { TargetSpec } from './credentials.js';
import { grpcConnector } from './grpc/connector.js';
import { keepalivePolicy, type KeepalivePolicy, type KeepaliveSettings } from './grpc/keepalive.js';
import { grpcLookups } from './grpc/lookups.js';
import type { NodeInfoSummary, NodeLookups } from './lookups.js';
import { restConnector } from './rest/connector.js';
import { restLookups } from './rest/lookups.js';
import { StreamSession } from './session.js';
import { GrpcCode, isCallStatus, type TransportName } from './status.js';
import { addressOf, type LndTarget } from './target.js';
import { TargetSource } from './target-source.js';

/** What the tail reads events from: one node's session, whatever the transport. */
export interface EventSource {
  /** Resolves when stopped; rejects with an HtlcTailError when the tail cannot go on. */
  run(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
}

/** One node's resolved connection config (built by the caller from config/; read-only). */
export interface NodeConnectionConfig {
  /** The profile name, or null for a node given by flags, variables, an lndconnect URI or lnd.conf. */
  readonly profile: string | null;
  readonly transport: TransportName;
  /** What to dial and read: address, TLS name, cert and macaroon (files are read again per reconnect), SOCKS5 proxy. */
  readonly target: TargetSpec;
  /** --wait: at start, retry until lnd is reachable, unlocked and ready. */
  readonly wait: boolean;
  /** Re-establish a lost stream (false with --no-reconnect). */
  readonly reconnect: boolean;
  readonly keepalive: KeepaliveSettings;
}

/** Where one node's stream goes: the run's pipeline lane and sinks. */
export interface NodeStreamHooks {
  /** A notice for stderr: `info` ones only on a terminal. */
  readonly notify: (msg: string, level?: 'info' | 'warn') => void;
  onEvent(ev: HtlcEvent): void;
  /** The stream was re-established after a loss: events between may be missing. */
  onGap(fromMs: number, toMs: number, reason: string): void;
  /** A subscription is established (the first time, and after each reconnect). */
  onSubscribed(reconnected: boolean): void;
  /** An established stream was lost (its gap follows with the next subscription). */
  onLost?(reason: string): void;
}

/** How the history store and the metrics know a node. */
export interface NodeIdentity {
  /** The identity pubkey (hex), or `host:port` when GetInfo is not permitted. */
  readonly identity: string;
  readonly pubkey?: string;
  /** The profile name, when the node was named by one. */
  readonly name?: string;
  readonly alias?: string;
}

/**
 * The stable label of a node (metrics `node` label, history): its profile name, else its identity
 * pubkey, else the `host:port` dialed; never an alias (aliases change and repeat).
 */
export const labelOf = (id: NodeIdentity): string => id.name ?? id.pubkey ?? id.identity;

export class NodeConnection {
  readonly target: TargetSource;
  /** `host:port` dialed. */
  readonly address: string;
  /** One keepalive policy for the node's run, so a longer keepalive that lnd asked for outlives a reconnect. */
  private readonly keepalive: KeepalivePolicy;
  private lookupsTarget: LndTarget;
  private currentLookups: NodeLookups;
  private info: Promise<NodeInfoSummary | undefined> | undefined;
  private alias: string | undefined;
  private pubkey: string | undefined;

  /** `first`: the target already built from `config.target` (its files read), if the caller has it. */
  constructor(
    readonly config: NodeConnectionConfig,
    first?: LndTarget,
    private readonly clock?: Clock,
  ) {
    this.target = first ? new TargetSource(config.target, first) : new TargetSource(config.target);
    this.address = addressOf(this.target.current);
    this.keepalive = keepalivePolicy(config.keepalive);
    this.lookupsTarget = this.target.current;
    this.currentLookups = this.makeLookups(this.lookupsTarget);
  }

  /**
   * What output calls the node (the `node` key and column, notices, summaries
   * of a run over several nodes, per SPEC): its profile name, else its alias
   * (once identity() resolved it), else host:port.
   */
  get name(): string {
    return this.config.profile ?? (this.alias || this.address);
  }

  /**
   * A stable label for the node (metrics label, history column): its profile
   * name, else its identity pubkey (once identity() resolved it), else
   * host:port. Unlike `name`, never an alias (aliases change and repeat).
   */
  get label(): string {
    return this.config.profile ?? this.pubkey ?? this.address;
  }

  /**
   * The unary lookups for the target as it is now. After the credentials
   * changed (a reconnect read new files), a new connection is used; the old
   * one closes once its calls are done.
   */
  lookups(): NodeLookups {
    const now = this.target.current;
    if (now !== this.lookupsTarget) {
      const old = this.currentLookups;
      this.lookupsTarget = now;
      this.currentLookups = this.makeLookups(now);
      old.close();
    }
    return this.currentLookups;
  }

  /**
   * The node's identity: GetInfo (asked once; again after a failure other
   * than a permission denied), else host:port. Never rejects.
   */
  async identity(): Promise<NodeIdentity> {
    this.info ??= this.lookups()
      .getInfo()
      .catch((e: unknown) => {
        if (!(isCallStatus(e) && e.code === GrpcCode.PERMISSION_DENIED)) this.info = undefined;
        return undefined;
      });
    const info = await this.info;
    if (info?.alias) this.alias = info.alias;
    if (info?.identityPubkey) this.pubkey = info.identityPubkey;
    const name = this.config.profile ?? undefined;
    const alias = info?.alias || undefined;
    if (!info?.identityPubkey)
      return { identity: this.address, ...(name ? { name } : {}), ...(alias ? { alias } : {}) };
    return {
      identity: info.identityPubkey,
      pubkey: info.identityPubkey,
      ...(name ? { name } : {}),
      ...(alias ? { alias } : {}),
    };
  }

  /** The node's event source: the session over the configured transport, reporting into `hooks`. */
  open(hooks: NodeStreamHooks): EventSource {
    const c = this.config;
    const connector =
      c.transport === 'grpc'
        ? grpcConnector(this.target, this.keepalive, this.clock)
        : restConnector(this.target, c.transport);
    const via =
      c.transport === 'grpc'
        ? `lnd at ${this.address}`
        : `lnd's REST port at ${this.address}${c.transport === 'ws' ? ' (WebSocket)' : ''}`;
    hooks.notify(`connecting to ${via}`, 'info');
    return new StreamSession(connector, {
      wait: c.wait,
      reconnect: c.reconnect,
      notify: hooks.notify,
      onEvent: (ev) => hooks.onEvent(ev),
      onGap: (from, to, reason) => hooks.onGap(from, to, reason),
      onSubscribed: ({ reconnected }) => hooks.onSubscribed(reconnected),
      onLost: (reason) => hooks.onLost?.(reason),
      ...(this.clock ? { clock: this.clock } : {}),
    });
  }

  /** Releases the lookups' connection (once its calls are done). */
  close(): void {
    this.currentLookups.close();
  }

  private makeLookups(target: LndTarget): NodeLookups {
    return this.config.transport === 'grpc' ? grpcLookups(target) : restLookups(target);
  }
}
