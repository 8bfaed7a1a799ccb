/**
 * A second gRPC transport for the simulated node, written directly on
 * node:http2 (gRPC's wire protocol: length-prefixed messages, status in
 * trailers). It serves the same methods from the same backend as the grpc-js
 * server, but batches many stream messages into one HTTP/2 write, so a flood
 * benchmark measures the client, not the server (grpc-js spends ~20 µs per
 * message on the server side).
 */
import http2 from 'node:http2';
import {
  answerUnary,
  followState,
  isFailure,
  openHtlcStream,
  peerIp,
  splitMethod,
  STATUS_INTERNAL,
  STATUS_UNIMPLEMENTED,
  STATUS_UNKNOWN,
  SUBSCRIBE_HTLC_EVENTS,
  SUBSCRIBE_STATE,
  UNARY_METHODS,
  type RpcBackend,
  type RpcRequest,
} from './backend.js';
import { encodeHtlcEvent } from './encode-wire.js';
import { listenOn } from './listen.js';
import type { MethodDefinition, ServiceClientConstructor } from '@grpc/grpc-js';
import type { LndProtos } from './protos.js';
import { SinkBase } from './sink-base.js';
import type { WireHtlcEvent } from './wire-event.js';

const FLUSH_BYTES = 64 * 1024;

/** grpc-message is percent-encoded: bytes outside printable ASCII, and '%'. */
export function encodeGrpcMessage(msg: string): string {
  let out = '';
  for (const b of Buffer.from(msg, 'utf8')) {
    out +=
      b >= 0x20 && b <= 0x7e && b !== 0x25
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function frame(msg: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + msg.length);
  out[0] = 0;
  out.writeUInt32BE(msg.length, 1);
  msg.copy(out, 5);
  return out;
}

const RESPONSE_HEADERS = { ':status': 200, 'content-type': 'application/grpc' };

function trailersOnly(stream: http2.ServerHttp2Stream, code: number, message: string): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond(
    { ...RESPONSE_HEADERS, 'grpc-status': String(code), 'grpc-message': encodeGrpcMessage(message) },
    { endStream: true },
  );
}

class H2Sink extends SinkBase {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  private needDrain = false;
  private status = { code: 0, message: '' };

  constructor(private readonly stream: http2.ServerHttp2Stream) {
    super();
    stream.respond(RESPONSE_HEADERS, { waitForTrailers: true });
    stream.on('wantTrailers', () => {
      stream.sendTrailers({
        'grpc-status': String(this.status.code),
        'grpc-message': encodeGrpcMessage(this.status.message),
      });
    });
    stream.on('close', () => this.drop());
    stream.on('aborted', () => this.drop());
    stream.on('error', () => this.drop());
  }

  private drop(): void {
    if (this.markClosed()) this.pending = [];
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.stream.destroyed) return;
    const chunk = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.stream.write(chunk) && !this.needDrain) {
      this.needDrain = true;
      this.stream.once('drain', () => (this.needDrain = false));
    }
  }

  send(event: WireHtlcEvent, encoded?: Buffer): boolean {
    if (this.closed) return false;
    const f = frame(encoded ?? encodeHtlcEvent(event));
    this.pending.push(f);
    this.pendingBytes += f.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return !this.needDrain;
  }

  waitDrain(): Promise<void> {
    return this.needDrain ? this.until(this.stream, 'drain') : Promise.resolve();
  }

  private finish(code: number, message: string): void {
    if (this.closed) return;
    this.flush();
    this.markClosed();
    this.status = { code, message };
    this.stream.end();
  }

  fail(message: string, code = STATUS_UNKNOWN): void {
    this.finish(code, message);
  }

  end(): void {
    this.finish(0, '');
  }
}

function headerValues(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Reads the single request message of a unary or server-streaming call. */
function readRequest(stream: http2.ServerHttp2Stream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.length < 5) return resolve(Buffer.alloc(0));
      if (body[0] !== 0) return reject(new Error('compressed requests are not supported'));
      resolve(body.subarray(5, 5 + body.readUInt32BE(1)));
    });
    stream.on('error', reject);
  });
}

type Handler = (stream: http2.ServerHttp2Stream, req: Buffer, macaroons: string[], ip: string | undefined) => void;

export interface H2Server {
  readonly server: http2.Http2SecureServer;
  readonly sessions: Set<http2.ServerHttp2Session>;
}

function respondOk(stream: http2.ServerHttp2Stream): void {
  stream.respond(RESPONSE_HEADERS, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': '' }));
}

/** The method's definition (serializers) in the loaded protos. */
function methodDef(protos: LndProtos, method: string): MethodDefinition<RpcRequest, object> {
  const { service, name } = splitMethod(method);
  const [pkg = '', svc = ''] = service.split('.');
  const packages: Readonly<Record<string, Readonly<Record<string, ServiceClientConstructor>>>> = {
    lnrpc: protos.lnrpc,
    routerrpc: protos.routerrpc,
  };
  const def = packages[pkg]?.[svc]?.service[name];
  if (!def) throw new Error(`the protos define no ${method}`);
  return def as MethodDefinition<RpcRequest, object>;
}

export function buildH2Server(protos: LndProtos, backend: RpcBackend, certPem: string, keyPem: string): H2Server {
  const handlers: Record<string, Handler> = {};
  for (const method of Object.keys(UNARY_METHODS)) {
    const def = methodDef(protos, method);
    handlers[method] = (stream, req, macaroons, ip) => {
      const res = answerUnary(backend, { method, macaroons, peerIp: ip }, () => def.requestDeserialize(req));
      if (isFailure(res)) return trailersOnly(stream, res.code, res.message);
      respondOk(stream);
      stream.end(frame(def.responseSerialize(res)));
    };
  }
  handlers[SUBSCRIBE_HTLC_EVENTS] = (stream, _req, macaroons, ip) => {
    const denied = openHtlcStream(backend, macaroons, ip, () => new H2Sink(stream));
    if (denied) trailersOnly(stream, denied.code, denied.message);
  };
  const stateDef = methodDef(protos, SUBSCRIBE_STATE);
  handlers[SUBSCRIBE_STATE] = (stream) => {
    respondOk(stream);
    const off = followState(backend, (state) => {
      if (!stream.destroyed) stream.write(frame(stateDef.responseSerialize({ state })));
    });
    stream.on('close', off);
  };

  const server = http2.createSecureServer({ cert: certPem, key: keyPem, allowHTTP1: false });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
    s.on('error', () => {});
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    const path = String(headers[':path'] ?? '');
    const handler = handlers[path];
    if (!String(headers['content-type'] ?? '').startsWith('application/grpc')) {
      stream.respond({ ':status': 415 }, { endStream: true });
      return;
    }
    if (!handler) return trailersOnly(stream, STATUS_UNIMPLEMENTED, `unknown service ${path.split('/')[1] ?? ''}`);
    const ip = peerIp(`${stream.session?.socket.remoteAddress ?? ''}:0`);
    readRequest(stream)
      .then((req) => handler(stream, req, headerValues(headers['macaroon']), ip))
      .catch((err: Error) => trailersOnly(stream, STATUS_INTERNAL, err.message));
  });
  return { server, sessions };
}

/** Listens; resolves with the bound port. */
export function listenH2({ server }: H2Server, host: string, port: number): Promise<number> {
  return listenOn(server, host, port);
}

/** Stops listening and drops every connection (like lnd's process going away). */
export function closeH2({ server, sessions }: H2Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const s of sessions) s.destroy();
    sessions.clear();
  });
}
