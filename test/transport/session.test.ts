/**
 * The reconnect loop (StreamSession) with an injected clock and a scripted
 * transport, so backoff, settle and health times run without sleeping:
 * what counts as established, where gaps start and end, how the backoff grows
 * and resets, which stderr lines come, and that stop() abandons a pending probe.
 */
import { describe, expect, test } from '@jest/globals';
import type { HtlcEvent } from '../../src/events/model.js';
import type { StreamConnector } from '../../src/transport/connector.js';
import { StreamSession } from '../../src/transport/session.js';
import type { StreamHandlers } from '../../src/transport/stream.js';
import { classifyStatus, classifyStepTimeout, subscribeContext } from '../../src/transport/classify.js';
import { stepTimeoutStatus, type StreamStatus } from '../../src/transport/reasons.js';
import { TargetSource } from '../../src/transport/target-source.js';
import { ProbeAborted } from '../../src/transport/tls-probe.js';
import type { LndTarget } from '../../src/transport/target.js';
import { FakeClock, T0 } from '../helpers/fake-clock.js';

const subscribedEvent = { event: 'subscribed' } as unknown as HtlcEvent;
const htlcEvent = { event: 'forward' } as unknown as HtlcEvent;

/** What one scripted subscription does, driven by the test through its handlers. */
type Script = (h: StreamHandlers, clock: FakeClock) => void;

const target: LndTarget = {
  host: '127.0.0.1',
  port: 10009,
  tlsServerName: '127.0.0.1',
  certPem: Buffer.from('pem'),
  certSource: 'test tls.cert',
  macaroon: Buffer.from([2]),
  macaroonSource: 'test readonly.macaroon',
  connectTimeoutMs: 10_000,
};

interface Harness {
  readonly clock: FakeClock;
  readonly session: StreamSession;
  readonly notices: string[];
  readonly gaps: Array<{ from: number; to: number; reason: string }>;
  readonly subscribedAt: number[];
  readonly events: HtlcEvent[];
  readonly attemptsAt: number[];
  readonly done: Promise<unknown>;
}

function harness(
  scripts: (attempt: number) => Script,
  over: { wait?: boolean; reconnect?: boolean; probe?: (signal: AbortSignal) => Promise<void> } = {},
): Harness {
  const clock = new FakeClock();
  const notices: string[] = [];
  const gaps: Array<{ from: number; to: number; reason: string }> = [];
  const subscribedAt: number[] = [];
  const events: HtlcEvent[] = [];
  const attemptsAt: number[] = [];
  const ctx = subscribeContext(target);
  const connector: StreamConnector = {
    address: '127.0.0.1:10009',
    target: TargetSource.fixed(target),
    probe: over.probe ?? (async () => undefined),
    subscribe(handlers) {
      const n = attemptsAt.length;
      attemptsAt.push(clock.now());
      let ended = false;
      const h: StreamHandlers = {
        ...handlers,
        onEnd: (s) => {
          if (ended) return;
          ended = true;
          handlers.onEnd(s);
        },
      };
      queueMicrotask(() => scripts(n)(h, clock));
      return {
        stream: { pause() {}, resume() {}, cancel: () => h.onEnd({ code: 1, details: 'Cancelled on client' }) },
        close() {},
      };
    },
    classify: (s) => (s.cause === 'timeout' ? classifyStepTimeout(s) : classifyStatus(s.code, s.details, ctx)),
  };
  const session = new StreamSession(connector, {
    wait: over.wait ?? false,
    reconnect: over.reconnect ?? true,
    notify: (m) => notices.push(m),
    onEvent: (ev) => events.push(ev),
    onGap: (from, to, reason) => gaps.push({ from, to, reason }),
    onSubscribed: () => subscribedAt.push(clock.now()),
    clock,
    random: () => 1, // no jitter: delays are 0.5, 1, 2, 4 … s
  });
  const done = session.run().then(
    () => 'stopped',
    (e: unknown) => e,
  );
  return { clock, session, notices, gaps, subscribedAt, events, attemptsAt, done };
}

/** lnd answers at once with headers and its subscribed event, then ends the stream `after` ms later with `status`. */
const answerThenEnd =
  (
    after: number,
    status: StreamStatus = { code: 0, details: '' },
    extra?: (h: StreamHandlers, clock: FakeClock) => void,
  ): Script =>
  (h, clock) => {
    h.onHeaders?.();
    h.onEvent(subscribedEvent);
    extra?.(h, clock);
    clock.setTimeout(() => h.onEnd(status), after);
  };

