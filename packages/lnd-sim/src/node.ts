/**
 * startSimNode: a simulated lnd node for tests, the demo and benchmarks. It
 * serves real gRPC over real TLS (its own lnd-style certificate) with real
 * macaroons, and behaves like lnd where a client can tell: wallet states,
 * exact error texts, the subscribed_event first, realistic HTLC traffic,
 * scripted streams, and a flood mode.
 */
import { randomBytes } from 'node:crypto';
import { loadProtos } from './protos.js';
import {
  DEFAULT_MACAROON_NAMES,
  DEFAULT_MACAROON_PERMISSIONS,
  mintMacaroon,
  type DefaultMacaroonName,
  type Permission,
} from '@htlc-tail/lnd-macaroon';
import { authorize, LND_ERRORS, type WalletState } from './auth.js';
import { generateLndCert, type CertOptions } from './cert.js';
import { FloodMix } from './flood.js';
import type { RpcBackend } from './backend.js';
import { hostPort } from './listen.js';
import { writeLndDir, type LndDirPaths } from './lnddir.js';
import { buildNode, type SimNode } from './node-state.js';
import { TrafficPump } from './pump.js';
import { getInfoResponse, getNodeInfoResponse, listChannelsResponse } from './rpc-responses.js';
import { parseScenario, type Scenario } from './scenario.js';
import { runSubscription, type EventSink } from './stream-source.js';
import { createListener, type Listener, type TransportKind } from './transport.js';
import { createRestListener, type RestServerOptions } from './rest-server.js';
import { fromProtoObject, type HtlcEventObject } from './wire-event.js';

export interface SimNodeOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (default) = a free port. */
  readonly port?: number;
  /** Default regtest. */
  readonly network?: string;
  /** Default SERVER_ACTIVE (ready). */
  readonly walletState?: WalletState;
  /** Live traffic, events per second; 0 (default) = none. */
  readonly rate?: number;
  /** Live traffic: probability per event of replaying an earlier one, as lnd may after a restart. Default 0.01. */
  readonly replayProbability?: number;
  /** Seeds the node's identity, channels and traffic. Default 1. */
  readonly seed?: number;
  /** Scripted streams instead of live traffic (see scenario.ts). */
  readonly scenario?: Scenario;
  /** Flood mode: each subscription gets this many events as fast as flow control allows. */
  readonly flood?: number;
  /** Certificate names (e.g. `{ ipAddresses: [] }` for a cert without 127.0.0.1). */
  readonly cert?: CertOptions;
  /** Default: 32 random bytes. */
  readonly rootKey?: Uint8Array;
  /** The node's alias. Default `htlc-tail-sim`. */
  readonly alias?: string;
  /** One peer's alias holds a terminal escape sequence (HOSTILE_ALIAS in node-state.ts), for escape tests. Default off. */
  readonly hostileAliases?: boolean;
  /** Like lnd's `no-macaroons`. */
  readonly noMacaroons?: boolean;
  /** Answer like lnd < 0.13 (an expired macaroon gets the caveat's text, not `permission denied`). */
  readonly legacyMacaroonErrors?: boolean;
  /** `grpc-js` (default) or `h2` (batched node:http2; the default with `flood`). */
  readonly transport?: TransportKind;
  /** Also serve lnd's REST and WebSocket interface (rest-server.ts) on its own port; options vary its framing for tests. */
  readonly rest?: boolean | RestServerOptions;
  /** The REST port; 0 (default) = a free port. */
  readonly restPort?: number;
}

