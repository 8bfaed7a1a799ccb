/**
 * The REST and WebSocket face of the simulated node, like lnd's REST port
 * (grpc-gateway behind TLS with the node's certificate):
 *
 * - `GET /v2/router/htlcevents`: a chunked response, one JSON line per
 *   message (`{"result": ...}`), a stream error as one
 *   `{"error": {"code", "message", "details"}}` line; a call refused before
 *   the stream started (wallet locked, bad macaroon) is an HTTP error
 *   (UNKNOWN → 500) whose body is the status `{"code", "message", "details"}`.
 * - The same path upgraded to a WebSocket (lnd's websocket proxy): each line
 *   is one text frame, a refusal is a frame with the status, and the
 *   connection is then dropped without a close frame (the client sees 1006),
 *   as lnd's proxy does at the end of every stream. The server pings every 30 s.
 * - `GET /v1/getinfo`, `/v1/channels`, `/v1/graph/node/{pub_key}` and
 *   `/v1/state`, for alias lookups.
 *
 * The macaroon comes in the `Grpc-Metadata-Macaroon` header (or, on a
 * WebSocket, in `Sec-WebSocket-Protocol: Grpc-Metadata-Macaroon+<hex>`).
 * Authorization and events come from the node's transport-agnostic hooks.
 *
 * Framing can be varied for tests: `splitBytes` cuts every write into HTTP
 * chunks of that many bytes (boundaries anywhere inside a message), `batch`
 * joins the lines written in one turn of the event loop into one chunk
 * (several messages per chunk).
 */
import { listenOn } from './listen.js';
import https from 'node:https';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RpcBackend, RpcFailure } from './grpc-server.js';
import { errorBody, errorLine, httpStatusFromCode, resultLine } from './rest-json.js';
import type { EventSink } from './stream-source.js';
import type { Listener } from './transport.js';
import type { WireHtlcEvent } from './wire-event.js';

export const HTLC_EVENTS_PATH = '/v2/router/htlcevents';
const SUBSCRIBE_METHOD = '/routerrpc.Router/SubscribeHtlcEvents';
const MACAROON_HEADER = 'grpc-metadata-macaroon';
const PROTOCOL_PREFIX = 'Grpc-Metadata-Macaroon+';

export interface RestServerOptions {
  /** Cut every write into HTTP chunks of this many bytes (a list: the sizes in turn, cycling). */
  readonly splitBytes?: number | readonly number[];
  /** Join the lines of one event-loop turn into one write. */
  readonly batch?: boolean;
  /** WebSocket ping interval (default 30 s, as lnd). */
  readonly pingIntervalMs?: number;
}

function macaroonsOf(req: http.IncomingMessage, ws: boolean): string[] {
  const h = req.headers[MACAROON_HEADER];
  if (typeof h === 'string') return [h];
  if (Array.isArray(h)) return h;
  if (ws) {
    const proto = req.headers['sec-websocket-protocol'];
    if (typeof proto === 'string') {
      for (const p of proto.split(',').map((s) => s.trim())) {
        if (p.startsWith(PROTOCOL_PREFIX)) return [p.slice(PROTOCOL_PREFIX.length)];
      }
    }
  }
  return [];
}

function peerIpOf(req: http.IncomingMessage): string | undefined {
  const a = req.socket.remoteAddress;
  return a?.startsWith('::ffff:') ? a.slice(7) : a;
}

function sendError(res: http.ServerResponse, code: number, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(httpStatusFromCode(code), { 'Content-Type': 'application/json' });
  res.end(errorBody(code, message));
}

/** Writes text to the response, with the test framing options. */
class ChunkWriter {
  private pending = '';
  private scheduled = false;
  private sizeIndex = 0;

  constructor(
    private readonly res: http.ServerResponse,
    private readonly opts: RestServerOptions,
  ) {}

  write(text: string): boolean {
    if (this.opts.batch) {
      this.pending += text;
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
      return this.pending.length < 256 * 1024;
    }
    return this.out(text);
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending === '') return;
    const t = this.pending;
    this.pending = '';
    this.out(t);
  }

  private out(text: string): boolean {
    if (this.res.destroyed || this.res.writableEnded) return false;
    const sizes = this.opts.splitBytes === undefined ? [] : typeof this.opts.splitBytes === 'number' ? [this.opts.splitBytes] : this.opts.splitBytes;
    if (sizes.length === 0 || sizes.some((n) => !(n > 0))) return this.res.write(text);
    const buf = Buffer.from(text, 'utf8');
    let ok = true;
    for (let i = 0; i < buf.length; ) {
      const n = sizes[this.sizeIndex++ % sizes.length]!;
      ok = this.res.write(buf.subarray(i, i + n));
      i += n;
    }
    return ok;
  }
}

/** A chunked HTTP response as an EventSink. */
class HttpSink implements EventSink {
  closed = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly out: ChunkWriter;