describe('backoff that backs off', () => {
  test('a node that ends every stream right after subscribing: delays double, stderr says it once', async () => {
    const h = harness(() => answerThenEnd(0));
    await h.clock.advance(20_000);
    h.session.stop();
    await h.done;
    // 0.5 + 1 + 2 + 4 + 8 = 15.5 s: six attempts fit in 20 s, not fifty.
    expect(h.attemptsAt.map((t) => t - T0)).toEqual([0, 500, 1_500, 3_500, 7_500, 15_500]);
    // Every stream was established and lost: a gap line per reconnect, each from the loss to the next subscribed event.
    expect(h.gaps).toHaveLength(5);
    expect(h.gaps.map((g) => [g.from - T0, g.to - T0])).toEqual([
      [0, 500],
      [500, 1_500],
      [1_500, 3_500],
      [3_500, 7_500],
      [7_500, 15_500],
    ]);
    expect(h.gaps.every((g) => g.reason === 'lnd ended the stream')).toBe(true);
    expect(h.notices).toEqual([
      'lost the HTLC event stream from lnd at 127.0.0.1:10009 (lnd ended the stream); reconnecting, next try in 0.5 s',
      'reconnected to lnd at 127.0.0.1:10009 after 0.5 s',
      'the HTLC event stream from lnd at 127.0.0.1:10009 keeps ending soon after it starts (this time after 0.0 s: lnd ended the stream); retrying with growing delays, next try in 1.0 s',
    ]);
  });

  test('an HTLC event makes a stream healthy: the next loss starts again from 0.5 s', async () => {
    const h = harness((n) =>
      n === 2 ? answerThenEnd(100, undefined, (hh) => hh.onEvent(htlcEvent)) : answerThenEnd(0),
    );
    await h.clock.advance(4_000);
    h.session.stop();
    await h.done;
    // attempt 0 at 0, lost → 0.5 s; attempt 1 at 500, lost → 1 s; attempt 2 at 1500 healthy, lost at 1600 → 0.5 s.
    expect(h.attemptsAt.map((t) => t - T0)).toEqual([0, 500, 1_500, 2_100, 3_100]);
    expect(h.notices).toContain('the HTLC event stream from lnd at 127.0.0.1:10009 is up and stable again');
  });

  test('30 s without an HTLC event also makes a stream healthy', async () => {
    const h = harness((n) => (n === 1 ? answerThenEnd(31_000) : answerThenEnd(0)));
    await h.clock.advance(32_900);
    h.session.stop();
    await h.done;
    expect(h.attemptsAt.map((t) => t - T0)).toEqual([0, 500, 32_000]);
  });

  test('the subscribed event alone does not make a stream healthy', async () => {
    const h = harness(() => answerThenEnd(29_000));
    await h.clock.advance(60_000);
    h.session.stop();
    await h.done;
    expect(h.attemptsAt.map((t) => t - T0)).toEqual([0, 29_500, 59_500]);
  });
});

describe('established only when lnd answered', () => {
  test('a connection that never gets response headers is not a subscription: no gap, no subscribed; at start exit 4 naming the step', async () => {
    const h = harness(() => (hh, clock) => {
      clock.setTimeout(() => hh.onEnd(stepTimeoutStatus('protocol', 'grpc', '127.0.0.1:10009', 10_000)), 10_000);
    });
    await h.clock.advance(11_000);
    const err = (await h.done) as Error;
    expect(err.message).toBe(
      "TLS done but no HTTP/2 SETTINGS from 127.0.0.1:10009 within 10 s: is that lnd's gRPC port, and is lnd running normally? (or raise --connect-timeout)",
    );
    expect(h.subscribedAt).toEqual([]);
    expect(h.gaps).toEqual([]);
  });

  test('with --wait the same is retried with backoff and one line', async () => {
    const h = harness(
      () => (hh, clock) => {
        clock.setTimeout(() => hh.onEnd(stepTimeoutStatus('protocol', 'grpc', '127.0.0.1:10009', 10_000)), 10_000);
      },
      { wait: true },
    );
    await h.clock.advance(60_000);
    h.session.stop();
    expect(await h.done).toBe('stopped');
    expect(h.attemptsAt.map((t) => t - T0)).toEqual([0, 10_500, 21_500, 33_500, 47_500]);
    expect(h.notices).toHaveLength(1);
    expect(h.notices[0]).toMatch(/^TLS done but no HTTP\/2 SETTINGS .*; waiting, next try in 0\.5 s$/);
    expect(h.gaps).toEqual([]);
  });

  test('headers without a subscribed event (lnd < 0.16): established after the settle time, the gap ends at the headers', async () => {
    const h = harness((n) =>
      n === 0
        ? answerThenEnd(1_000)
        : (hh, clock) => {
            clock.setTimeout(() => hh.onHeaders?.(), 300);
          },
    );
    await h.clock.advance(1_500); // lost at 1000, retry at 1500
    expect(h.subscribedAt).toHaveLength(1);
    await h.clock.advance(300); // headers at 1800
    expect(h.subscribedAt).toHaveLength(1);
    expect(h.gaps).toEqual([]);
    await h.clock.advance(2_000); // settled at 3800
    expect(h.subscribedAt.map((t) => t - T0)).toEqual([0, 3_800]);
    expect(h.gaps.map((g) => [g.from - T0, g.to - T0])).toEqual([[1_000, 1_800]]);
    h.session.stop();
    await h.done;
  });

  test('the first event of an lnd < 0.16 establishes it, and it is an HTLC event: healthy', async () => {
    const h = harness((n) =>
      n === 0
        ? answerThenEnd(0)
        : (hh, clock) => {
            clock.setTimeout(() => {
              hh.onHeaders?.();
              hh.onEvent(htlcEvent);
            }, 5_000);
          },
    );
    await h.clock.advance(6_000);
    expect(h.subscribedAt.map((t) => t - T0)).toEqual([0, 5_500]);
    expect(h.events).toEqual([subscribedEvent, htlcEvent]);
    h.session.stop();
    await h.done;
  });
});

