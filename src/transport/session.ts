/**
 * One tail of lnd's HTLC events, kept alive: connect (TLS probe, then the
 * subscription), deliver events in order, and on a lost stream reconnect with
 * backoff forever (unless --no-reconnect), reporting the gap. With --wait, a
 * node that is unreachable, locked or still starting is waited for at start.
 * It is the EventSource of one node (node-connection.ts makes it).
 *
 * - A subscription counts as established only when lnd answered: response
 *   headers, then its `subscribed` event (or, for an lnd before 0.16 that
 *   sends none, no error for `settleMs` after the headers, or a first event).
 *   A connection that never gets there is a failed attempt (the transports
 *   bound each step by --connect-timeout), never a subscription, so it makes
 *   no gap line.
 * - A gap runs from the last moment the lost connection was known alive (its
 *   last data or keepalive answer, or the final status lnd sent) to the moment
 *   lnd confirmed the new subscription; reasons.ts words its reason.
 * - Backoff: 0.5 s doubling to 30 s with jitter. It starts again from 0.5 s
 *   only after a stream was healthy (delivered an HTLC event, or lasted
 *   `healthyAfterMs`), so a node that ends every stream at once is retried
 *   less and less often. stderr gets one line per change of state.
 * - The cert and macaroon files are read again before every reconnect attempt
 *   (target-source.ts); a rejection is final only if the fresh files are
 *   rejected too, and the message then says whether they changed.
 * - stop() abandons whatever is pending at once: a probe, a connection being
 *   made, a backoff.
 *
 * Errors that retrying cannot fix (a refused macaroon, a wrong certificate,
 * missing permission) end the session at once with their exit code. Every
 * transport (grpc/connector.ts, rest/connector.ts) plugs in as a StreamConnector.
 */
import { HtlcTailError } from '../errors.js';
import type { HtlcEvent } from '../events/model.js';
import { backoffDelay } from './backoff.js';
import { noticeOf, type Credential } from './classify.js';
import { systemClock, type Clock, type Timer } from './clock.js';
import type { StreamConnection, StreamConnector } from './connector.js';
import { lossReason } from './reasons.js';
import { SessionNotices } from './session-notices.js';
import type { StreamStatus } from './status.js';
import type { HtlcStream } from './stream.js';
import { ProbeAborted, ProbeError } from './tls-probe.js';

/** Without an HTLC event, a stream counts as healthy (and resets the backoff) after this long. */
export const HEALTHY_AFTER_MS = 30_000;
/** After the response headers, how long a stream without a subscribed event must stay open to count as established (lnd < 0.16). */
export const SETTLE_MS = 2_000;
/** While reconnecting, unchanged credentials that lnd rejects are tried this many more times (with backoff) before it is final. */
export const CREDENTIAL_RETRIES = 3;

export interface SessionOptions {
  readonly wait: boolean;
  readonly reconnect: boolean;
  /** A notice for stderr (state changes). */
  readonly notify: (msg: string) => void;
  readonly onEvent: (ev: HtlcEvent) => void;
  /** The stream was re-established after a loss: events between may be missing. */
  readonly onGap: (fromMs: number, toMs: number, reason: string) => void;
  /** Each time a subscription is established (first time and after reconnects). */
  readonly onSubscribed?: (info: { readonly reconnected: boolean }) => void;
  /** An established stream was lost (before the reconnect attempts; its gap comes with the next subscription). */
  readonly onLost?: (reason: string) => void;
  readonly settleMs?: number;
  readonly healthyAfterMs?: number;
  readonly random?: () => number;
  readonly clock?: Clock;
}

interface Attempt {
  readonly established: boolean;
  /** lnd accepted the call (its response headers came). */
  readonly answered: boolean;
  readonly status: StreamStatus;
  /** When lnd confirmed the subscription: its subscribed event, else its response headers. */
  readonly confirmedAt: number;
  /** The last sign of life of the connection (undefined: none). */
  readonly lastAliveAt: number | undefined;
  /** When the stream ended. */
  readonly endedAt: number;
  readonly healthy: boolean;
}

