/**
 * The gRPC face of the simulated node: a grpc-js server with lnd's TLS
 * material, serving Router.SubscribeHtlcEvents, the unary methods of
 * backend.ts (Lightning.GetInfo / ListChannels / GetNodeInfo, State.GetState)
 * and State.SubscribeState from the protos. Authorization, answers and event
 * sources are the node's (backend.ts); this file only adapts them to grpc-js.
 */
import type * as grpc from '@grpc/grpc-js';
import {
  answerUnary,
  followState,
  openHtlcStream,
  peerIp,
  splitMethod,
  STATUS_UNKNOWN,
  SUBSCRIBE_HTLC_EVENTS,
  SUBSCRIBE_STATE,
  UNARY_METHODS,
  isFailure,
  type CallInfo,
  type RpcBackend,
  type RpcRequest,
} from './backend.js';
import { encodeHtlcEvent } from './encode-wire.js';
import { hostPort } from './listen.js';
import type { LndProtos } from './protos.js';
import { SinkBase } from './sink-base.js';
import type { WireHtlcEvent } from './wire-event.js';

/** Adapts a grpc-js server-streaming call to an EventSink. */
export class GrpcSink extends SinkBase {
  constructor(private readonly call: grpc.ServerWritableStream<unknown, unknown>) {
    super();
    call.on('cancelled', () => this.markClosed());
    call.on('close', () => this.markClosed());
    call.on('finish', () => this.markClosed());
  }

  send(event: WireHtlcEvent, encoded?: Buffer): boolean {
    if (this.closed) return false;
    return this.call.write(encoded ?? encodeHtlcEvent(event));
  }

  waitDrain(): Promise<void> {
    return this.until(this.call, 'drain');
  }

  fail(message: string, code = STATUS_UNKNOWN): void {
    // Messages already written go out first, then the status (the stream's 'error' handler ends it).
    if (this.markClosed()) this.call.emit('error', { code, details: message });
  }

  end(): void {
    if (this.markClosed()) this.call.end();
  }
}

function callInfo(
  method: string,
  call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>,
): CallInfo {
  const macaroons = call.metadata
    .get('macaroon')
    .map((v: grpc.MetadataValue) => (typeof v === 'string' ? v : v.toString('utf8')));
  return { method, macaroons, peerIp: peerIp(call.getPeer()) };
}

/** The service definitions by name; Router's stream passes pre-encoded Buffers through its serializer. */
function services(protos: LndProtos): Record<string, grpc.ServiceDefinition> {
  const router = protos.routerrpc.Router.service;
  const method = router.SubscribeHtlcEvents!;
  const serialize = method.responseSerialize;
  return {
    'lnrpc.Lightning': protos.lnrpc.Lightning.service,
    'lnrpc.State': protos.lnrpc.State.service,
    'routerrpc.Router': {
      ...router,
      SubscribeHtlcEvents: { ...method, responseSerialize: (v: unknown) => (Buffer.isBuffer(v) ? v : serialize(v)) },
    },
  };
}

export function buildServer(protos: LndProtos, backend: RpcBackend): grpc.Server {
  const server = new protos.grpc.Server({ 'grpc.keepalive_time_ms': 60_000, 'grpc.keepalive_timeout_ms': 20_000 });
  const impl: Record<string, grpc.UntypedServiceImplementation> = {};
  const add = (method: string, handler: grpc.UntypedHandleCall) => {
    const { service, name } = splitMethod(method);
    (impl[service] ??= {})[name] = handler;
  };
  for (const method of Object.keys(UNARY_METHODS)) {
    const unary: grpc.handleUnaryCall<RpcRequest, object> = (call, cb) => {
      const res = answerUnary(backend, callInfo(method, call), () => call.request);
      if (isFailure(res)) cb({ code: res.code, details: res.message });
      else cb(null, res);
    };
    add(method, unary);
  }
  add(SUBSCRIBE_HTLC_EVENTS, (call: grpc.ServerWritableStream<unknown, unknown>) => {
    const { macaroons, peerIp: ip } = callInfo(SUBSCRIBE_HTLC_EVENTS, call);
    const denied = openHtlcStream(backend, macaroons, ip, () => new GrpcSink(call));
    if (denied) call.emit('error', { code: denied.code, details: denied.message });
  });
  add(SUBSCRIBE_STATE, (call: grpc.ServerWritableStream<unknown, unknown>) => {
    const off = followState(backend, (state) => call.write({ state }));
    call.on('cancelled', off);
    call.on('close', off);
  });
  const defs = services(protos);
  for (const [service, handlers] of Object.entries(impl)) server.addService(defs[service]!, handlers);
  return server;
}

/** Binds the server with lnd's TLS material; resolves with the bound port. */
export function bindServer(
  protos: LndProtos,
  server: grpc.Server,
  host: string,
  port: number,
  certPem: string,
  keyPem: string,
): Promise<number> {
  const creds = protos.grpc.ServerCredentials.createSsl(
    null,
    [{ cert_chain: Buffer.from(certPem), private_key: Buffer.from(keyPem) }],
    false,
  );
  return new Promise((resolve, reject) =>
    server.bindAsync(hostPort(host, port), creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
}
