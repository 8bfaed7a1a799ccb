/**
 * The live tail's `--since TIME` / `--tail N`: a node's recorded events
 * first, then its live ones, nothing lost or doubled at the seam.
 *
 * The node's connection is wrapped (`withHistorySeam`) so that its event
 * source does, in this order:
 * 1. subscribe (the session as usual); live events and gaps from now on are
 *    held here, in order;
 * 2. once subscribed, find the node in the store by its identity (GetInfo's
 *    pubkey, else host:port, as the recorder keys it); when a recorder wrote
 *    for it in the last minute, wait until a second after the subscription
 *    (the recorder commits at least once a second), so an event it received
 *    just before our subscription is in the store when we read it;
 * 3. read the store (history/read.ts: `--since` by the time index, `--tail`
 *    from the end of the id order) and hand its events to the tail as
 *    recorded ones (`toRecorded`: their correlation as recorded), in slices,
 *    pausing while the output is full; an event already held from the live
 *    side is left to it (so the output stays in receive order, and `--tail N`
 *    means the last N before the seam);
 * 4. hand over the held live items, dropping each event the store already
 *    gave (seam.ts: same node, timestamp, four ids and kind), then go live.
 *
 * Memory: at most HOLD_PAUSE_AT live items are held before the stream is
 * paused until the store is read. A failure while reading the store (after
 * the checked open) is a warning and the tail goes on live. Stopping (Ctrl-C,
 * --count) abandons the read; live events already received are still handed
 * over, so none is lost.
 */
import type { TailHistorySelection } from '../config/tail-history.js';
import type { GapMarker, HtlcEvent, OutputItem } from '../events/model.js';
import type { EventSource, NodeConnection, NodeStreamHooks } from '../transport/node-connection.js';
import { listNodes } from './nodes.js';
import type { Store } from './open.js';
import { lastSeenMs, readHistory, readLastEvents, toRecorded, type StoredItem } from './read.js';
import { eventKey, SeamDeduper } from './seam.js';

export interface SeamOptions {
  /** This node's own read connection to the store (checked and opened at start). */
  readonly store: Store;
  readonly select: TailHistorySelection;
  /** This run records into the same store (`--record`): a node it does not know yet is new, and says nothing. */
  readonly recording?: boolean;
  /** Wall clock (tests). */
  readonly nowMs?: () => number;
}

/** Live items held while the store is read beyond this many pause the stream. */
const HOLD_PAUSE_AT = 10_000;
/** Stored items handed over between two turns of the event loop. */
const SLICE = 1000;
/** Recorded events this much older than the subscription cannot arrive live (lnd does not replay them); a margin for clock skew. */
const SEAM_MARGIN_NS = 10n * 60n * 1_000_000_000n;
/** A recorder commits at least this often. */
const RECORDER_COMMIT_MS = 1000;

/** The connection with its event source behind the seam (everything else is the connection's own). */
export function withHistorySeam(conn: NodeConnection, o: SeamOptions): NodeConnection {
  // A view of the connection (its state and lookups are the connection's own) whose open() puts the seam in front.
  const wrapped = Object.create(conn) as NodeConnection;
  wrapped.open = (hooks) => new HistorySeam(wrapped, hooks, o, (inner) => conn.open(inner));
  return wrapped;
}