/** A lost stream waiting for its gap line. */
interface Loss {
  readonly at: number;
  readonly reason: string;
}

/** The reconnect loop over any transport. */
export class StreamSession {
  private stopped = false;
  private stream: HtlcStream | undefined;
  private connection: StreamConnection | undefined;
  private paused = false;
  private wake: (() => void) | undefined;
  private readonly abort = new AbortController();
  /** Rejections of unchanged credentials since the last established stream. */
  private credentialRejections = 0;
  private readonly clock: Clock;
  private readonly notices: SessionNotices;

  constructor(
    private readonly connector: StreamConnector,
    private readonly opts: SessionOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.notices = new SessionNotices(opts.notify, connector.address);
  }

  pause(): void {
    this.paused = true;
    this.stream?.pause();
  }

  resume(): void {
    this.paused = false;
    this.stream?.resume();
  }

  /** Cancels the subscription, or abandons the probe, connection or backoff in progress; `run` then resolves. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    this.stream?.cancel();
    this.wake?.();
  }

  /** Resolves when stopped; rejects with an HtlcTailError when the tail cannot go on. */
  async run(): Promise<void> {
    let everConnected = false;
    let attempt = 0;
    let loss: Loss | undefined;
    let first = true;
    const verb = () => (everConnected ? 'reconnecting' : this.opts.wait ? 'waiting' : 'retrying');

    try {
      while (!this.stopped) {
        if (!first) this.reloadCredentials();
        first = false;
        try {
          await this.connector.probe(this.abort.signal);
        } catch (e) {
          if (this.stopped || e instanceof ProbeAborted) break;
          if (!(e instanceof ProbeError)) throw e;
          if (everConnected && e.credential && this.retryCredential()) {
            await this.backoff(attempt++, (ms) => this.notices.retrying(e.message, verb(), ms));
            continue;
          }
          if (!everConnected && !(this.opts.wait && e.retryable)) throw e;
          if (everConnected && !e.retryable) throw this.withChangeNote(e, e.credential);
          await this.backoff(attempt++, (ms) => this.notices.retrying(e.message, verb(), ms));
          continue;
        }
        if (this.stopped) break;

        const r = await this.subscribeOnce(loss);
        if (this.stopped) break;
        if (r.established) {
          everConnected = true;
          this.credentialRejections = 0;
          loss = undefined;
          if (r.healthy) attempt = 0;
          const reason = lossReason(r.status);
          if (!this.opts.reconnect) {
            throw new HtlcTailError(
              'stream-ended',
              `the HTLC event stream ended (${reason}); not reconnecting (--no-reconnect)`,
            );
          }
          this.opts.onLost?.(reason);
          const now = this.clock.now();
          // A status lnd sent (no transport cause) shows the connection alive up to that moment;
          // otherwise (dropped, silent) the gap starts at the last sign of life.
          loss = { at: r.status.cause === undefined ? r.endedAt : (r.lastAliveAt ?? r.confirmedAt), reason };
          await this.backoff(attempt++, (ms) => this.notices.lost(reason, r.healthy, now - r.confirmedAt, ms));
          continue;
        }
        // Failed before the subscription was established.
        const cls = this.connector.classify(r.status, r.answered);
        if (everConnected && cls.credential && this.retryCredential()) {
          await this.backoff(attempt++, (ms) => this.notices.retrying(noticeOf(cls), verb(), ms));
          continue;
        }
        const retryable = cls.readiness !== undefined || cls.streamLost;
        if (!everConnected && !(this.opts.wait && cls.readiness !== undefined)) throw cls.error;
        if (everConnected && !retryable) throw this.withChangeNote(cls.error, cls.credential);
        await this.backoff(attempt++, (ms) => this.notices.retrying(noticeOf(cls), verb(), ms));
      }
    } finally {
      this.closeConnection();
    }
  }

