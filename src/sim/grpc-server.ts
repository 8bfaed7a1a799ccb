/**
 * The gRPC face of the simulated node: a grpc-js server with lnd's TLS
 * material, serving Router.SubscribeHtlcEvents, Lightning.GetInfo /
 * ListChannels / GetNodeInfo and State.GetState / SubscribeState from the
 * protos in protos/. Authorization and event sources are the node's
 * (transport-agnostic); this file only adapts them to grpc-js.
 */
import type * as grpc from '@grpc/grpc-js';
import type { LndProtos } from './protos.js';
import { encodeHtlcEvent } from './encode-wire.js';
import type { EventSink } from './stream-source.js';
import type { WireHtlcEvent } from './wire-event.js';

export const STATUS_UNKNOWN = 2;
export const STATUS_NOT_FOUND = 5;

/** An lnd-style failure: a gRPC status code and lnd's text. */
export interface RpcFailure {
  readonly code: number;
  readonly message: string;
}

/** What the node provides to the gRPC layer. */
export interface RpcBackend {
  /** undefined to proceed, else lnd's error text (sent as UNKNOWN). */
  authorize(method: string, macaroons: readonly string[], peerIp: string | undefined): string | undefined;
  subscribeHtlcEvents(sink: EventSink): void;
  getInfo(): object;
  listChannels(req: Record<string, unknown>): object;
  getNodeInfo(req: Record<string, unknown>): object | RpcFailure;
  getState(): string;
  /** Calls back with each new state until the returned function is called. */
  watchState(cb: (state: string) => void): () => void;
}

/** The caller's IP from grpc-js's peer text (`1.2.3.4:5678`, `[::1]:5678`, `::1:5678`). */
export function peerIp(peer: string): string | undefined {
  const m = /^\[(.+)\]:\d+$/.exec(peer) ?? /^(.+):\d+$/.exec(peer);
  return m ? m[1] : undefined;
}

/** Adapts a grpc-js server-streaming call to an EventSink. */
export class GrpcSink implements EventSink {
  closed = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(private readonly call: grpc.ServerWritableStream<unknown, unknown>) {
    this.done = new Promise((r) => (this.resolveDone = r));
    call.on('cancelled', () => this.close());
    call.on('close', () => this.close());
    call.on('finish', () => this.close());
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.resolveDone();
  }

  send(event: WireHtlcEvent, encoded?: Buffer): boolean {
    if (this.closed) return false;
    return this.call.write(encoded ?? encodeHtlcEvent(event));
  }

  waitDrain(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return Promise.race([new Promise<void>((r) => this.call.once('drain', () => r())), this.done]);
  }

  fail(message: string, code = STATUS_UNKNOWN): void {
    if (this.closed) return;
    this.closed = true;
    // Messages already written go out first, then the status (the stream's 'error' handler ends it).
    this.call.emit('error', { code, details: message });
    this.resolveDone();
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.call.end();
    this.resolveDone();
  }
}

function metadataMacaroons(md: grpc.Metadata): string[] {
  return md.get('macaroon').map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
}

/** The Router service definition, with a response serializer that passes pre-encoded Buffers through. */
function routerService(protos: LndProtos): grpc.ServiceDefinition {
  const orig = protos.routerrpc.Router.service as grpc.ServiceDefinition;
  const method = orig.SubscribeHtlcEvents!;
  const serialize = method.responseSerialize;
  return {
    ...orig,
    SubscribeHtlcEvents: {
      ...method,
      responseSerialize: (v: unknown) => (Buffer.isBuffer(v) ? v : serialize(v)),
    },
  };
}

export function buildServer(protos: LndProtos, backend: RpcBackend): grpc.Server {
  const g = protos.grpc;
  const server = new g.Server({
    'grpc.keepalive_time_ms': 60_000,
    'grpc.keepalive_timeout_ms': 20_000,
  });
  const deny = (text: string) => ({ code: g.status.UNKNOWN, details: text });
  const unary =
    (method: string, fn: (req: Record<string, unknown>) => object | RpcFailure) =>
    (call: grpc.ServerUnaryCall<Record<string, unknown>, object>, cb: grpc.sendUnaryData<object>) => {
      const err = backend.authorize(method, metadataMacaroons(call.metadata), peerIp(call.getPeer()));
      if (err !== undefined) return cb(deny(err));
      const res = fn(call.request);
      if ('code' in res && 'message' in res) return cb({ code: (res as RpcFailure).code, details: (res as RpcFailure).message });
      cb(null, res);
    };

  server.addService(routerService(protos), {
    SubscribeHtlcEvents: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      const err = backend.authorize('/routerrpc.Router/SubscribeHtlcEvents', metadataMacaroons(call.metadata), peerIp(call.getPeer()));
      if (err !== undefined) {
        call.emit('error', deny(err));
        return;
      }
      backend.subscribeHtlcEvents(new GrpcSink(call));
    },
  });
  server.addService(protos.lnrpc.Lightning.service, {
    GetInfo: unary('/lnrpc.Lightning/GetInfo', () => backend.getInfo()),
    ListChannels: unary('/lnrpc.Lightning/ListChannels', (req) => backend.listChannels(req)),
    GetNodeInfo: unary('/lnrpc.Lightning/GetNodeInfo', (req) => backend.getNodeInfo(req)),
  });
  server.addService(protos.lnrpc.State.service, {
    GetState: (_call: unknown, cb: grpc.sendUnaryData<object>) => cb(null, { state: backend.getState() }),
    SubscribeState: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      let last = '';
      const push = (state: string) => {
        if (state !== last) call.write({ state });
        last = state;
      };
      push(backend.getState());
      const off = backend.watchState(push);
      call.on('cancelled', off);
      call.on('close', off);
    },
  });
  return server;
}

/** Binds the server with lnd's TLS material; resolves with the bound port. */
export function bindServer(protos: LndProtos, server: grpc.Server, host: string, port: number, certPem: string, keyPem: string): Promise<number> {
  const creds = protos.grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(certPem), private_key: Buffer.from(keyPem) }], false);
  const addr = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => server.bindAsync(addr, creds, (err, p) => (err ? reject(err) : resolve(p))));
}