class HistorySeam implements EventSource {
  private readonly inner: EventSource;
  private state: 'before' | 'reading' | 'live' = 'before';
  private held: OutputItem[] = [];
  private firstLiveNs: bigint | undefined;
  private dedupe: SeamDeduper | undefined;
  /** Asked to pause by the tail (its output or its hold is full). */
  private paused = false;
  private innerPaused = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private cancelSleep: (() => void) | undefined;
  /** Resolves (with undefined) when stopped. */
  private readonly stopping: Promise<undefined>;
  private resolveStopping: (v: undefined) => void = () => undefined;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly conn: NodeConnection,
    private readonly hooks: NodeStreamHooks,
    private readonly o: SeamOptions,
    open: (hooks: NodeStreamHooks) => EventSource,
  ) {
    this.stopping = new Promise((resolve) => (this.resolveStopping = resolve));
    this.inner = open({
      notify: hooks.notify,
      onEvent: (ev) => this.live(ev),
      onGap: (fromMs, toMs, reason) => this.liveGap({ event: 'gap', fromMs, toMs, reason }),
      onSubscribed: (reconnected) => this.subscribed(reconnected),
      onLost: (reason) => hooks.onLost?.(reason),
    });
  }

  async run(): Promise<void> {
    try {
      await this.inner.run();
    } finally {
      // The stream ended (or was stopped): finish (or abandon) the read, then hand over what was held.
      await this.reading;
      this.goLive();
    }
  }

  pause(): void {
    this.paused = true;
    this.syncPause();
  }

  resume(): void {
    this.paused = false;
    this.syncPause();
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.inner.stop();
    this.wake?.();
    this.cancelSleep?.();
    this.resolveStopping(undefined);
  }

  private syncPause(): void {
    const want = this.paused || (this.state !== 'live' && this.held.length >= HOLD_PAUSE_AT);
    if (want === this.innerPaused) return;
    this.innerPaused = want;
    if (want) this.inner.pause();
    else this.inner.resume();
  }

  private live(ev: HtlcEvent): void {
    if (this.state !== 'live') {
      if (this.firstLiveNs === undefined && ev.event !== 'subscribed') this.firstLiveNs = BigInt(ev.timestampNs);
      this.held.push(ev);
      if (this.held.length === HOLD_PAUSE_AT) this.syncPause();
      return;
    }
    if (this.dedupe?.seenLive(ev)) return;
    this.hooks.onEvent(ev);
  }

  private liveGap(gap: GapMarker): void {
    if (this.state !== 'live') this.held.push(gap);
    else this.hooks.onGap(gap.fromMs, gap.toMs, gap.reason);
  }

  private subscribed(reconnected: boolean): void {
    this.hooks.onSubscribed(reconnected);
    if (this.state !== 'before') return;
    this.state = 'reading';
    const subscribedMs = this.now();
    this.reading = this.read(subscribedMs)
      .catch((err: unknown) => {
        const msg = err instanceof Error ? err.message : String(err);
        this.hooks.notify(
          `warning: reading the history database ${this.o.store.file} failed (${msg.replace(/\s*\n\s*/g, ' ')}); going on live`,
        );
      })
      .finally(() => this.goLive());
  }

  private now(): number {
    return this.o.nowMs ? this.o.nowMs() : Date.now();
  }

  private async read(subscribedMs: number): Promise<void> {
    // GetInfo (asked once per connection); a stop does not wait for a node that does not answer.
    const who = await Promise.race([this.conn.identity(), this.stopping]);
    if (who === undefined || this.stopped) return;
    const { identity } = who;
    const db = this.o.store.db;
    const node = listNodes(db).find((n) => n.identity === identity);
    if (node === undefined) {
      if (!this.o.recording)
        this.hooks.notify(
          `${this.o.store.file} holds no recorded events of this node (${identity}) yet; going on live`,
        );
      return;
    }
    const seen = lastSeenMs(db, node.id);
    if (seen !== undefined && seen >= subscribedMs - 60_000) {
      const wait = subscribedMs + RECORDER_COMMIT_MS - this.now();
      if (wait > 0) await this.sleep(wait);
    }
    const subscribedNs = BigInt(Math.round(subscribedMs)) * 1_000_000n - SEAM_MARGIN_NS;
    const first = this.firstLiveNs;
    const dedupe = new SeamDeduper(
      first !== undefined && first - SEAM_MARGIN_NS < subscribedNs ? first - SEAM_MARGIN_NS : subscribedNs,
    );
    this.dedupe = dedupe;
    // Events already received live are printed from the live side, in their place: the store's copies are skipped.
    const held = new Set<string>();
    for (const it of this.held) if (it.event !== 'gap') held.add(eventKey(it));
    const sel = this.o.select;
    let items: Generator<StoredItem>;
    if ('last' in sel) {
      // The last N before the seam: the held events the store has are its newest ones.
      let inStore = 0;
      if (held.size > 0)
        for (const x of readLastEvents(db, [node.id], held.size))
          if (x.item.event !== 'gap' && held.has(eventKey(x.item))) inStore++;
      items = readLastEvents(db, [node.id], sel.last + inStore);
    } else {
      items = readHistory(db, { nodes: [node.id], sinceNs: sel.sinceNs });
    }
    try {
      await this.handOver(items, dedupe, held);
    } finally {
      items.return(undefined);
    }
  }

  private async handOver(items: Generator<StoredItem>, dedupe: SeamDeduper, held: ReadonlySet<string>): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      if (this.paused) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      for (let n = 0; n < SLICE && !this.paused && !this.stopped; n++) {
        const next = items.next();
        if (next.done) return;
        const item = next.value.item;
        if (item.event === 'gap') {
          this.hooks.onGap(item.fromMs, item.toMs, item.reason);
        } else if (!held.has(eventKey(item))) {
          dedupe.recorded(item);
          this.hooks.onEvent(toRecorded(item));
        }
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Waits `ms`, or less when stopped. */
  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.cancelSleep = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.cancelSleep = undefined;
  }

  /** The live items held while the store was read, less those it gave; then live. */
  private goLive(): void {
    if (this.state === 'live') return;
    this.state = 'live';
    const held = this.held;
    this.held = [];
    for (const item of held) {
      if (item.event === 'gap') this.hooks.onGap(item.fromMs, item.toMs, item.reason);
      else if (!this.dedupe?.seenLive(item)) this.hooks.onEvent(item);
    }
    this.syncPause();
  }
}
