/**
 * lnd's unary calls that htlc-tail makes (GetInfo, ListChannels, GetNodeInfo,
 * State.GetState), through grpc-js and proto-loader's generated clients on a
 * grpc-js channel. 64-bit values arrive as strings (longs: String). The
 * clients share the caller's channel: closing the channel ends them.
 */
import { loadProtos, type LndProtos } from './protos.js';
import { macaroonMetadata, openChannel, type LndChannel } from './channel.js';
import { addressOf, type LndTarget } from './target.js';

export interface GrpcStatusError {
  readonly code: number;
  readonly details: string;
}

export function isGrpcStatusError(e: unknown): e is GrpcStatusError {
  return typeof e === 'object' && e !== null && typeof (e as GrpcStatusError).code === 'number' && 'details' in e;
}

export interface NodeInfoSummary {
  readonly alias: string;
  readonly identityPubkey: string;
  readonly version: string;
  readonly blockHeight: number;
  readonly syncedToChain: boolean;
  readonly network: string | undefined;
}

export interface ChannelSummary {
  readonly chanId: string;
  readonly remotePubkey: string;
  readonly peerAlias: string;
  readonly active: boolean;
}

/**
 * GetInfo and ListChannels answers have the same snake_case shape from
 * proto-loader (keepCase) and from lnd's REST JSON; one mapping serves both.
 */
export function nodeInfoOf(r: any): NodeInfoSummary {
  return {
    alias: r.alias ?? '',
    identityPubkey: r.identity_pubkey ?? '',
    version: r.version ?? '',
    blockHeight: Number(r.block_height ?? 0),
    syncedToChain: Boolean(r.synced_to_chain),
    network: r.chains?.[0]?.network || undefined,
  };
}

export function channelsOf(r: any): ChannelSummary[] {
  return (Array.isArray(r.channels) ? r.channels : []).map((c: any) => ({
    chanId: String(c.chan_id ?? '0'),
    remotePubkey: c.remote_pubkey ?? '',
    peerAlias: peerAliasOf(c.peer_alias),
    active: Boolean(c.active),
  }));
}

export interface UnaryClient {
  getInfo(): Promise<NodeInfoSummary>;
  listChannels(): Promise<ChannelSummary[]>;
  /** The node's alias from the graph, '' when unknown. */
  getNodeAlias(pubkey: string): Promise<string>;
  /** lnrpc.State/GetState: the wallet state name (no macaroon needed). */
  getState(): Promise<string>;
}

const GRPC_NOT_FOUND = 5;

/**
 * lnd's ListChannels (with peer_alias_lookup) puts its lookup error into
 * `peer_alias` when the peer is not in the graph: `unable to lookup peer alias:
 * alias for node not found` (rpcserver.go formats `unable to lookup peer alias:
 * %v`). That text is not an alias: treat it as empty, so GetNodeInfo is asked
 * (and answers NOT_FOUND, i.e. no alias).
 */
export const PEER_ALIAS_LOOKUP_ERROR_PREFIX = 'unable to lookup peer alias';

export function peerAliasOf(v: unknown): string {
  if (typeof v !== 'string') return '';
  return v.startsWith(PEER_ALIAS_LOOKUP_ERROR_PREFIX) ? '' : v;
}

export function unaryClient(p: LndProtos, channel: LndChannel, target: LndTarget, timeoutMs: number): UnaryClient {
  const opts = { channelOverride: channel };
  const creds = p.grpc.credentials.createInsecure();
  const clients = {
    lightning: new p.lnrpc.Lightning(addressOf(target), creds, opts),
    state: new p.lnrpc.State(addressOf(target), creds, opts),
  };
  const md = () => macaroonMetadata(p.grpc, target.macaroon);

  function call<T>(which: 'lightning' | 'state', method: string, req: object, withMacaroon = true): Promise<T> {
    const client = clients[which];
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const cb = (err: unknown, res: T) => (err ? reject(err) : resolve(res));
      if (withMacaroon) client[method](req, md(), { deadline }, cb);
      else client[method](req, { deadline }, cb);
    });
  }

  return {
    async getInfo() {
      const r = await call<any>('lightning', 'GetInfo', {});
      return nodeInfoOf(r);
    },
    async listChannels() {
      const r = await call<any>('lightning', 'ListChannels', { peer_alias_lookup: true });
      return channelsOf(r);
    },
    async getNodeAlias(pubkey: string) {
      try {
        const r = await call<any>('lightning', 'GetNodeInfo', { pub_key: pubkey, include_channels: false });
        return r.node?.alias ?? '';
      } catch (e) {
        // lnd: NOT_FOUND `unable to find node` when the graph has no announcement for the peer
        // (a private peer): it has no alias, which is an answer, not a failure.
        if (isGrpcStatusError(e) && e.code === GRPC_NOT_FOUND) return '';
        throw e;
      }
    },
    async getState() {
      const r = await call<any>('state', 'GetState', {}, false);
      return String(r.state);
    },
  };
}

/**
 * A UnaryClient that connects only when first used: grpc-js, the protos and a
 * channel of its own are loaded and opened on the first call (a tail with
 * --no-aliases and no summary never makes one). close() lets the calls in
 * flight finish (bounded by their deadline), then closes the channel; calls
 * after close() fail as CANCELLED.
 */
export function lazyUnaryClient(target: LndTarget, timeoutMs: number): UnaryClient & { close(): void } {
  let opened: Promise<{ client: UnaryClient; channel: LndChannel }> | undefined;
  let closed = false;
  let inFlight = 0;
  const closeIfIdle = () => {
    if (closed && inFlight === 0) void opened?.then(({ channel }) => channel.close());
  };
  const open = () =>
    (opened ??= loadProtos().then((p) => {
      const channel = openChannel(p.grpc, target);
      return { client: unaryClient(p, channel, target, timeoutMs), channel };
    }));
  const use = async <T>(f: (c: UnaryClient) => Promise<T>): Promise<T> => {
    if (closed) throw Object.assign(new Error('the tail is ending'), { code: 1, details: 'the tail is ending' });
    inFlight++;
    try {
      return await f((await open()).client);
    } finally {
      inFlight--;
      closeIfIdle();
    }
  };
  return {
    getInfo: () => use((c) => c.getInfo()),
    listChannels: () => use((c) => c.listChannels()),
    getNodeAlias: (pubkey) => use((c) => c.getNodeAlias(pubkey)),
    getState: () => use((c) => c.getState()),
    close() {
      closed = true;
      closeIfIdle();
    },
  };
}