export interface SimNodeHandle {
  readonly host: string;
  /** The gRPC port (stays the same across restart()). */
  readonly port: number;
  /** `host:port` for --rpcserver. */
  readonly rpcserver: string;
  /** The REST/WebSocket port when `rest` was asked for (stays the same across restart()). */
  readonly restPort: number | undefined;
  /** `host:port` for --restserver, when REST runs. */
  readonly restserver: string | undefined;
  readonly network: string;
  readonly transport: TransportKind;
  readonly certPem: string;
  readonly keyPem: string;
  readonly macaroons: Readonly<Record<DefaultMacaroonName, Buffer>>;
  readonly rootKey: Buffer;
  /** Identity, peers and channels. */
  readonly node: SimNode;
  readonly walletState: WalletState;
  /** SubscribeHtlcEvents calls accepted so far. */
  readonly connections: number;
  readonly openStreams: number;
  setWalletState(state: WalletState): void;
  setScenario(scenario: Scenario | undefined): void;
  /** Sends one event (proto-loader form; no timestamp = now) to every open stream. */
  emit(event: HtlcEventObject): void;
  /** Ends every open stream: with an lnd error (default `htlc event subscription terminated`), or normally with null. */
  endStreams(message?: string | null, code?: number): void;
  /** Resolves once at least `n` streams are open. */
  waitForStreams(n?: number, timeoutMs?: number): Promise<void>;
  /** Mints another macaroon under the node's root key (e.g. with a `time-before` caveat or `uri:` permission). */
  mintMacaroon(permissions: readonly Permission[], caveats?: readonly string[]): Buffer;
  /** Ends streams like lnd shutting down, drops the connections, and listens again on the same port. */
  restart(opts?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
  writeLndDir(dir: string, opts?: { restPort?: number }): Promise<LndDirPaths>;
  /** Transport hooks (for a REST/WebSocket server): lnd's auth check and the event stream. */
  authorize(method: string, macaroons: readonly string[], peerIp?: string): string | undefined;
  subscribe(sink: EventSink): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function listenWithRetry(make: () => Listener, host: string, port: number): Promise<[Listener, number]> {
  for (let attempt = 0; ; attempt++) {
    const l = make();
    try {
      return [l, await l.listen(host, port)];
    } catch (err) {
      // Right after a shutdown the port may still be held for a moment.
      await l.close().catch(() => {});
      if (port === 0 || attempt >= 40) throw err;
      await sleep(50);
    }
  }
}

export async function startSimNode(opts: SimNodeOptions = {}): Promise<SimNodeHandle> {
  const protos = await loadProtos();
  const host = opts.host ?? '127.0.0.1';
  const network = opts.network ?? 'regtest';
  const seed = opts.seed ?? 1;
  const rootKey = Buffer.from(opts.rootKey ?? randomBytes(32));
  const node = buildNode(seed, network, opts.alias, opts.hostileAliases === true);
  const tls = generateLndCert(opts.cert);
  const macaroons = Object.fromEntries(
    DEFAULT_MACAROON_NAMES.map((n) => [n, mintMacaroon({ rootKey, permissions: DEFAULT_MACAROON_PERMISSIONS[n] })]),
  ) as Record<DefaultMacaroonName, Buffer>;
  const pump = new TrafficPump(node, opts.rate ?? 0, opts.replayProbability);
  const flood =
    opts.flood !== undefined && opts.flood > 0 ? { count: opts.flood, mix: new FloodMix(node, seed) } : undefined;

  let walletState: WalletState = opts.walletState ?? 'SERVER_ACTIVE';
  let scenario = opts.scenario === undefined ? undefined : parseScenario(opts.scenario);
  let connections = 0;
  let runs = 0;
  const sinks = new Set<EventSink>();
  const stateWatchers = new Set<(s: string) => void>();
  const streamWaiters = new Set<() => void>();

  const auth = (method: string, macs: readonly string[], peerIp?: string) =>
    authorize(
      {
        walletState,
        rootKeys: new Map([['0', rootKey]]),
        noMacaroons: opts.noMacaroons,
        legacyMacaroonErrors: opts.legacyMacaroonErrors,
      },
      { method, macaroons: macs, peerIp },
    );

  const subscribe = (sink: EventSink) => {
    const connectionIndex = connections++;
    sinks.add(sink);
    for (const w of streamWaiters) w();
    void sink.done.then(() => sinks.delete(sink));
    runSubscription(sink, {
      node,
      seed,
      connectionIndex,
      scenario,
      flood,
      traffic: pump,
      nowNs: () => BigInt(Date.now()) * 1_000_000n,
    }).catch((err: unknown) => sink.fail(`simulator error: ${(err as Error).message}`));
  };

  const backend: RpcBackend = {
    authorize: auth,
    subscribeHtlcEvents: subscribe,
    getInfo: () => getInfoResponse(node),
    listChannels: (req) => listChannelsResponse(node, req),
    getNodeInfo: (req) => getNodeInfoResponse(node, req),
    getState: () => walletState,
    watchState: (cb) => {
      stateWatchers.add(cb);
      return () => stateWatchers.delete(cb);
    },
  };

  const transport = opts.transport ?? (flood ? 'h2' : 'grpc-js');
  const make = () => createListener(transport, protos, backend, tls);
  let [listener, port] = await listenWithRetry(make, host, opts.port ?? 0);
  const restOpts = opts.rest === undefined || opts.rest === false ? undefined : opts.rest === true ? {} : opts.rest;
  const makeRest = restOpts ? () => createRestListener(backend, tls, restOpts) : undefined;
  let restListener: Listener | undefined;
  let restPort: number | undefined;
  if (makeRest) [restListener, restPort] = await listenWithRetry(makeRest, host, opts.restPort ?? 0);
  pump.start(seed + runs * 104729);
  let stopped = false;

  const endStreams = (message: string | null = LND_ERRORS.subscriptionTerminated, code?: number) => {
    for (const s of [...sinks]) {
      if (message === null) s.end();
      else s.fail(message, code);
    }
  };

  const down = async () => {
    pump.stop();
    endStreams();
    await sleep(20); // let the statuses go out before the connections drop
    await Promise.all([listener.close(), restListener?.close()]);
  };

  const handle: SimNodeHandle = {
    host,
    port,
    rpcserver: hostPort(host, port),
    restPort,
    restserver: restPort === undefined ? undefined : hostPort(host, restPort),
    network,
    transport,
    certPem: tls.certPem,
    keyPem: tls.keyPem,
    macaroons,
    rootKey,
    node,
    get walletState() {
      return walletState;
    },
    get connections() {
      return connections;
    },
    get openStreams() {
      return sinks.size;
    },
    setWalletState(state) {
      walletState = state;
      for (const w of stateWatchers) w(state);
    },
    setScenario(s) {
      scenario = s === undefined ? undefined : parseScenario(s);
    },
    emit(event) {
      const e = fromProtoObject(event, BigInt(Date.now()) * 1_000_000n);
      for (const s of sinks) s.send(e);
    },
    endStreams,
    waitForStreams(n = 1, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (sinks.size < n) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${n} open stream(s); ${sinks.size} open`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          streamWaiters.delete(check);
        };
        streamWaiters.add(check);
        check();
      });
    },
    mintMacaroon(permissions, caveats) {
      return mintMacaroon({ rootKey, permissions, caveats });
    },
    async restart(o = {}) {
      if (stopped) throw new Error('the simulated node was stopped');
      await down();
      if (o.downMs) await sleep(o.downMs);
      [listener, port] = await listenWithRetry(make, host, port);
      if (makeRest) [restListener, restPort] = await listenWithRetry(makeRest, host, restPort!);
      runs++;
      pump.start(seed + runs * 104729);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await down();
    },
    writeLndDir(dir, o = {}) {
      return writeLndDir(dir, {
        host,
        port,
        network,
        alias: node.alias,
        certPem: tls.certPem,
        keyPem: tls.keyPem,
        macaroons,
        restPort: o.restPort ?? restPort,
      });
    },
    authorize: auth,
    subscribe,
  };
  return handle;
}
