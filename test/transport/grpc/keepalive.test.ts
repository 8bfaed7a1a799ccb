/**
 * The keepalive unit on its own: the pinger on an injected clock with a
 * scripted link (no sockets, no sleeping), the run's policy after a GOAWAY
 * too_many_pings, and the one place the test hook is read.
 */
import { describe, expect, test } from '@jest/globals';
import {
  DEFAULT_KEEPALIVE,
  KeepalivePinger,
  keepaliveFromEnv,
  keepalivePolicy,
  slowDownAfterTooManyPings,
  TOO_MANY_PINGS_KEEPALIVE_MS,
  type KeepaliveSettings,
} from '../../../src/transport/grpc/keepalive.js';
import { FakeClock, T0 } from '../../helpers/fake-clock.js';

interface Harness {
  readonly clock: FakeClock;
  readonly pinger: KeepalivePinger;
  /** When each ping was sent (ms after start). */
  readonly pings: number[];
  /** The answer callbacks of the pings sent, in order. */
  readonly answers: Array<(ok: boolean) => void>;
  readonly dead: number[];
  readonly answered: number[];
}

function harness(
  settings: KeepaliveSettings = { timeMs: 5_000, timeoutMs: 2_000 },
  canSend: () => boolean = () => true,
): Harness {
  const clock = new FakeClock();
  const pings: number[] = [];
  const answers: Array<(ok: boolean) => void> = [];
  const dead: number[] = [];
  const answered: number[] = [];
  const pinger = new KeepalivePinger(
    settings,
    clock,
    {
      ping(cb) {
        if (!canSend()) return false;
        pings.push(clock.now() - T0);
        answers.push(cb);
        return true;
      },
    },
    { onDead: () => dead.push(clock.now() - T0), onAnswer: () => answered.push(clock.now() - T0) },
  );
  pinger.start();
  return { clock, pinger, pings, answers, dead, answered };
}

describe('KeepalivePinger', () => {
  test('no ping while signs of life keep coming; one after timeMs of quiet', async () => {
    const h = harness();
    for (let t = 0; t < 20_000; t += 1_000) {
      await h.clock.advance(1_000);
      h.pinger.alive();
    }
    expect(h.pings).toEqual([]);
    await h.clock.advance(4_999);
    expect(h.pings).toEqual([]);
    await h.clock.advance(1);
    expect(h.pings).toEqual([25_000]);
  });

  test('an answered ping is a sign of life; the next ping comes timeMs after the answer', async () => {
    const h = harness();
    await h.clock.advance(5_000);
    await h.clock.advance(300);
    h.answers[0]!(true);
    expect(h.answered).toEqual([5_300]);
    await h.clock.advance(5_000);
    expect(h.pings).toEqual([5_000, 10_300]);
    expect(h.dead).toEqual([]);
  });

  test('no answer within timeoutMs: dead, once, and no more pings', async () => {
    const h = harness();
    await h.clock.advance(5_000);
    await h.clock.advance(1_999);
    expect(h.dead).toEqual([]);
    await h.clock.advance(1);
    expect(h.dead).toEqual([7_000]);
    h.answers[0]!(true); // too late: ignored
    await h.clock.advance(60_000);
    expect(h.dead).toEqual([7_000]);
    expect(h.pings).toEqual([5_000]);
    expect(h.answered).toEqual([]);
  });

  test('a ping that cannot be sent, or fails, is tried again after at most 5 s', async () => {
    let sendable = false;
    const h = harness({ timeMs: 30_000, timeoutMs: 20_000 }, () => sendable);
    await h.clock.advance(30_000);
    expect(h.pings).toEqual([]);
    sendable = true;
    await h.clock.advance(5_000);
    expect(h.pings).toEqual([35_000]);
    h.answers[0]!(false);
    await h.clock.advance(5_000);
    expect(h.pings).toEqual([35_000, 40_000]);
    expect(h.dead).toEqual([]);
  });

  test('stop() ends pinging and the answer timer', async () => {
    const h = harness();
    await h.clock.advance(5_000);
    h.pinger.stop();
    await h.clock.advance(60_000);
    expect(h.pings).toEqual([5_000]);
    expect(h.dead).toEqual([]);
  });
});

describe('the policy', () => {
  test('after a GOAWAY too_many_pings the run pings less often than grpc-go allows by default (5 min)', () => {
    const p = keepalivePolicy();
    expect(p).toEqual({ timeMs: 30_000, timeoutMs: 20_000 });
    slowDownAfterTooManyPings(p, p.timeMs);
    expect(p.timeMs).toBe(TOO_MANY_PINGS_KEEPALIVE_MS);
    expect(p.timeMs).toBeGreaterThan(300_000);
    slowDownAfterTooManyPings(p, p.timeMs);
    expect(p.timeMs).toBe(2 * TOO_MANY_PINGS_KEEPALIVE_MS);
  });

  test.each<[Record<string, string>, KeepaliveSettings]>([
    [{}, DEFAULT_KEEPALIVE],
    [{ HTLC_TAIL_TEST_KEEPALIVE_MS: '5000' }, { timeMs: 5_000, timeoutMs: 2_000 }],
    [{ HTLC_TAIL_TEST_KEEPALIVE_MS: '12000' }, { timeMs: 12_000, timeoutMs: 2_000 }],
    [{ HTLC_TAIL_TEST_KEEPALIVE_MS: '4999' }, DEFAULT_KEEPALIVE], // below lnd's 5 s minimum
    [{ HTLC_TAIL_TEST_KEEPALIVE_MS: 'soon' }, DEFAULT_KEEPALIVE],
  ])('keepaliveFromEnv(%j)', (env, want) => {
    expect(keepaliveFromEnv(env)).toEqual(want);
  });
});
