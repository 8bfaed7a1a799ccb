/**
 * subscribeHtlcEvents (gRPC over node:http2) against small in-test HTTP/2 TLS
 * servers that answer the way a gRPC server (grpc-go, as lnd) can: framing,
 * statuses in trailers or trailers-only answers, HTTP statuses, resets, lost
 * and frozen connections, backpressure, TLS failures.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import {
  classifyStatus,
  classifyTlsText,
  subscribeContext,
  type ClassifyContext,
} from '../../../src/transport/classify.js';
import { SUBSCRIBE_HTLC_EVENTS, subscribeHtlcEvents } from '../../../src/transport/grpc/htlc-stream.js';
import { keepalivePolicy, type KeepalivePolicy } from '../../../src/transport/grpc/keepalive.js';
import type { StreamStatus } from '../../../src/transport/status.js';
import type { HtlcConnection } from '../../../src/transport/stream.js';
import type { LndTarget } from '../../../src/transport/target.js';
import type { HtlcEvent } from '../../../src/events/model.js';
import { generateLndCert, type TlsMaterial, encodeHtlcEvent, type WireHtlcEvent } from '@htlc-tail/lnd-sim';
import { ROOT } from '../../e2e/run-cli.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const C = http2.constants;
const TERMINATED = 'htlc event subscription terminated';
const MACAROON = Buffer.from('0201036c6e640258030a1005a1b2c3d4e5f60718293a4b5c6d7e8f', 'hex');
const GRPC_OK_HEADERS = { ':status': 200, 'content-type': 'application/grpc' };

const CERT: TlsMaterial = generateLndCert({ host: 'testhost' });

// ---------------------------------------------------------------- events

/** A forward (or, with `failure`, a link_fail carrying that text) numbered i: its htlc ids are i. */
function wire(i: number, failure?: string): WireHtlcEvent {
  return {
    incomingChannelId: (850_000n << 40n) | (12n << 16n) | 1n,
    outgoingChannelId: (850_001n << 40n) | (7n << 16n),
    incomingHtlcId: BigInt(i),
    outgoingHtlcId: BigInt(i),
    timestampNs: 1_700_000_000_000_000_000n + BigInt(i),
    eventType: 3,
    member:
      failure === undefined
        ? {
            kind: 'forward',
            info: {
              incomingTimelock: 800_100,
              outgoingTimelock: 800_060,
              incomingAmtMsat: 10_001n,
              outgoingAmtMsat: 10_000n,
            },
          }
        : { kind: 'link_fail', info: null, wireFailure: 15, failureDetail: 2, failureString: failure },
  };
}

/** A gRPC length-prefixed message. */
function frame(msg: Uint8Array, flag = 0): Buffer {
  const out = Buffer.alloc(5 + msg.length);
  out[0] = flag;
  out.writeUInt32BE(msg.length, 1);
  out.set(msg, 5);
  return out;
}

