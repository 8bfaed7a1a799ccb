/**
 * One tail of lnd's HTLC events, kept alive: connect (TLS probe, then the
 * subscription), deliver events in order, and on a lost stream reconnect with
 * backoff forever (unless --no-reconnect), reporting the gap. With --wait, a
 * node that is unreachable, locked or still starting is waited for at start.
 *
 * Errors that retrying cannot fix (a refused macaroon, a wrong certificate,
 * missing permission) end the session at once with their exit code. This is
 * the only stream handler: start and reconnect run through the same code.
 */
import { HtlcTailError } from '../errors.js';
import type { HtlcEvent } from '../events/model.js';
import { backoffDelay } from './backoff.js';
import { openChannel, type LndChannel } from './channel.js';
import { classifyStatus, type ClassifyContext } from './classify.js';
import { subscribeHtlcEvents, type HtlcStream, type StreamStatus } from './htlc-stream.js';
import { loadProtos, type LndProtos } from './protos.js';
import { addressOf, type LndTarget } from './target.js';
import { probeTls, ProbeError } from './tls-probe.js';

export interface SessionOptions {
  readonly wait: boolean;
  readonly reconnect: boolean;
  /** A notice for stderr (state changes). */
  readonly notify: (msg: string) => void;
  readonly onEvent: (ev: HtlcEvent) => void;
  /** The stream was re-established after a loss: events between may be missing. */
  readonly onGap: (fromMs: number, toMs: number, reason: string) => void;
  /** Each time a subscription is established (first time and after reconnects). */
  readonly onSubscribed?: (ctx: { protos: LndProtos; channel: LndChannel; reconnected: boolean }) => void;
  /** How long a subscription that sent nothing yet must stay open to count as established (old lnd sends no subscribed event). */
  readonly settleMs?: number;
  readonly random?: () => number;
}

interface Attempt {
  readonly connected: boolean;
  readonly status: StreamStatus;
}

export class LndSession {
  private stopped = false;
  private stream: HtlcStream | undefined;
  private channel: LndChannel | undefined;
  private paused = false;
  private wake: (() => void) | undefined;
  private readonly ctx: ClassifyContext;

  constructor(
    private readonly target: LndTarget,
    private readonly opts: SessionOptions,
  ) {
    this.ctx = {
      address: addressOf(target),
      certSource: target.certSource,
      macaroonSource: target.macaroonSource,
      call: 'SubscribeHtlcEvents',
      permission: 'offchain:read',
    };
  }

  pause(): void {
    this.paused = true;
    this.stream?.pause();
  }

  resume(): void {
    this.paused = false;
    this.stream?.resume();
  }

  /** Cancels the subscription; `run` then resolves. */
  stop(): void {
    this.stopped = true;
    this.stream?.cancel();
    this.wake?.();
  }

  /** Resolves when stopped; rejects with an HtlcTailError when the tail cannot go on. */
  async run(): Promise<void> {
    const protos = await loadProtos();
    const { notify } = this.opts;
    let everConnected = false;
    let attempt = 0;
    let lostAtMs = 0;
    let lostReason = '';
    let lastNotice = '';
    /** One line per state change: a retry for the same reason again says nothing. */
    const say = (reason: string, text: string) => {
      if (reason !== lastNotice) notify(text);
      lastNotice = reason;
    };

    while (!this.stopped) {
      try {
        await probeTls(this.target);
      } catch (e) {
        if (!(e instanceof ProbeError)) throw e;
        if (!everConnected && !(this.opts.wait && e.retryable)) throw e;
        if (everConnected && !e.retryable) throw e;
        await this.backoff(attempt++, e.message, 'retrying', say);
        continue;
      }
      if (this.stopped) break;

      const result = await this.subscribeOnce(protos, everConnected, lostAtMs, lostReason);
      if (this.stopped) break;
      const cls = classifyStatus(result.status.code, result.status.details, this.ctx);
      if (result.connected) {
        everConnected = true;
        attempt = 0;
        lastNotice = '';
        const reason = result.status.code === 0 ? 'lnd ended the stream' : cls.error.message;
        if (!this.opts.reconnect) {
          throw new HtlcTailError('stream-ended', `the HTLC event stream ended (${reason}); not reconnecting (--no-reconnect)`);
        }
        lostAtMs = Date.now();
        lostReason = result.status.code === 0 ? 'lnd ended the stream' : shortReason(result.status.details);
        await this.backoff(attempt++, `lost the HTLC event stream (${reason})`, 'reconnecting', say);
        continue;
      }
      // Failed before the subscription was established.
      const retryable = cls.readiness !== undefined || cls.streamLost;
      if (!everConnected && !(this.opts.wait && cls.readiness !== undefined)) throw cls.error;
      if (everConnected && !retryable) throw cls.error;
      await this.backoff(attempt++, cls.error.message, everConnected ? 'reconnecting' : 'waiting', say);
    }
    this.closeChannel();
  }

  private async backoff(attempt: number, reason: string, verb: string, say: (key: string, text: string) => void): Promise<void> {
    const ms = backoffDelay(attempt, this.opts.random);
    say(reason, `${reason}; ${verb}, next try in ${(ms / 1000).toFixed(1)} s`);
    this.closeChannel();
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private closeChannel(): void {
    this.stream = undefined;
    try {
      this.channel?.close();
    } catch {
      // already closed
    }
    this.channel = undefined;
  }

  private subscribeOnce(protos: LndProtos, reconnecting: boolean, lostAtMs: number, lostReason: string): Promise<Attempt> {
    const channel = openChannel(protos.grpc, this.target);
    this.channel = channel;
    return new Promise<Attempt>((resolve) => {
      let connected = false;
      const markConnected = () => {
        if (connected || this.stopped) return;
        connected = true;
        clearTimeout(settle);
        if (reconnecting) {
          const now = Date.now();
          this.opts.notify(`reconnected to lnd at ${this.ctx.address} after ${((now - lostAtMs) / 1000).toFixed(1)} s`);
          this.opts.onGap(lostAtMs, now, lostReason);
        }
        this.opts.onSubscribed?.({ protos, channel, reconnected: reconnecting });
      };
      const settle = setTimeout(markConnected, this.opts.settleMs ?? 2000);
      this.stream = subscribeHtlcEvents(protos.grpc, channel, this.target, {
        onEvent: (ev) => {
          markConnected();
          this.opts.onEvent(ev);
        },
        onEnd: (status) => {
          clearTimeout(settle);
          resolve({ connected, status });
        },
      });
      if (this.paused) this.stream.pause();
    });
  }
}

function shortReason(details: string): string {
  return (details.split('\n', 1)[0] ?? '').trim() || 'stream lost';
}
