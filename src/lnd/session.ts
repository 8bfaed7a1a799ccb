/**
 * One tail of lnd's HTLC events, kept alive: connect (TLS probe, then the
 * subscription), deliver events in order, and on a lost stream reconnect with
 * backoff forever (unless --no-reconnect), reporting the gap. With --wait, a
 * node that is unreachable, locked or still starting is waited for at start.
 *
 * Errors that retrying cannot fix (a refused macaroon, a wrong certificate,
 * missing permission) end the session at once with their exit code. This is
 * the only stream handler: start and reconnect run through the same code, and
 * every transport (gRPC here, REST and WebSocket in src/rest/) plugs into it
 * as a StreamConnector that knows how to probe, subscribe once and classify
 * what the node said.
 */
import { HtlcTailError } from '../errors.js';
import type { HtlcEvent } from '../events/model.js';
import { backoffDelay } from './backoff.js';
import { classifyStatus, type Classified, subscribeContext, type ClassifyContext } from './classify.js';
import { keepalivePolicy, subscribeHtlcEvents, type HtlcStream, type StreamHandlers, type StreamStatus } from './htlc-stream.js';
import { lazyUnaryClient, type UnaryClient } from './unary.js';
import type { LndTarget } from './target.js';
import { probeTls, ProbeError } from './tls-probe.js';

/** One subscription attempt of a transport. */
export interface StreamConnection<C> {
  readonly stream: HtlcStream;
  /** What `onSubscribed` receives for this connection (e.g. the gRPC channel, for unary calls on it). */
  readonly context: C;
  /** Releases the connection (called after the stream ended, and on stop). */
  close(): void;
}

/** A transport, as the session drives it. */
export interface StreamConnector<C> {
  /** `host:port`, for notices. */
  readonly address: string;
  /** Once per run, before the first attempt (e.g. loading protos). */
  prepare?(): Promise<void>;

  /** Before each attempt: can the node be reached (TCP + TLS)? Throws a ProbeError (or another HtlcTailError) when not. */
  probe(): Promise<void>;
  /** Opens one subscription; `handlers.onEnd` is called exactly once. */
  subscribe(handlers: StreamHandlers): StreamConnection<C>;
  /** What a final status means: exit code, message, whether waiting or reconnecting can fix it. */
  classify(status: StreamStatus): Classified;
}

export interface SessionOptions<C = GrpcContext> {
  readonly wait: boolean;
  readonly reconnect: boolean;
  /** A notice for stderr (state changes). */
  readonly notify: (msg: string) => void;
  readonly onEvent: (ev: HtlcEvent) => void;
  /** The stream was re-established after a loss: events between may be missing. */
  readonly onGap: (fromMs: number, toMs: number, reason: string) => void;
  /** Each time a subscription is established (first time and after reconnects). */
  readonly onSubscribed?: (ctx: C & { reconnected: boolean }) => void;
  /** How long a subscription that sent nothing yet must stay open to count as established (old lnd sends no subscribed event). */
  readonly settleMs?: number;
  readonly random?: () => number;
}

interface Attempt {
  readonly connected: boolean;
  readonly status: StreamStatus;
}

/** The reconnect loop over any transport. */
export class StreamSession<C> {
  private stopped = false;
  private stream: HtlcStream | undefined;
  private connection: StreamConnection<C> | undefined;
  private paused = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly connector: StreamConnector<C>,
    private readonly opts: SessionOptions<C>,
  ) {}

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
    await this.connector.prepare?.();
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

    try {
      while (!this.stopped) {
        try {
          await this.connector.probe();
        } catch (e) {
          if (!(e instanceof ProbeError)) throw e;
          if (!everConnected && !(this.opts.wait && e.retryable)) throw e;
          if (everConnected && !e.retryable) throw e;
          await this.backoff(attempt++, e.message, 'retrying', say);
          continue;
        }
        if (this.stopped) break;

        const result = await this.subscribeOnce(everConnected, lostAtMs, lostReason);
        if (this.stopped) break;
        const cls = this.connector.classify(result.status);
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
    } finally {
      this.closeConnection();
    }
  }

  private async backoff(attempt: number, reason: string, verb: string, say: (key: string, text: string) => void): Promise<void> {
    const ms = backoffDelay(attempt, this.opts.random);
    say(reason, `${reason}; ${verb}, next try in ${(ms / 1000).toFixed(1)} s`);
    this.closeConnection();
    if (this.stopped) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
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

  private subscribeOnce(reconnecting: boolean, lostAtMs: number, lostReason: string): Promise<Attempt> {
    return new Promise<Attempt>((resolve) => {
      let connected = false;
      let ended = false;
      let connection: StreamConnection<C> | undefined;
      const markConnected = () => {
        if (connected || ended || this.stopped || !connection) return;
        connected = true;
        clearTimeout(settle);
        if (reconnecting) {
          const now = Date.now();
          this.opts.notify(`reconnected to lnd at ${this.connector.address} after ${((now - lostAtMs) / 1000).toFixed(1)} s`);
          this.opts.onGap(lostAtMs, now, lostReason);
        }
        this.opts.onSubscribed?.({ ...connection.context, reconnected: reconnecting });
      };
      const settle = setTimeout(markConnected, this.opts.settleMs ?? 2000);
      connection = this.connector.subscribe({
        onEvent: (ev) => {
          markConnected();
          this.opts.onEvent(ev);
        },
        onEnd: (status) => {
          if (ended) return;
          ended = true;
          clearTimeout(settle);
          resolve({ connected, status });
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

/** What the gRPC transport hands to `onSubscribed`: unary calls to the same node (connecting when first used). */
export interface GrpcContext {
  readonly lookups: UnaryClient & { close(): void };
}

/** The gRPC transport: TLS probe, then routerrpc.Router/SubscribeHtlcEvents on a fresh HTTP/2 connection. */
export function grpcConnector(target: LndTarget): StreamConnector<GrpcContext> {
  const ctx: ClassifyContext = subscribeContext(target);
  // One for the run: a reconnect keeps it (it has its own connection, made when first used);
  // whoever took it from onSubscribed closes it when done with it.
  const lookups = lazyUnaryClient(target, target.connectTimeoutMs);
  // Also one for the run, so a longer keepalive that lnd asked for outlives a reconnect.
  const keepalive = keepalivePolicy();
  return {
    address: ctx.address,
    async probe() {
      const r = await probeTls(target);
      // gRPC needs HTTP/2; a server that does not pick h2 (lnd's REST port ignores ALPN) cannot serve it.
      if (r.alpn !== 'h2') {
        throw new ProbeError(
          'tls',
          `${ctx.address} does not speak HTTP/2 (no h2 in the TLS handshake): is that lnd's REST port? --rpcserver wants lnd's gRPC port (rpclisten, default 10009), or use --transport rest`,
          false,
        );
      }
    },
    subscribe(handlers) {
      const connection = subscribeHtlcEvents(target, handlers, keepalive);
      return { stream: connection.stream, context: { lookups }, close: () => connection.close() };
    },
    classify: (status) => classifyStatus(status.code, status.details, ctx),
  };
}

/** The gRPC session (the default transport). */
export class LndSession extends StreamSession<GrpcContext> {
  constructor(target: LndTarget, opts: SessionOptions<GrpcContext>) {
    super(grpcConnector(target), opts);
  }
}

function shortReason(details: string): string {
  return (details.split('\n', 1)[0] ?? '').trim() || 'stream lost';
}