const framed = (i: number, failure?: string) => frame(encodeHtlcEvent(wire(i, failure)));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const ids = (evs: readonly HtlcEvent[]) => evs.map((e) => Number(e.incomingHtlcId));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) for a condition that must come true; not a timing assertion. */
async function waitFor(cond: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

// ---------------------------------------------------------------- servers and clients

interface TestServer {
  readonly port: number;
  readonly sessions: http2.ServerHttp2Session[];
  readonly streams: http2.ServerHttp2Stream[];
}

type StreamHandler = (
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  session: http2.ServerHttp2Session,
) => void;

const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function listen(server: net.Server | http2.Http2SecureServer | https.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

/** An HTTP/2 TLS server; each request goes to `handler`. Closed after each test. */
async function startServer(handler: StreamHandler, tlsMaterial: TlsMaterial = CERT): Promise<TestServer> {
  const server = http2.createSecureServer({ key: tlsMaterial.keyPem, cert: tlsMaterial.certPem });
  const sessions: http2.ServerHttp2Session[] = [];
  const streams: http2.ServerHttp2Stream[] = [];
  server.on('session', (s) => {
    sessions.push(s);
    s.on('error', () => undefined);
  });
  server.on('stream', (stream, headers) => {
    streams.push(stream);
    stream.on('error', () => undefined);
    handler(stream, headers, stream.session as http2.ServerHttp2Session);
  });
  const port = await listen(server);
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port, sessions, streams };
}

/**
 * A gRPC answer: headers, the messages in `writes` (one DATA write each), then
 * trailers; with `trailers` null the stream stays open. (Always waitForTrailers:
 * so the last DATA frame never carries END_STREAM, and stream.close(code) then
 * sends a bare RST_STREAM, as grpc-go does, instead of ending the stream first.)
 */
async function answer(
  stream: http2.ServerHttp2Stream,
  writes: readonly Buffer[],
  trailers: http2.OutgoingHttpHeaders | null,
  gapMs = 0,
): Promise<void> {
  stream.respond(GRPC_OK_HEADERS, { waitForTrailers: true });
  stream.on('wantTrailers', () => {
    if (trailers) stream.sendTrailers(trailers);
  });
  for (const w of writes) {
    if (stream.destroyed) return;
    stream.write(w);
    if (gapMs > 0) await sleep(gapMs);
  }
  if (trailers) stream.end();
}

function targetFor(port: number, over: Partial<LndTarget> = {}): LndTarget {
  return {
    host: '127.0.0.1',
    port,
    tlsServerName: '127.0.0.1',
    certPem: Buffer.from(CERT.certPem),
    certSource: 'test tls.cert',
    macaroon: MACAROON,
    macaroonSource: 'test readonly.macaroon',
    connectTimeoutMs: 5_000,
    ...over,
  };
}

interface Run {
  readonly events: HtlcEvent[];
  /** Signs of life reported (onAlive). */
  readonly alive: () => number;
  /** Everything the handlers saw, in order: 'headers', 'event <id>', 'end <code>'. */
  readonly log: string[];
  readonly ends: StreamStatus[];
  readonly ended: Promise<StreamStatus>;
  readonly conn: HtlcConnection;
}

/** Subscribes; `onEvent` runs inside the handler after the event is recorded. The connection is closed after the test. */
function subscribe(
  target: LndTarget,
  onEvent?: (ev: HtlcEvent, run: Run) => void,
  policy?: KeepalivePolicy,
  clock?: FakeClock,
): Run {
  const events: HtlcEvent[] = [];
  const log: string[] = [];
  const ends: StreamStatus[] = [];
  let alive = 0;
  let resolveEnd!: (s: StreamStatus) => void;
  const ended = new Promise<StreamStatus>((resolve) => (resolveEnd = resolve));
  const run: { -readonly [K in keyof Run]: Run[K] } = {
    events,
    alive: () => alive,
    log,
    ends,
    ended,
    conn: undefined as unknown as HtlcConnection,
  };
  run.conn = subscribeHtlcEvents(
    target,
    {
      onHeaders: () => log.push('headers'),
      onAlive: () => alive++,
      onEvent: (ev) => {
        events.push(ev);
        log.push(`event ${ev.incomingHtlcId}`);
        onEvent?.(ev, run);
      },
      onEnd: (s) => {
        ends.push(s);
        log.push(`end ${s.code}`);
        resolveEnd(s);
      },
    },
    policy,
    clock,
  );
  cleanups.push(() => run.conn.close());
  return run;
}

/**
 * A TCP relay in front of a server: `freeze()` drops everything both ways from
 * then on (a half-open path); `cut()` resets both TCP connections.
 */
async function startRelay(toPort: number): Promise<{ port: number; freeze(): void; cut(): void }> {
  let frozen = false;
  const sockets: net.Socket[] = [];
  const relay = net.createServer((down) => {
    const up = net.connect(toPort, '127.0.0.1');
    sockets.push(down, up);
    down.on('data', (d) => void (frozen || up.write(d)));
    up.on('data', (d) => void (frozen || down.write(d)));
    for (const [a, b] of [
      [down, up],
      [up, down],
    ] as const) {
      a.on('error', () => undefined);
      a.on('close', () => b.destroy());
    }
  });
  const port = await listen(relay);
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        relay.close(() => resolve());
      }),
  );
  return {
    port,
    freeze: () => (frozen = true),
    cut: () => {
      for (const s of sockets) s.resetAndDestroy();
    },
  };
}

function ctxFor(target: LndTarget): ClassifyContext {
  return { ...subscribeContext(target), serverName: target.tlsServerName };
}

// ---------------------------------------------------------------- tests

