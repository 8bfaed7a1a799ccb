/**
 * Keepalive for an HTTP/2 connection to lnd: after `timeMs` without a sign of
 * life an HTTP/2 PING is sent; no answer within `timeoutMs` means a dead
 * (half-open) connection. lnd accepts client pings no more often than every
 * 5 s; the defaults (30 s, then 20 s for the answer) notice a dead peer
 * within about a minute.
 *
 * The policy is one per run, shared by its reconnects: lnd before 0.17
 * (grpc-go's default enforcement) allows one ping per 5 minutes on a quiet
 * stream and says so with a GOAWAY "too_many_pings"; the policy then pings
 * less often for the rest of the run, as grpc-js does.
 *
 * The pinger runs on an injected clock (clock.ts), so tests drive it without
 * sleeping; the connection is behind a small PingLink.
 */
import type { Clock, Timer } from '../clock.js';

/** Ping after 30 s without data, give up 20 s later. */
export const KEEPALIVE_TIME_MS = 30_000;
export const KEEPALIVE_TIMEOUT_MS = 20_000;
/** lnd's minimum interval between client pings. */
export const LND_MIN_PING_INTERVAL_MS = 5_000;
/** Keepalive time after lnd complained about too many pings: above grpc-go's default 5-minute minimum. */
export const TOO_MANY_PINGS_KEEPALIVE_MS = 310_000;

/** Ping after `timeMs` without a sign of life; give up when the answer takes longer than `timeoutMs`. */
export interface KeepaliveSettings {
  readonly timeMs: number;
  readonly timeoutMs: number;
}

export const DEFAULT_KEEPALIVE: KeepaliveSettings = { timeMs: KEEPALIVE_TIME_MS, timeoutMs: KEEPALIVE_TIMEOUT_MS };

/** The environment variable tests set to see a half-open connection noticed without waiting a minute. */
export const TEST_KEEPALIVE_ENV = 'HTLC_TAIL_TEST_KEEPALIVE_MS';

/**
 * The settings for a run. HTLC_TAIL_TEST_KEEPALIVE_MS (a test hook, never
 * below lnd's 5 s minimum) pings after that many ms and allows 2 s for the
 * answer. Read once, where the nodes' connection configs are made.
 */
export function keepaliveFromEnv(env: Readonly<Record<string, string | undefined>>): KeepaliveSettings {
  const v = Number(env[TEST_KEEPALIVE_ENV]);
  return Number.isFinite(v) && v >= LND_MIN_PING_INTERVAL_MS ? { timeMs: v, timeoutMs: 2_000 } : DEFAULT_KEEPALIVE;
}

/** The run's keepalive, shared by its reconnects; `timeMs` grows after a GOAWAY too_many_pings. */
export interface KeepalivePolicy {
  timeMs: number;
  readonly timeoutMs: number;
}

export function keepalivePolicy(settings: KeepaliveSettings = DEFAULT_KEEPALIVE): KeepalivePolicy {
  return { timeMs: settings.timeMs, timeoutMs: settings.timeoutMs };
}

/** lnd closed a connection that pinged every `usedMs` over too many pings: ping less often from now on. */
export function slowDownAfterTooManyPings(policy: KeepalivePolicy, usedMs: number): void {
  policy.timeMs = Math.max(policy.timeMs, 2 * usedMs, TOO_MANY_PINGS_KEEPALIVE_MS);
}

/** The connection as the pinger uses it. */
export interface PingLink {
  /**
   * Sends a PING; `answered(true)` when its answer came, `answered(false)`
   * when it failed. Returns false when no ping could be sent now.
   */
  ping(answered: (ok: boolean) => void): boolean;
}

export interface PingerEvents {
  /** No answer within `timeoutMs`: the connection is dead. Called at most once. */
  readonly onDead: (timeoutMs: number) => void;
  /** A ping was answered (a sign of life). */
  readonly onAnswer?: () => void;
}

/**
 * Pings one connection. `alive()` (cheap: called for every DATA frame)
 * records a sign of life; a timer checks only when `timeMs` could have
 * passed since the last one.
 */
export class KeepalivePinger {
  private lastAlive = 0;
  private check: Timer | undefined;
  private answer: Timer | undefined;
  private running = false;

  constructor(
    /** The settings in force for this connection (taken when it was opened). */
    private readonly settings: KeepaliveSettings,
    private readonly clock: Clock,
    private readonly link: PingLink,
    private readonly events: PingerEvents,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastAlive = this.clock.now();
    this.schedule(this.settings.timeMs);
  }

  alive(): void {
    this.lastAlive = this.clock.now();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.check);
    this.clock.clearTimeout(this.answer);
    this.check = this.answer = undefined;
  }

  private schedule(ms: number): void {
    this.clock.clearTimeout(this.check);
    this.check = this.clock.setTimeout(() => this.due(), Math.max(0, ms));
    this.check.unref?.();
  }

  private due(): void {
    this.check = undefined;
    if (!this.running) return;
    const quiet = this.clock.now() - this.lastAlive;
    if (quiet < this.settings.timeMs) {
      this.schedule(this.settings.timeMs - quiet);
      return;
    }
    this.answer = this.clock.setTimeout(() => {
      this.answer = undefined;
      if (!this.running) return;
      this.stop();
      this.events.onDead(this.settings.timeoutMs);
    }, this.settings.timeoutMs);
    const sent = this.link.ping((ok) => {
      this.clock.clearTimeout(this.answer);
      this.answer = undefined;
      if (!this.running) return;
      if (ok) {
        this.alive();
        this.events.onAnswer?.();
        this.schedule(this.settings.timeMs);
      } else this.schedule(Math.min(this.settings.timeMs, LND_MIN_PING_INTERVAL_MS));
    });
    if (!sent) {
      this.clock.clearTimeout(this.answer);
      this.answer = undefined;
      this.schedule(Math.min(this.settings.timeMs, LND_MIN_PING_INTERVAL_MS));
    }
  }
}
