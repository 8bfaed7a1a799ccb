/**
 * The REST and WebSocket stream clients against a real TLS server that
 * answers the way lnd's gateway and websocket proxy do (and the ways they
 * fail): events in order, the final status of each ending, the macaroon
 * header, certificate pinning and names.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import https from 'node:https';
import type http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { generateLndCert } from '@htlc-tail/lnd-sim';
import type { HtlcEvent } from '../../../src/events/model.js';
import type { StreamStatus } from '../../../src/transport/status.js';
import type { LndTarget } from '../../../src/transport/target.js';
import { subscribeRest } from '../../../src/transport/rest/http-stream.js';
import { subscribeWs } from '../../../src/transport/rest/ws-stream.js';
import { classifyStatus } from '../../../src/transport/classify.js';

const tlsMaterial = generateLndCert();
const otherCert = generateLndCert();
const MACAROON = Buffer.from('0201036c6e640224030a10', 'hex');

type HttpHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
type WsHandler = (ws: WebSocket, req: http.IncomingMessage) => void;
let onRequest: HttpHandler = (_q, r) => r.end();
let onWs: WsHandler = (ws) => ws.terminate();
/** When set, an upgrade is answered with this HTTP error instead. */
let refuseUpgrade: { status: number; body: string } | undefined;
let server: https.Server;
let port = 0;
const seenHeaders: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = https.createServer({ cert: tlsMaterial.certPem, key: tlsMaterial.keyPem, ALPNProtocols: [] }, (q, r) => {
    seenHeaders.push(q.headers);
    onRequest(q, r);
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    seenHeaders.push(req.headers);
    if (refuseUpgrade) {
      const { status, body } = refuseUpgrade;
      socket.end(
        `HTTP/1.1 ${status} Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onWs(ws, req));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function target(over: Partial<LndTarget> = {}): LndTarget {
  return {
    host: '127.0.0.1',
    port,
    tlsServerName: 'localhost',
    certPem: Buffer.from(tlsMaterial.certPem),
    certSource: '/test/tls.cert',
    macaroon: MACAROON,
    macaroonSource: '/test/readonly.macaroon',
    connectTimeoutMs: 5000,
    ...over,
  };
}

interface Outcome {
  events: HtlcEvent[];
  status: StreamStatus;
}

function run(
  kind: 'rest' | 'ws',
  t: LndTarget = target(),
  onEvent?: (n: number, s: { cancel(): void }) => void,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const events: HtlcEvent[] = [];
    const handlers = {
      onEvent: (e: HtlcEvent) => {
        events.push(e);
        onEvent?.(events.length, s);
      },
      onEnd: (status: StreamStatus) => resolve({ events, status }),
    };
    const s = kind === 'rest' ? subscribeRest(t, handlers) : subscribeWs(t, handlers);
  });
}

const ev = (id: number) =>
  `{"result":{"incoming_channel_id":"${id}","outgoing_channel_id":"0","incoming_htlc_id":"1","outgoing_htlc_id":"0","timestamp_ns":"1714979289123456789","event_type":"RECEIVE","settle_event":{"preimage":""}}}`;
const errLine = (msg: string) => `{"error":{"code":2,"message":"${msg}","details":[]}}`;
const statusBody = (msg: string) => `{"code":2, "message":"${msg}", "details":[]}`;
const ids = (o: Outcome) => o.events.map((e) => e.incomingChannelId);

describe('REST stream', () => {
  test('events in order, then an error line: its status; the macaroon went as hex in Grpc-Metadata-Macaroon', async () => {
    onRequest = (q, r) => {
      expect(q.url).toBe('/v2/router/htlcevents');
      r.writeHead(200, { 'Content-Type': 'application/json' });
      r.write(ev(1) + '\n' + ev(2).slice(0, 30));
      r.write(ev(2).slice(30) + '\n');
      r.end(errLine('htlc event subscription terminated') + '\n');
    };
    const o = await run('rest');
    expect(ids(o)).toEqual(['1', '2']);
    expect(o.status).toEqual({ code: 2, details: 'htlc event subscription terminated' });
    expect(seenHeaders.at(-1)!['grpc-metadata-macaroon']).toBe(MACAROON.toString('hex'));
  });

  test('a normal end of the response is status 0', async () => {
    onRequest = (_q, r) => r.end(ev(1) + '\n' + ev(2) + '\n');
    const o = await run('rest');
    expect(ids(o)).toEqual(['1', '2']);
    expect(o.status.code).toBe(0);
  });

  test('a last line without newline still counts', async () => {
    onRequest = (_q, r) => r.end(ev(1) + '\n' + ev(2));
    expect(ids(await run('rest'))).toEqual(['1', '2']);
  });

  test('a connection cut in the middle of a message: the events before it, then UNAVAILABLE', async () => {
    onRequest = (_q, r) => {
      r.writeHead(200);
      r.write(ev(1) + '\n' + ev(2).slice(0, 40), () => setTimeout(() => r.socket?.destroy(), 20));
    };
    const o = await run('rest');
    expect(ids(o)).toEqual(['1']);
    expect(o.status.code).toBe(14);
  });

  test.each([
    [
      'HTTP 500 with the status body (refused before the stream)',
      500,
      statusBody('wallet locked, unlock it to enable full RPC access'),
      2,
      /wallet locked/,
    ],
    [
      'HTTP 500 with an error line (failed before the first message)',
      500,
      errLine('permission denied') + '\n',
      2,
      /^permission denied$/,
    ],
    ['HTTP 404 page', 404, '<html>not here</html>', 12, /HTTP 404/],
    ['HTTP 503 without body', 503, '', 14, /HTTP 503/],
  ])('%s', async (_name, status, body, code, details) => {
    onRequest = (_q, r) => {
      r.writeHead(status, { 'Content-Type': 'text/plain' });
      r.end(body);
    };
    const o = await run('rest');
    expect(o.events).toEqual([]);
    expect(o.status.code).toBe(code);
    expect(o.status.details).toMatch(details);
  });

  test('a line that is not JSON ends the stream as INTERNAL after the events before it', async () => {
    onRequest = (_q, r) => r.end(ev(1) + '\n<html>\n' + ev(2) + '\n');
    const o = await run('rest');
    expect(ids(o)).toEqual(['1']);
    expect(o.status.code).toBe(13);
  });

  test('cancel: status CANCELLED, no more events', async () => {
    onRequest = (_q, r) => {
      r.writeHead(200);
      r.write(ev(1) + '\n' + ev(2) + '\n');
    };
    const o = await run('rest', target(), (_n, s) => s.cancel());
    expect(ids(o)).toEqual(['1']);
    expect(o.status.code).toBe(1);
  });

  test.each([
    ['a name the certificate lacks', { tlsServerName: 'wrong.example' }, /^TLS: .*name/],
    ["another node's certificate pinned", { certPem: Buffer.from(otherCert.certPem) }, /^TLS: .*tls\.cert/],
  ])('TLS: %s is refused and classified as a TLS failure', async (_name, over, msg) => {
    onRequest = (_q, r) => r.end(ev(1) + '\n');
    const o = await run('rest', target(over));
    expect(o.events).toEqual([]);
    expect(o.status.code).toBe(14);
    const c = classifyStatus(o.status.code, o.status.details, {
      address: 'x',
      certSource: 'c',
      macaroonSource: 'm',
      call: 'SubscribeHtlcEvents',
      permission: 'offchain:read',
    });
    expect(c.error.kind).toBe('connection');
    expect(c.error.message).toMatch(msg);
  });

  test('an IP address that the certificate lists works as the server name', async () => {
    onRequest = (_q, r) => r.end(ev(5) + '\n');
    expect(ids(await run('rest', target({ tlsServerName: '127.0.0.1' })))).toEqual(['5']);
  });
});

describe('WebSocket stream', () => {
  test('one line per frame, then an error frame and a drop (1006): the error is the status', async () => {
    onWs = (ws, req) => {
      expect(req.url).toBe('/v2/router/htlcevents?method=GET');
      ws.send(ev(1));
      ws.send(ev(2));
      ws.send(errLine('htlc event subscription terminated'), () => ws.terminate());
    };
    const o = await run('ws');
    expect(ids(o)).toEqual(['1', '2']);
    expect(o.status).toEqual({ code: 2, details: 'htlc event subscription terminated' });
    expect(seenHeaders.at(-1)!['grpc-metadata-macaroon']).toBe(MACAROON.toString('hex'));
  });

  test('a drop without an error frame (1006) is a lost stream', async () => {
    onWs = (ws) => ws.send(ev(1), () => ws.terminate());
    const o = await run('ws');
    expect(ids(o)).toEqual(['1']);
    expect(o.status.code).toBe(14);
    expect(o.status.details).toMatch(/1006/);
  });

  test('a normal close (1000) is a normal end', async () => {
    onWs = (ws) => ws.send(ev(1), () => ws.close(1000));
    const o = await run('ws');
    expect(ids(o)).toEqual(['1']);
    expect(o.status.code).toBe(0);
  });

  test("lnd's refusal as a status frame", async () => {
    onWs = (ws) =>
      ws.send(statusBody('verification failed: signature mismatch after caveat verification'), () => ws.terminate());
    const o = await run('ws');
    expect(o.events).toEqual([]);
    expect(o.status).toEqual({ code: 2, details: 'verification failed: signature mismatch after caveat verification' });
  });

  test('an upgrade answered with an HTTP error: the status in its body', async () => {
    refuseUpgrade = { status: 500, body: statusBody('wallet locked, unlock it to enable full RPC access') };
    try {
      const o = await run('ws');
      expect(o.events).toEqual([]);
      expect(o.status).toEqual({ code: 2, details: 'wallet locked, unlock it to enable full RPC access' });
    } finally {
      refuseUpgrade = undefined;
    }
  });
});
