/**
 * A clock whose time moves only when the test says so (the transport's Clock):
 * the reconnect loop's backoff, settle and health timers and the keepalive
 * pinger run under it without sleeping.
 */
import type { Clock, Timer } from '../../src/transport/clock.js';

export const T0 = 1_800_000_000_000;

/** A clock whose time moves only when the test says so; due timers run in order. */
export class FakeClock implements Clock {
  t = T0;
  private seq = 0;
  private timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  /** Every setTimeout delay asked for, in order. */
  readonly delays: number[] = [];

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const timer = { at: this.t + ms, seq: this.seq++, fn };
    this.timers.push(timer);
    this.delays.push(ms);
    return timer as unknown as Timer;
  }

  clearTimeout(t: Timer | undefined): void {
    this.timers = this.timers.filter((x) => x !== (t as unknown));
  }

  /** Moves time forward by `ms`, running due timers and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

/** Lets pending promise callbacks and I/O-free continuations run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