describe('request', () => {
  test.each([
    { name: 'with a macaroon', macaroon: MACAROON },
    { name: 'without a macaroon (no-macaroons)', macaroon: null },
  ])('headers and body $name', async ({ macaroon }) => {
    let seen: http2.IncomingHttpHeaders | undefined;
    const body: Buffer[] = [];
    let bodyDone = false;
    const srv = await startServer((stream, headers) => {
      seen = headers;
      stream.on('data', (d: Buffer) => body.push(d));
      stream.on('end', () => {
        bodyDone = true;
        stream.respond({ ...GRPC_OK_HEADERS, 'grpc-status': '0' }, { endStream: true });
      });
    });
    const r = subscribe(targetFor(srv.port, { macaroon }));
    expect(await r.ended).toEqual({ code: 0, details: '' });
    expect(bodyDone).toBe(true);
    expect(seen).toMatchObject({
      ':method': 'POST',
      ':scheme': 'https',
      ':path': '/routerrpc.Router/SubscribeHtlcEvents',
      ':authority': `127.0.0.1:${srv.port}`,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    expect(SUBSCRIBE_HTLC_EVENTS).toBe(seen![':path']);
    if (macaroon) expect(seen!['macaroon']).toBe(MACAROON.toString('hex'));
    else expect(seen).not.toHaveProperty('macaroon');
    // An empty SubscribeHtlcEventsRequest: not compressed, length 0.
    expect(Buffer.concat(body)).toEqual(Buffer.alloc(5));
  });
});

describe('a normal stream', () => {
  test('events in one DATA write, one split across writes (inside its header too), then grpc-status 0', async () => {
    const f3 = framed(3);
    const f4 = framed(4, 'x'.repeat(300));
    const writes = [
      Buffer.concat([framed(0), framed(1), framed(2)]),
      f3.subarray(0, 2),
      f3.subarray(2, 9),
      Buffer.concat([f3.subarray(9), f4.subarray(0, 100)]),
      f4.subarray(100),
      framed(5),
    ];
    const srv = await startServer((stream) => void answer(stream, writes, { 'grpc-status': '0' }, 10));
    const r = subscribe(targetFor(srv.port));
    expect(await r.ended).toEqual({ code: 0, details: '' });
    expect(r.log).toEqual(['headers', ...range(0, 6).map((i) => `event ${i}`), 'end 0']);
    expect(r.events[0]).toMatchObject({
      event: 'forward',
      eventType: 3,
      incomingChannelId: String((850_000n << 40n) | (12n << 16n) | 1n),
      outgoingChannelId: String((850_001n << 40n) | (7n << 16n)),
      timestampNs: '1700000000000000000',
      info: { incomingAmtMsat: '10001', outgoingAmtMsat: '10000' },
    });
    expect(r.events[4]).toMatchObject({
      event: 'link_fail',
      failureString: 'x'.repeat(300),
      wireFailure: 15,
      failureDetail: 2,
    });
  });

  test('the stream ends without trailers: the events, then a non-OK status', async () => {
    const srv = await startServer((stream) => {
      stream.respond(GRPC_OK_HEADERS);
      stream.end(Buffer.concat([framed(0), framed(1)]));
    });
    const r = subscribe(targetFor(srv.port));
    const s = await r.ended;
    expect(ids(r.events)).toEqual([0, 1]);
    expect(s.code).not.toBe(0);
    expect(r.ends).toHaveLength(1);
  });
});

describe('statuses', () => {
  test.each([
    { name: 'lnd ending the subscription', sent: TERMINATED, code: 2, details: TERMINATED },
    {
      name: 'percent-encoded non-ASCII and %',
      sent: 'caf%C3%A9 %E2%9C%93 100%25 done',
      code: 2,
      details: 'café ✓ 100% done',
    },
    { name: 'a malformed escape (shown as sent)', sent: 'bad %ZZ escape', code: 14, details: 'bad %ZZ escape' },
    { name: 'no grpc-message', sent: undefined, code: 7, details: '' },
  ])('error status in the trailers: $name', async ({ sent, code, details }) => {
    const trailers: http2.OutgoingHttpHeaders = { 'grpc-status': String(code) };
    if (sent !== undefined) trailers['grpc-message'] = sent;
    const srv = await startServer((stream) => void answer(stream, [framed(0), framed(1)], trailers));
    const target = targetFor(srv.port);
    const r = subscribe(target);
    expect(await r.ended).toEqual({ code, details });
    expect(r.log).toEqual(['headers', 'event 0', 'event 1', `end ${code}`]);
    if (sent === TERMINATED) expect(classifyStatus(code, details, ctxFor(target)).error.kind).toBe('stream-ended');
  });

  test.each([
    {
      name: 'a rejected macaroon',
      code: 2,
      message: 'verification failed: signature mismatch after caveat verification',
      classified: /rejected the macaroon/,
    },
    {
      name: 'an unknown service (grpc-go)',
      code: 12,
      message: 'unknown service routerrpc.Router',
      classified: /does not serve SubscribeHtlcEvents/,
    },
  ])('trailers-only answer: $name', async ({ code, message, classified }) => {
    const srv = await startServer((stream) => {
      stream.respond({ ...GRPC_OK_HEADERS, 'grpc-status': String(code), 'grpc-message': message }, { endStream: true });
    });
    const target = targetFor(srv.port);
    const r = subscribe(target);
    expect(await r.ended).toEqual({ code, details: message });
    expect(r.events).toEqual([]);
    expect(r.log).toEqual([`end ${code}`]);
    expect(classifyStatus(code, message, ctxFor(target)).error.message).toMatch(classified);
  });

  test('burst then an error status: every event before the status, on 21 fresh connections', async () => {
    const N = 500;
    const frames = range(0, N).map((i) => framed(i));
    let round = 0;
    const srv = await startServer((stream, _h, session) => {
      const mode = round++ % 3;
      const trailers = { 'grpc-status': '2', 'grpc-message': TERMINATED };
      if (mode === 0)
        void answer(stream, frames, trailers); // one DATA write per message
      else if (mode === 1)
        void answer(stream, [Buffer.concat(frames)], trailers); // all at once
      else {
        // As lnd shutting down: the status, and the connection goes away right after it.
        void answer(stream, [Buffer.concat(frames.slice(0, 250)), Buffer.concat(frames.slice(250))], trailers);
        stream.on('close', () => session.close());
      }
    });
    for (let i = 0; i < 21; i++) {
      const r = subscribe(targetFor(srv.port));
      const s = await r.ended;
      expect({ round: i, count: r.events.length, status: s }).toEqual({
        round: i,
        count: N,
        status: { code: 2, details: TERMINATED },
      });
      expect(ids(r.events)).toEqual(range(0, N));
      expect(r.log.at(-1)).toBe('end 2');
      r.conn.close();
    }
  });
});

describe('backpressure', () => {
  test('pause in onEvent: no event and no end while paused; after resume every event, then the end', async () => {
    const N = 300;
    let serverDone = false;
    const srv = await startServer((stream) => {
      stream.on('close', () => (serverDone = true));
      void answer(
        stream,
        [Buffer.concat(range(0, 100).map((i) => framed(i))), ...range(100, N).map((i) => framed(i))],
        { 'grpc-status': '2', 'grpc-message': TERMINATED },
      );
    });
    const r = subscribe(targetFor(srv.port), (ev, run) => {
      if (ev.incomingHtlcId === '0') run.conn.stream.pause();
    });
    await waitFor(() => serverDone, 'the server to send everything');
    await sleep(200); // let the client take in what is in flight
    expect(r.events.length).toBeGreaterThanOrEqual(1);
    expect(r.events.length).toBeLessThanOrEqual(2);
    expect(r.ends).toEqual([]);
    const whilePaused = r.events.length;
    r.conn.stream.pause(); // twice is harmless
    await sleep(20);
    expect(r.events.length).toBe(whilePaused);
    r.conn.stream.resume();
    expect(await r.ended).toEqual({ code: 2, details: TERMINATED });
    expect(ids(r.events)).toEqual(range(0, N));
    expect(r.log.at(-1)).toBe('end 2');
    expect(r.ends).toHaveLength(1);
  });

  test.each([
    { name: 'grpc-status in trailers', how: 'trailers', code: 2 },
    { name: 'RST_STREAM REFUSED_STREAM', how: 'rst', code: 14 },
    { name: 'the server destroying the session', how: 'destroy', code: 14 },
  ])('paused when the stream ends ($name): every event received before it, then the status', async ({ how, code }) => {
    const N = 200;
    let serverSent = false;
    const srv = await startServer((stream, _h, session) => {
      stream.respond(GRPC_OK_HEADERS, { waitForTrailers: true });
      stream.on('wantTrailers', () => {
        if (how === 'trailers') stream.sendTrailers({ 'grpc-status': '2', 'grpc-message': TERMINATED });
      });
      stream.write(Buffer.concat(range(0, 100).map((i) => framed(i))));
      for (const i of range(100, N)) stream.write(framed(i));
      // Once everything is out of the server (well inside the window), end the way asked.
      stream.write(Buffer.alloc(0), () => {
        serverSent = true;
        if (how === 'trailers') stream.end();
        else if (how === 'rst') setTimeout(() => stream.close(C.NGHTTP2_REFUSED_STREAM), 50);
        else setTimeout(() => session.destroy(), 50);
      });
    });
    const r = subscribe(targetFor(srv.port), (ev, run) => {
      if (ev.incomingHtlcId === '0') run.conn.stream.pause();
    });
    await waitFor(() => serverSent, 'the server to send everything');
    await sleep(250); // the end arrives while paused
    expect(r.ends).toEqual([]);
    expect(r.events.length).toBeLessThanOrEqual(2);
    r.conn.stream.resume();
    const s = await r.ended;
    expect(s.code).toBe(code);
    expect(ids(r.events)).toEqual(range(0, N));
    expect(r.log.at(-1)).toBe(`end ${code}`);
  });

  test('paused, lnd cannot send beyond the flow-control window; resumed, everything arrives', async () => {
    // 400 messages of ~16 KiB: 6.4 MiB, far more than the 1 MiB window.
    const N = 400;
    const big = 'y'.repeat(16 * 1024);
    let serverDone = false;
    const srv = await startServer((stream) => {
      stream.on('wantTrailers', () => (serverDone = true));
      void answer(
        stream,
        range(0, N).map((i) => framed(i, big)),
        { 'grpc-status': '0' },
      );
    });
    const r = subscribe(targetFor(srv.port), (ev, run) => {
      if (ev.incomingHtlcId === '0') run.conn.stream.pause();
    });
    await waitFor(() => r.events.length > 0, 'the first event');
    await sleep(500);
    expect(serverDone).toBe(false);
    expect(r.events.length).toBeLessThanOrEqual(2);
    r.conn.stream.resume();
    expect(await r.ended).toEqual({ code: 0, details: '' });
    expect(serverDone).toBe(true);
    expect(ids(r.events)).toEqual(range(0, N));
  });

  test('10,000 messages held at once are delivered over several macrotasks, in order, then the status', async () => {
    // 10,000 small messages (~0.7 MB, inside the 1 MiB window) reach the client while it is paused;
    // resumed, it holds them all at once (Node buffered them): one synchronous run would keep
    // timers, scrapes and signals waiting for it. A setImmediate queued at the resume must run
    // between the first and the last of them.
    const N = 10_000;
    let serverSent = false;
    const srv = await startServer((stream) => {
      stream.respond(GRPC_OK_HEADERS, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.write(Buffer.concat(range(0, N).map((i) => framed(i))), () => {
        serverSent = true;
        stream.end();
      });
    });
    const r = subscribe(targetFor(srv.port), (ev, run) => {
      if (ev.incomingHtlcId === '0') run.conn.stream.pause();
    });
    await waitFor(() => serverSent, 'the server to send everything');
    await sleep(250); // everything, and the trailers, arrive while paused
    expect(r.ends).toEqual([]);
    r.conn.stream.resume();
    setImmediate(() => r.log.push('immediate'));
    expect(await r.ended).toEqual({ code: 0, details: '' });
    expect(ids(r.events)).toEqual(range(0, N));
    const at = r.log.indexOf('immediate');
    expect(at).toBeGreaterThan(r.log.indexOf('event 1'));
    expect(at).toBeLessThan(r.log.indexOf(`event ${N - 1}`));
    expect(r.log.at(-1)).toBe('end 0');
  });

  test('pause and resume from outside the handlers, repeatedly, lose and reorder nothing', async () => {
    const N = 2000;
    const srv = await startServer(
      (stream) =>
        void answer(
          stream,
          range(0, N / 50).map((k) => Buffer.concat(range(k * 50, k * 50 + 50).map((i) => framed(i)))),
          { 'grpc-status': '0' },
          1,
        ),
    );
    const r = subscribe(targetFor(srv.port));
    let paused = false;
    const toggler = setInterval(() => {
      paused = !paused;
      if (paused) r.conn.stream.pause();
      else r.conn.stream.resume();
    }, 3);
    try {
      await waitFor(() => r.ends.length > 0 || (paused && r.events.length === N), 'the stream to finish', 20_000);
    } finally {
      clearInterval(toggler);
    }
    r.conn.stream.resume();
    expect(await r.ended).toEqual({ code: 0, details: '' });
    expect(ids(r.events)).toEqual(range(0, N));
  });
});

describe('HTTP statuses', () => {
  test.each([
    {
      name: '404 without grpc-status',
      headers: { ':status': 404, 'content-type': 'text/plain' },
      code: 12,
      details: /404/,
    },
    { name: '503 without grpc-status', headers: { ':status': 503 }, code: 14, details: /503/ },
    { name: '401 without grpc-status', headers: { ':status': 401 }, code: 16, details: /401/ },
    {
      name: '200 with content-type text/html',
      headers: { ':status': 200, 'content-type': 'text/html' },
      code: 2,
      details: /content-type "text\/html"/,
    },
    { name: '200 without content-type', headers: { ':status': 200 }, code: 2, details: /content-type/ },
  ])('$name', async ({ headers, code, details }) => {
    const srv = await startServer((stream) => {
      stream.respond(headers);
      stream.end('<html>not gRPC</html>');
    });
    const r = subscribe(targetFor(srv.port));
    const s = await r.ended;
    expect(s.code).toBe(code);
    expect(s.details).toMatch(details);
    expect(r.events).toEqual([]);
    expect(r.log).toEqual([`end ${code}`]);
  });
});

describe('resets and lost connections', () => {
  test.each([
    { name: 'REFUSED_STREAM', rst: C.NGHTTP2_REFUSED_STREAM, code: 14 },
    { name: 'CANCEL', rst: C.NGHTTP2_CANCEL, code: 1 },
    { name: 'ENHANCE_YOUR_CALM', rst: C.NGHTTP2_ENHANCE_YOUR_CALM, code: 8 },
    { name: 'INTERNAL_ERROR', rst: C.NGHTTP2_INTERNAL_ERROR, code: 13 },
  ])('RST_STREAM $name after 3 events → code $code, after the events', async ({ rst, code }) => {
    let go!: () => void;
    const ready = new Promise<void>((resolve) => (go = resolve));
    const srv = await startServer((stream) => {
      void answer(stream, [framed(0), framed(1), framed(2)], null);
      void ready.then(() => stream.close(rst));
    });
    const r = subscribe(targetFor(srv.port), (ev) => {
      if (ev.incomingHtlcId === '2') go();
    });
    const s = await r.ended;
    expect(s.code).toBe(code);
    expect(r.log).toEqual(['headers', 'event 0', 'event 1', 'event 2', `end ${code}`]);
  });

  test('RST_STREAM REFUSED_STREAM before any answer → 14', async () => {
    const srv = await startServer((stream) => stream.close(C.NGHTTP2_REFUSED_STREAM));
    const r = subscribe(targetFor(srv.port));
    expect((await r.ended).code).toBe(14);
    expect(r.log).toEqual(['end 14']);
  });

  test.each([
    { name: 'the server destroying the session', cut: (s: http2.ServerHttp2Session) => s.destroy() },
    {
      name: 'the server sending GOAWAY (INTERNAL_ERROR) and closing',
      cut: (s: http2.ServerHttp2Session) => s.goaway(C.NGHTTP2_INTERNAL_ERROR),
    },
    { name: 'the TCP connection reset', cut: null },
  ])('$name mid-stream → 14 (UNAVAILABLE), after the events already sent', async ({ cut }) => {
    let go!: () => void;
    const ready = new Promise<void>((resolve) => (go = resolve));
    const srv = await startServer((stream, _h, session) => {
      void answer(stream, [framed(0), framed(1), framed(2)], null);
      void ready.then(() => {
        if (cut === null) return relay.cut();
        cut(session);
        setTimeout(() => session.destroy(), 20);
      });
    });
    const relay = await startRelay(srv.port);
    const target = targetFor(srv.port);
    const r = subscribe(cut === null ? targetFor(relay.port) : target, (ev) => {
      if (ev.incomingHtlcId === '2') go();
    });
    const s = await r.ended;
    expect(s).toMatchObject({ code: 14 });
    expect(r.log).toEqual(['headers', 'event 0', 'event 1', 'event 2', 'end 14']);
    // Classified as a lost connection to retry, not as a TLS problem.
    const cls = classifyStatus(s.code, s.details, ctxFor(target));
    expect(cls.error.kind).toBe('connection');
    expect(cls.streamLost).toBe(true);
  });

  test('GOAWAY ENHANCE_YOUR_CALM "too_many_pings" (grpc-go before lnd 0.17) → 14, named, classified as the ping policy', async () => {
    let go!: () => void;
    const ready = new Promise<void>((resolve) => (go = resolve));
    const srv = await startServer((stream, _h, session) => {
      void answer(stream, [framed(0)], null);
      void ready.then(() => {
        session.goaway(C.NGHTTP2_ENHANCE_YOUR_CALM, 0, Buffer.from('too_many_pings'));
        setTimeout(() => session.destroy(), 20);
      });
    });
    const target = targetFor(srv.port);
    const policy = keepalivePolicy();
    const before = policy.timeMs;
    const r = subscribe(target, () => go(), policy);
    const s = await r.ended;
    expect(s.code).toBe(14);
    expect(s.details).toMatch(/GOAWAY 11 \(too_many_pings\)/);
    // The run's keepalive policy now pings less often than grpc-go's default 5-minute minimum.
    expect(before).toBeLessThan(300_000);
    expect(policy.timeMs).toBeGreaterThan(300_000);
    expect(r.log).toEqual(['headers', 'event 0', 'end 14']);
    const cls = classifyStatus(s.code, s.details, ctxFor(target));
    expect(cls.error.message).toMatch(/keepalive pings .*before 0\.17/);
    expect(cls.streamLost).toBe(true);
  });

  test('a server that accepts TCP but never completes the TLS handshake → 14 after connectTimeoutMs', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((sock) => void sockets.push(sock));
    const port = await listen(silent);
    cleanups.push(
      () => new Promise<void>((resolve) => (sockets.forEach((x) => x.destroy()), silent.close(() => resolve()))),
    );
    const r = subscribe(targetFor(port, { connectTimeoutMs: 1_000 }));
    const s = await Promise.race([r.ended, sleep(8_000).then(() => undefined)]);
    expect(s).toMatchObject({ code: 14 });
    expect(r.log).toEqual(['end 14']);
  });

  test('nothing listening → 14, classified as connection refused', async () => {
    const srv = net.createServer();
    const port = await listen(srv);
    await new Promise((resolve) => srv.close(resolve));
    const target = targetFor(port);
    const r = subscribe(target);
    const s = await r.ended;
    expect(s).toMatchObject({ code: 14 });
    expect(classifyStatus(s.code, s.details, ctxFor(target)).error.message).toMatch(/connection refused/);
  });
});

describe('bad messages', () => {
  test.each([
    { name: 'a compressed-flag message', bad: frame(Buffer.from('gzipped?'), 1), details: /compressed/ },
    {
      name: 'an undecodable protobuf message (truncated varint)',
      bad: frame(Buffer.from([0x08, 0xff, 0xff])),
      details: /cannot be decoded/,
    },
    {
      name: 'a message longer than 64 MiB (header only)',
      bad: Buffer.from([0, 0x7f, 0xff, 0xff, 0xff]),
      details: /more than/,
    },
  ])('$name → 13 after the events before it; the stream is reset', async ({ bad, details }) => {
    let serverClosed: number | undefined;
    const srv = await startServer((stream) => {
      stream.on('close', () => (serverClosed = stream.rstCode));
      // The stream stays open after the bad message: the client must end it.
      void answer(stream, [Buffer.concat([framed(0), framed(1), bad, framed(3)])], null);
    });
    const r = subscribe(targetFor(srv.port));
    const s = await r.ended;
    expect(s.code).toBe(13);
    expect(s.details).toMatch(details);
    expect(r.log).toEqual(['headers', 'event 0', 'event 1', 'end 13']);
    await waitFor(() => serverClosed !== undefined, 'the server to see the stream end');
    expect(serverClosed).toBe(C.NGHTTP2_CANCEL);
  });

  test('a message cut short by an OK status is not a clean end', async () => {
    const f1 = framed(1);
    const srv = await startServer(
      (stream) => void answer(stream, [framed(0), f1.subarray(0, f1.length - 3)], { 'grpc-status': '0' }),
    );
    const r = subscribe(targetFor(srv.port));
    const s = await r.ended;
    expect(ids(r.events)).toEqual([0]);
    expect(s.code).toBe(13);
  });
});

describe('cancel and close', () => {
  test.each([
    { name: 'inside onEvent', later: false },
    { name: 'after onEvent returned', later: true },
  ])('cancel() $name → onEnd code 1 once, no more events, the server sees the reset', async ({ later }) => {
    let serverRst: number | undefined;
    const srv = await startServer((stream) => {
      stream.on('close', () => (serverRst = stream.rstCode));
      stream.respond(GRPC_OK_HEADERS);
      let i = 0;
      const t = setInterval(() => {
        if (stream.destroyed || stream.closed) return clearInterval(t);
        stream.write(Buffer.concat(range(i, i + 20).map((k) => framed(k))));
        i += 20;
      }, 2);
      stream.on('close', () => clearInterval(t));
    });
    let seenAtCancel = -1;
    const r = subscribe(targetFor(srv.port), (ev, run) => {
      if (ev.incomingHtlcId !== '30') return;
      const cancel = () => {
        seenAtCancel = run.events.length;
        run.conn.stream.cancel();
      };
      if (later) setImmediate(cancel);
      else cancel();
    });
    expect(await r.ended).toEqual({ code: 1, details: 'Cancelled on client' });
    await waitFor(() => serverRst !== undefined, 'the server to see the reset');
    expect(serverRst).toBe(C.NGHTTP2_CANCEL);
    await sleep(50);
    r.conn.stream.cancel(); // again: nothing more
    r.conn.stream.resume();
    expect(r.events.length).toBe(seenAtCancel);
    expect(ids(r.events)).toEqual(range(0, seenAtCancel));
    expect(r.ends).toHaveLength(1);
  });

  test('close() after the end releases the connection', async () => {
    let sessionClosed = false;
    const srv = await startServer((stream, _h, session) => {
      session.on('close', () => (sessionClosed = true));
      void answer(stream, [framed(0)], { 'grpc-status': '0' });
    });
    const r = subscribe(targetFor(srv.port));
    expect(await r.ended).toEqual({ code: 0, details: '' });
    await sleep(50);
    expect(sessionClosed).toBe(false); // the connection outlives the stream until close()
    r.conn.close();
    await waitFor(() => sessionClosed, 'the server to see the connection close');
    expect(srv.sessions.every((s) => s.closed || s.destroyed)).toBe(true);
    expect(r.ends).toHaveLength(1);
  });
});

describe('keepalive', () => {
  test('a frozen connection ends UNAVAILABLE after the keepalive timeout; a quiet live one survives the pings', async () => {
    // The keepalive policy and the clock are injected: ping after 5 s quiet, 2 s to answer, on a clock the test moves.
    const clock = new FakeClock();
    const policy = { timeMs: 5_000, timeoutMs: 2_000 };
    // One event, then silence; the stream stays open.
    const oneEvent: StreamHandler = (stream) => void answer(stream, [framed(0)], null);
    const frozenSrv = await startServer(oneEvent);
    const relay = await startRelay(frozenSrv.port);
    const quietSrv = await startServer(oneEvent);
    let quietPings = 0;
    const frozen = subscribe(targetFor(relay.port), () => relay.freeze(), policy, clock);
    const quiet = subscribe(targetFor(quietSrv.port), undefined, policy, clock);
    await waitFor(
      () => quietSrv.sessions.length === 1 && frozen.events.length === 1 && quiet.events.length === 1,
      'both first events',
    );
    quietSrv.sessions[0]!.on('ping', () => quietPings++);

    // 5 s of silence on both: each sends its ping (same settings, same start).
    await clock.advance(4_999);
    expect(quietPings).toBe(0);
    const aliveBefore = quiet.alive();
    await clock.advance(1);
    await waitFor(() => quietPings > 0, 'a keepalive ping on the quiet connection');
    await waitFor(() => quiet.alive() > aliveBefore, "the answer to the quiet connection's ping");
    // 2.5 s more: the frozen one got no answer within 2 s; the quiet one was answered and outlives it.
    await clock.advance(2_500);
    const s = await frozen.ended;
    expect(s.code).toBe(14);
    expect(s.details).toMatch(/keepalive/);
    expect(frozen.log).toEqual(['headers', 'event 0', 'end 14']);
    expect(quiet.ends).toEqual([]);
    expect(quiet.log).toEqual(['headers', 'event 0']);
  });
});

describe('TLS', () => {
  const OTHER = generateLndCert({ host: 'othernode' });
  const NO_IP = generateLndCert({ host: 'elsewhere.example', dnsNames: ['elsewhere.example'], ipAddresses: [] });

  test.each([
    {
      name: 'the cert does not list the IP',
      server: NO_IP,
      pinned: NO_IP,
      serverName: '127.0.0.1',
      message: /does not list 127\.0\.0\.1/,
    },
    {
      name: 'the cert does not list the host name',
      server: NO_IP,
      pinned: NO_IP,
      serverName: 'localhost',
      message: /does not list localhost/,
    },
    {
      name: 'the cert is not the pinned one (IP name)',
      server: OTHER,
      pinned: CERT,
      serverName: '127.0.0.1',
      message: /does not verify/,
    },
    {
      name: 'the cert is not the pinned one (host name)',
      server: OTHER,
      pinned: CERT,
      serverName: 'localhost',
      message: /does not verify/,
    },
  ])('$name → 14, classified as the TLS problem it is', async ({ server, pinned, serverName, message }) => {
    let streams = 0;
    const srv = await startServer(() => streams++, server);
    const target = targetFor(srv.port, { tlsServerName: serverName, certPem: Buffer.from(pinned.certPem) });
    const r = subscribe(target);
    const s = await r.ended;
    expect(s).toMatchObject({ code: 14 });
    const ctx = ctxFor(target);
    const tlsMessage = classifyTlsText(s.details, ctx);
    expect(tlsMessage).toMatch(/^TLS: /);
    expect(tlsMessage).toMatch(message);
    const cls = classifyStatus(s.code, s.details, ctx);
    expect(cls.error.message).toBe(tlsMessage);
    expect(cls.error.kind).toBe('connection');
    expect(r.log).toEqual(['end 14']);
    expect(streams).toBe(0);
  });

  test('a localhost name is verified and sent as SNI', async () => {
    let sni: string | undefined;
    const srv = await startServer((stream, _h, session) => {
      sni = (session.socket as unknown as { servername?: string }).servername;
      void answer(stream, [framed(0)], { 'grpc-status': '0' });
    });
    const r = subscribe(targetFor(srv.port, { tlsServerName: 'localhost' }));
    expect(await r.ended).toEqual({ code: 0, details: '' });
    expect(ids(r.events)).toEqual([0]);
    expect(sni).toBe('localhost');
  });

  test('an HTTPS server without HTTP/2 (a REST port) → 14', async () => {
    const srv = https.createServer({ key: CERT.keyPem, cert: CERT.certPem }, (_req, res) => res.end('{}'));
    const port = await listen(srv);
    cleanups.push(() => new Promise<void>((resolve) => (srv.closeAllConnections(), srv.close(() => resolve()))));
    const r = subscribe(targetFor(port));
    const s = await r.ended;
    expect(s.code).toBe(14);
    expect(r.events).toEqual([]);
  });

  test('an IP server name prints no DEP0123 warning (a control without the fix does)', async () => {
    const srv = await startServer((stream) => void answer(stream, [framed(0)], { 'grpc-status': '0' }));
    const env = {
      ...process.env,
      PORT: String(srv.port),
      CERT_PEM: CERT.certPem,
    };
    const run = (script: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env, cwd: ROOT });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const subscribeScript = `
      import { subscribeHtlcEvents } from ${JSON.stringify(`${ROOT}dist/transport/grpc/htlc-stream.js`)};
      const target = { host: '127.0.0.1', port: Number(process.env.PORT), tlsServerName: '127.0.0.1', certPem: Buffer.from(process.env.CERT_PEM),
        certSource: 'c', macaroon: Buffer.from('0201', 'hex'), macaroonSource: 'm', connectTimeoutMs: 5000 };
      let events = 0;
      const conn = subscribeHtlcEvents(target, { onEvent: () => events++, onEnd: (s) => { console.log(JSON.stringify({ events, code: s.code })); conn.close(); } });
    `;
    const controlScript = `
      import tls from 'node:tls';
      const s = tls.connect({ host: '127.0.0.1', port: Number(process.env.PORT), servername: '127.0.0.1', ca: process.env.CERT_PEM, ALPNProtocols: ['h2'] }, () => { console.log('connected'); s.destroy(); });
    `;
    const [mine, control] = await Promise.all([run(subscribeScript), run(controlScript)]);
    expect(mine.code).toBe(0);
    expect(JSON.parse(mine.stdout)).toEqual({ events: 1, code: 0 });
    expect(mine.stderr).not.toMatch(/DEP0123|ServerName to an IP/);
    expect(control.stdout.trim()).toBe('connected');
    expect(control.stderr).toMatch(/DEP0123/);
  });
});