  constructor(
    private readonly res: http.ServerResponse,
    opts: RestServerOptions,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
    this.out = new ChunkWriter(res, opts);
    res.on('close', () => this.close());
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.resolveDone();
  }

  private head(status: number): void {
    if (!this.res.headersSent) this.res.writeHead(status, { 'Content-Type': 'application/json', 'Grpc-Metadata-Content-Type': 'application/grpc' });
  }

  send(event: WireHtlcEvent): boolean {
    if (this.closed) return false;
    this.head(200);
    return this.out.write(resultLine(event) + '\n');
  }

  waitDrain(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return Promise.race([new Promise<void>((r) => this.res.once('drain', () => r())), this.done]);
  }

  fail(message: string, code = 2): void {
    if (this.closed) return;
    // Before the first message, grpc-gateway sets the HTTP status from the code.
    this.head(httpStatusFromCode(code));
    this.out.write(errorLine(code, message) + '\n');
    this.finish();
  }

  end(): void {
    if (this.closed) return;
    this.head(200);
    this.finish();
  }

  private finish(): void {
    this.out.flush();
    this.res.end();
    this.close();
  }
}

/** A WebSocket as an EventSink, framed like lnd's websocket proxy. */
class WsSink implements EventSink {
  closed = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(private readonly ws: WebSocket) {
    this.done = new Promise((r) => (this.resolveDone = r));
    ws.on('close', () => this.close());
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.resolveDone();
  }

  private frame(text: string): void {
    this.lastWrite = new Promise((r) => this.ws.send(text, () => r()));
  }

  send(event: WireHtlcEvent): boolean {
    if (this.closed) return false;
    this.frame(resultLine(event));
    return this.ws.bufferedAmount < 256 * 1024;
  }

  waitDrain(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return Promise.race([this.lastWrite, this.done]);
  }

  fail(message: string, code = 2): void {
    if (this.closed) return;
    this.frame(errorLine(code, message));
    this.drop();
  }

  end(): void {
    if (this.closed) return;
    this.drop();
  }

  /** lnd's proxy closes the connection without a close frame once the stream is over. */
  private drop(): void {
    this.close();
    void this.lastWrite.then(() => this.ws.terminate());
  }
}

function parseQuery(url: URL): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) o[k] = v === 'true' ? true : v === 'false' ? false : v;
  return o;
}

function isFailure(r: object): r is RpcFailure {
  return 'code' in r && 'message' in r;
}

export function createRestListener(backend: RpcBackend, tls: { certPem: string; keyPem: string }, opts: RestServerOptions = {}): Listener {
  // Like lnd's REST listener (a tls.Config without NextProtos): ALPN offers are ignored, not refused.
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem, ALPNProtocols: [] });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const pingMs = opts.pingIntervalMs ?? 30_000;

  const unary = (method: string, req: http.IncomingMessage, res: http.ServerResponse, fn: () => object | RpcFailure) => {
    const err = backend.authorize(method, macaroonsOf(req, false), peerIpOf(req));
    if (err !== undefined) return sendError(res, 2, err);
    const r = fn();
    if (isFailure(r)) return sendError(res, r.code, r.message);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(r));
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://sim');
    const path = url.pathname;
    if (req.method !== 'GET') return sendError(res, 12, 'Method Not Allowed');
    if (path === HTLC_EVENTS_PATH) {
      const err = backend.authorize(SUBSCRIBE_METHOD, macaroonsOf(req, false), peerIpOf(req));
      if (err !== undefined) return sendError(res, 2, err);
      res.socket?.setNoDelay(true);
      backend.subscribeHtlcEvents(new HttpSink(res, opts));
      return;
    }
    if (path === '/v1/getinfo') return unary('/lnrpc.Lightning/GetInfo', req, res, () => backend.getInfo());
    if (path === '/v1/channels') return unary('/lnrpc.Lightning/ListChannels', req, res, () => backend.listChannels(parseQuery(url)));
    const node = /^\/v1\/graph\/node\/([^/]+)$/.exec(path);
    if (node) {
      return unary('/lnrpc.Lightning/GetNodeInfo', req, res, () => backend.getNodeInfo({ ...parseQuery(url), pub_key: decodeURIComponent(node[1]!) }));
    }
    if (path === '/v1/state') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ state: backend.getState() }));
      return;
    }
    sendError(res, 5, 'Not Found');
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'https://sim');
    if (url.pathname !== HTLC_EVENTS_PATH) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      let alive = true;
      ws.on('pong', () => (alive = true));
      const timer = setInterval(() => {
        if (!alive) {
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();
      }, pingMs);
      timer.unref();
      ws.on('close', () => clearInterval(timer));
      ws.on('error', () => ws.terminate());
      const err = backend.authorize(SUBSCRIBE_METHOD, macaroonsOf(req, true), peerIpOf(req));
      if (err !== undefined) {
        ws.send(errorBody(2, err), () => ws.terminate());
        return;
      }
      backend.subscribeHtlcEvents(new WsSink(ws));
    });
  });

  return {
    listen(host, port) {
      return listenOn(server, host, port);
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
