/**
 * Test clients for the simulated node: real grpc-js over TLS with the node's
 * certificate pinned as the only root, macaroon in the `macaroon` metadata.
 */
import type * as grpc from '@grpc/grpc-js';
import { decodeHtlcEventWire } from '../../src/codec/wire/decode-htlc-event.js';
import type { HtlcEvent } from '../../src/events/model.js';
import { loadProtos } from '@htlc-tail/lnd-sim/internals';

export interface CallError {
  code: number;
  details: string;
}

export async function metadataFor(macaroon?: Buffer | string | string[]): Promise<grpc.Metadata> {
  const { grpc } = await loadProtos();
  const md = new grpc.Metadata();
  if (macaroon === undefined) return md;
  const values = Array.isArray(macaroon)
    ? macaroon
    : [typeof macaroon === 'string' ? macaroon : macaroon.toString('hex')];
  for (const v of values) md.add('macaroon', v);
  return md;
}

export async function channelCreds(certPem: string): Promise<grpc.ChannelCredentials> {
  const { grpc } = await loadProtos();
  return grpc.credentials.createSsl(Buffer.from(certPem));
}

export interface Clients {
  lightning: any;
  router: any;
  state: any;
  raw: grpc.Client;
  close(): void;
}

export async function connect(target: string, certPem: string, options: grpc.ChannelOptions = {}): Promise<Clients> {
  const { grpc, lnrpc, routerrpc } = await loadProtos();
  const creds = await channelCreds(certPem);
  const lightning = new lnrpc.Lightning(target, creds, options);
  const router = new routerrpc.Router(target, creds, options);
  const state = new lnrpc.State(target, creds, options);
  const raw = new grpc.Client(target, creds, options);
  return {
    lightning,
    router,
    state,
    raw,
    close() {
      for (const c of [lightning, router, state, raw]) c.close();
    },
  };
}

/** A unary call as a promise: resolves with the response, or rejects with {code, details}. */
export function unary<T = any>(client: any, method: string, req: object, md: grpc.Metadata): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method](req, md, { deadline: Date.now() + 5000 }, (err: grpc.ServiceError | null, res: T) =>
      err ? reject(Object.assign(new Error(err.details), { code: err.code, details: err.details })) : resolve(res),
    );
  });
}

export interface StreamResult {
  events: HtlcEvent[];
  status: { code: number; details: string };
}

/**
 * Opens SubscribeHtlcEvents with raw bytes (decoded by the project's wire
 * decoder) and collects until the stream ends, or until `until` says stop
 * (then the call is cancelled).
 */
export function subscribeRaw(
  clients: Clients,
  md: grpc.Metadata,
  until?: (events: HtlcEvent[]) => boolean,
  timeoutMs = 8000,
): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const events: HtlcEvent[] = [];
    const call = clients.raw.makeServerStreamRequest(
      '/routerrpc.Router/SubscribeHtlcEvents',
      (x: Buffer) => x,
      (b: Buffer) => b,
      Buffer.alloc(0),
      md,
    );
    const timer = setTimeout(() => {
      call.cancel();
      reject(new Error(`stream timed out after ${timeoutMs} ms with ${events.length} events`));
    }, timeoutMs);
    call.on('data', (b: Buffer) => {
      events.push(decodeHtlcEventWire(b));
      if (until?.(events)) call.cancel();
    });
    call.on('error', () => {});
    call.on('status', (s: grpc.StatusObject) => {
      clearTimeout(timer);
      resolve({ events, status: { code: s.code, details: s.details } });
    });
  });
}