describe('gap lines', () => {
  test('`from` is the last sign of life (data or keepalive answer), not when the loss was noticed', async () => {
    const h = harness((n) =>
      n === 0
        ? (hh, clock) => {
            hh.onHeaders?.();
            hh.onEvent(subscribedEvent);
            clock.setTimeout(() => hh.onEvent(htlcEvent), 1_000);
            clock.setTimeout(() => hh.onAlive?.(), 31_000); // a keepalive answer
            // then silence: keepalive gives up 50 s later
            clock.setTimeout(
              () =>
                hh.onEnd({
                  code: 14,
                  details: 'keepalive: no answer from lnd within 20 s (connection lost)',
                  cause: 'silent',
                }),
              81_000,
            );
          }
        : answerThenEnd(60_000),
    );
    await h.clock.advance(82_000);
    expect(h.gaps).toEqual([
      { from: T0 + 31_000, to: T0 + 81_500, reason: 'connection lost: no sign of life from lnd (keepalive)' },
    ]);
    h.session.stop();
    await h.done;
  });

  test('a status lnd sent keeps its words; a cut connection reads "connection lost" whatever the transport said', async () => {
    const h = harness((n) =>
      n === 0
        ? answerThenEnd(100, { code: 2, details: 'htlc event subscription terminated' }, (hh) => hh.onEvent(htlcEvent))
        : n === 1
          ? answerThenEnd(
              100,
              { code: 14, details: 'connection lost: the WebSocket closed abnormally (1006)', cause: 'lost' },
              (hh) => hh.onEvent(htlcEvent),
            )
          : answerThenEnd(60_000),
    );
    await h.clock.advance(3_000);
    expect(h.gaps.map((g) => g.reason)).toEqual(['htlc event subscription terminated', 'connection lost']);
    h.session.stop();
    await h.done;
  });

  test('with --no-reconnect a lost stream is exit 6 with the reason', async () => {
    const h = harness(() => answerThenEnd(100, { code: 2, details: 'htlc event subscription terminated' }), {
      reconnect: false,
    });
    await h.clock.advance(200);
    const err = (await h.done) as Error & { kind: string };
    expect(err.kind).toBe('stream-ended');
    expect(err.message).toBe(
      'the HTLC event stream ended (htlc event subscription terminated); not reconnecting (--no-reconnect)',
    );
  });
});

describe('stop()', () => {
  test('abandons a pending probe at once', async () => {
    let aborted = false;
    const h = harness(() => answerThenEnd(0), {
      probe: (signal) =>
        new Promise<void>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new ProbeAborted('stopped'));
          });
        }),
    });
    await h.clock.advance(1_000);
    h.session.stop();
    expect(await h.done).toBe('stopped');
    expect(aborted).toBe(true);
    expect(h.attemptsAt).toEqual([]);
  });

  test('ends a backoff at once', async () => {
    const h = harness(() => answerThenEnd(0));
    await h.clock.advance(10_000); // in the 8 s wait after the attempt at 7.5 s
    h.session.stop();
    expect(await h.done).toBe('stopped');
    expect(h.attemptsAt).toHaveLength(5);
  });
});
