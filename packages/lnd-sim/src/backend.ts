/**
 * What every face of the simulated node shares (the grpc-js server, the
 * batched HTTP/2 server and the REST/WebSocket server): the node's backend,
 * the table of unary methods, lnd's order for a call (authorization first,
 * then the answer), opening an HTLC stream, and the wallet-state feed. A
 * server only adapts this to its framing.
 */
import type { EventSink } from './stream-source.js';

/** gRPC status codes the simulator answers with. */
export const STATUS_UNKNOWN = 2;
export const STATUS_NOT_FOUND = 5;
export const STATUS_UNIMPLEMENTED = 12;
export const STATUS_INTERNAL = 13;

/** An lnd-style failure: a gRPC status code and lnd's text. */
export interface RpcFailure {
  readonly code: number;
  readonly message: string;
}

/** A unary request in proto-loader object form. */
export type RpcRequest = Record<string, unknown>;

/** What the node provides to its servers. */
export interface RpcBackend {
  /** undefined to proceed, else lnd's error text (sent as UNKNOWN). */
  authorize(method: string, macaroons: readonly string[], peerIp: string | undefined): string | undefined;
  subscribeHtlcEvents(sink: EventSink): void;
  getInfo(): object;
  listChannels(req: RpcRequest): object;
  getNodeInfo(req: RpcRequest): object | RpcFailure;
  getState(): string;
  /** Calls back with each new state until the returned function is called. */
  watchState(cb: (state: string) => void): () => void;
}

/** Who calls: the method's full name, the `macaroon` metadata values and the peer's IP. */
export interface CallInfo {
  readonly method: string;
  readonly macaroons: readonly string[];
  readonly peerIp: string | undefined;
}

export const SUBSCRIBE_HTLC_EVENTS = '/routerrpc.Router/SubscribeHtlcEvents';
export const SUBSCRIBE_STATE = '/lnrpc.State/SubscribeState';

/** The unary methods the node serves, by full name. */
export const UNARY_METHODS: Readonly<Record<string, (backend: RpcBackend, req: RpcRequest) => object | RpcFailure>> = {
  '/lnrpc.Lightning/GetInfo': (b) => b.getInfo(),
  '/lnrpc.Lightning/ListChannels': (b, req) => b.listChannels(req),
  '/lnrpc.Lightning/GetNodeInfo': (b, req) => b.getNodeInfo(req),
  '/lnrpc.State/GetState': (b) => ({ state: b.getState() }),
};

export function isFailure(r: object): r is RpcFailure {
  return 'code' in r && 'message' in r;
}

/** `/pkg.Service/Method` → its parts. */
export function splitMethod(method: string): { readonly service: string; readonly name: string } {
  const [, service = '', name = ''] = method.split('/');
  return { service, name };
}

/** One unary call as lnd answers it: lnd's refusal (UNKNOWN), else the answer; `request` is read only once authorized. */
export function answerUnary(backend: RpcBackend, call: CallInfo, request: () => RpcRequest): object | RpcFailure {
  const denied = backend.authorize(call.method, call.macaroons, call.peerIp);
  if (denied !== undefined) return { code: STATUS_UNKNOWN, message: denied };
  const answer = UNARY_METHODS[call.method];
  if (!answer) return { code: STATUS_UNIMPLEMENTED, message: `unknown method ${splitMethod(call.method).name}` };
  return answer(backend, request());
}

/** Opens an HTLC event stream: lnd's refusal, else undefined after handing the stream (made only now) to the node. */
export function openHtlcStream(
  backend: RpcBackend,
  macaroons: readonly string[],
  peerIp: string | undefined,
  sink: () => EventSink,
): RpcFailure | undefined {
  const denied = backend.authorize(SUBSCRIBE_HTLC_EVENTS, macaroons, peerIp);
  if (denied !== undefined) return { code: STATUS_UNKNOWN, message: denied };
  backend.subscribeHtlcEvents(sink());
  return undefined;
}

/** State.SubscribeState: the current state, then each change (no repeats); returns the unsubscribe function. */
export function followState(backend: RpcBackend, write: (state: string) => void): () => void {
  let last = '';
  const push = (state: string) => {
    if (state !== last) write(state);
    last = state;
  };
  push(backend.getState());
  return backend.watchState(push);
}

/** The caller's IP from a peer text (`1.2.3.4:5678`, `[::1]:5678`, `::1:5678`). */
export function peerIp(peer: string): string | undefined {
  const m = /^\[(.+)\]:\d+$/.exec(peer) ?? /^(.+):\d+$/.exec(peer);
  return m ? m[1] : undefined;
}