  /** Before a reconnect attempt: the cert and macaroon files as they are now. */
  private reloadCredentials(): void {
    for (const p of this.connector.target.reload().problems) this.notices.other(p);
  }

  /**
   * After lnd (or the TLS handshake) rejected a credential while reconnecting:
   * whether to try again. Yes when a file now differs from what the attempt
   * used; also for the first few rejections of unchanged files, since lnd may
   * be up with its new certificate a moment before it has written it.
   */
  private retryCredential(): boolean {
    const before = this.connector.target.current;
    if (this.connector.target.reload().target !== before) return true;
    return ++this.credentialRejections <= CREDENTIAL_RETRIES;
  }

  private withChangeNote(e: HtlcTailError, which: Credential | undefined): HtlcTailError {
    if (!which) return e;
    const note = this.connector.target.changeNote(which);
    return note ? new HtlcTailError(e.kind, `${e.message}${note}`, { cause: e.cause }) : e;
  }

  private async backoff(attempt: number, say: (delayMs: number) => void): Promise<void> {
    const ms = backoffDelay(attempt, this.opts.random);
    say(ms);
    this.closeConnection();
    if (this.stopped) return;
    await new Promise<void>((resolve) => {
      const t = this.clock.setTimeout(resolve, ms);
      this.wake = () => {
        this.clock.clearTimeout(t);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private closeConnection(): void {
    this.stream = undefined;
    try {
      this.connection?.close();
    } catch {
      // already closed
    }
    this.connection = undefined;
  }

  private subscribeOnce(loss: Loss | undefined): Promise<Attempt> {
    const clock = this.clock;
    return new Promise<Attempt>((resolve) => {
      let established = false;
      let ended = false;
      let healthy = false;
      let headersAt: number | undefined;
      let confirmedAt = 0;
      let lastAliveAt: number | undefined;
      let settle: Timer | undefined;
      let health: Timer | undefined;
      let connection: StreamConnection | undefined;
      const becomeHealthy = () => {
        if (healthy || ended) return;
        healthy = true;
        clock.clearTimeout(health);
        this.notices.healthy();
      };
      const establish = (at: number) => {
        if (established || ended || this.stopped || !connection) return;
        established = true;
        confirmedAt = at;
        clock.clearTimeout(settle);
        health = clock.setTimeout(becomeHealthy, this.opts.healthyAfterMs ?? HEALTHY_AFTER_MS);
        health.unref?.();
        if (loss) {
          this.notices.reconnected(clock.now() - loss.at);
          this.opts.onGap(loss.at, at, loss.reason);
        }
        this.opts.onSubscribed?.({ reconnected: loss !== undefined });
      };
      connection = this.connector.subscribe({
        onAlive: () => {
          lastAliveAt = clock.now();
        },
        onHeaders: () => {
          if (headersAt !== undefined) return;
          headersAt = lastAliveAt = clock.now();
          const at = headersAt;
          settle = clock.setTimeout(() => establish(at), this.opts.settleMs ?? SETTLE_MS);
        },
        onEvent: (ev) => {
          const now = (lastAliveAt = clock.now());
          if (!established) establish(ev.event === 'subscribed' ? now : (headersAt ?? now));
          if (established && !healthy && ev.event !== 'subscribed') becomeHealthy();
          this.opts.onEvent(ev);
        },
        onEnd: (status) => {
          if (ended) return;
          ended = true;
          clock.clearTimeout(settle);
          clock.clearTimeout(health);
          resolve({
            established,
            answered: headersAt !== undefined,
            status,
            confirmedAt,
            lastAliveAt,
            endedAt: clock.now(),
            healthy,
          });
        },
      });
      if (ended) {
        connection.close();
        return;
      }
      this.connection = connection;
      this.stream = connection.stream;
      if (this.paused) this.stream.pause();
    });
  }
}
