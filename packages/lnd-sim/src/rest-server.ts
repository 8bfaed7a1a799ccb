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
import https from 'node:https';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  answerUnary,
  isFailure,
  openHtlcStream,
  STATUS_NOT_FOUND,
  STATUS_UNIMPLEMENTED,
  type RpcBackend,
  type RpcRequest,
} from './backend.js';
import { listenOn } from './listen.js';
import { errorBody, httpStatusFromCode } from './rest-json.js';
import { HttpSink, WsSink, type RestServerOptions } from './rest-sinks.js';
import type { Listener } from './transport.js';

export type { RestServerOptions } from './rest-sinks.js';

export const HTLC_EVENTS_PATH = '/v2/router/htlcevents';
const MACAROON_HEADER = 'grpc-metadata-macaroon';
const PROTOCOL_PREFIX = 'Grpc-Metadata-Macaroon+';

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

function parseQuery(url: URL): RpcRequest {
  const o: RpcRequest = {};
  for (const [k, v] of url.searchParams) o[k] = v === 'true' ? true : v === 'false' ? false : v;
  return o;
}

/** grpc-gateway's routes to the unary methods: the method and its request, or undefined. */
function route(url: URL): { readonly method: string; readonly request: () => RpcRequest } | undefined {
  const path = url.pathname;
  if (path === '/v1/getinfo') return { method: '/lnrpc.Lightning/GetInfo', request: () => ({}) };
  if (path === '/v1/channels') return { method: '/lnrpc.Lightning/ListChannels', request: () => parseQuery(url) };
  if (path === '/v1/state') return { method: '/lnrpc.State/GetState', request: () => ({}) };
  const node = /^\/v1\/graph\/node\/([^/]+)$/.exec(path);
  if (node)
    return {
      method: '/lnrpc.Lightning/GetNodeInfo',
      request: () => ({ ...parseQuery(url), pub_key: decodeURIComponent(node[1]!) }),
    };
  return undefined;
}

/** WebSocket keepalive: ping every `ms`, drop a peer that did not answer the last ping. */
function keepAlive(ws: WebSocket, ms: number): void {
  let alive = true;
  ws.on('pong', () => (alive = true));
  const timer = setInterval(() => {
    if (!alive) {
      ws.terminate();
      return;
    }
    alive = false;
    ws.ping();
  }, ms);
  timer.unref();
  ws.on('close', () => clearInterval(timer));
}

export function createRestListener(
  backend: RpcBackend,
  tls: { certPem: string; keyPem: string },
  opts: RestServerOptions = {},
): Listener {
  // Like lnd's REST listener (a tls.Config without NextProtos): ALPN offers are ignored, not refused.
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem, ALPNProtocols: [] });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const pingMs = opts.pingIntervalMs ?? 30_000;

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://sim');
    if (req.method !== 'GET') return sendError(res, STATUS_UNIMPLEMENTED, 'Method Not Allowed');
    if (url.pathname === HTLC_EVENTS_PATH) {
      const denied = openHtlcStream(backend, macaroonsOf(req, false), peerIpOf(req), () => {
        res.socket?.setNoDelay(true);
        return new HttpSink(res, opts);
      });
      if (denied) sendError(res, denied.code, denied.message);
      return;
    }
    const unary = route(url);
    if (!unary) return sendError(res, STATUS_NOT_FOUND, 'Not Found');
    const r = answerUnary(
      backend,
      { method: unary.method, macaroons: macaroonsOf(req, false), peerIp: peerIpOf(req) },
      unary.request,
    );
    if (isFailure(r)) return sendError(res, r.code, r.message);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(r));
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'https://sim');
    if (url.pathname !== HTLC_EVENTS_PATH) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      keepAlive(ws, pingMs);
      ws.on('error', () => ws.terminate());
      const denied = openHtlcStream(backend, macaroonsOf(req, true), peerIpOf(req), () => new WsSink(ws));
      if (denied) ws.send(errorBody(denied.code, denied.message), () => ws.terminate());
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
