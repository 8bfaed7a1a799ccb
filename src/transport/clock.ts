/**
 * Time as the transport sees it: the wall clock (gap lines are wall-clock
 * times) and timers. Injectable, so the reconnect loop's backoff, settle and
 * health timers, and the gRPC stream's connect bound and keepalive pings,
 * run in unit tests without sleeping.
 */
export interface Timer {
  /** A timer that does not keep the process alive by itself. */
  unref?(): unknown;
}

export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  clearTimeout(t: Timer | undefined): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout | undefined),
};
