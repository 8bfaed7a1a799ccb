/**
 * The history writer: `record`, `--record` and `demo --record` write through
 * it (recorder.ts: node registration, heartbeat, notices in front of it), and
 * so do `npm run week` (fill-week.ts), a report's capture and the tests.
 *
 * Items are queued in memory and committed in one transaction per batch
 * (apply.ts): `commitIntervalMs` (default 200 ms) after the first pending item,
 * or as soon as `maxBatch` items are pending, and at `flush()`/`close()`. So a
 * process killed at any instant loses at most the items of the last
 * interval, and SQLite's WAL never leaves a half-written batch.
 *
 * Backpressure: `write()` returns false while more than `highWaterMark` items
 * wait (a slow disk, or another program holding the write lock); the caller
 * then stops reading its stream until `ready()` resolves (the queue drained
 * below half the mark), so memory stays bounded.
 *
 * `htlcs`: a small batch derives it in its transaction (apply.ts); what a
 * burst left is derived in steps between batches once they are small again,
 * and the rest at close (derive.ts).
 *
 * Checkpoints: SQLite copies the WAL into the database file (and syncs both)
 * in a checkpoint. Left to SQLite's default (every 1,000 pages, inside the
 * commit that crosses it), a burst paid for a checkpoint every few thousand
 * events, on the stream's thread: about 1.5 µs per event of the flood,
 * against 3.4 µs for the batch's inserts (measured with --cpu-prof on 200,000
 * events). Now a batch that is part of a burst leaves the WAL to grow, up
 * to `walCapPages` (SQLite checkpoints it itself beyond that, so the WAL
 * stays bounded in a flood that does not end), and a small batch checkpoints
 * it, at most every `checkpointEveryMs`. So a quiet recorder's commits are on
 * disk within seconds even through a power cut (SQLite syncs the WAL only at a
 * checkpoint; with its default, a quiet node went days between them).
 *
 * Failures: a busy database is retried at the next interval; any other error
 * (disk full, read-only, corrupt) is fatal: it is translated to a one-line
 * configuration error, given to `onError`, and rejects `ready()`/`close()`.
 *
 * `--retain DAYS`: every `retentionIntervalMs` (and once at start) events,
 * HTLC rows and gaps older than DAYS (lnd's clock) are deleted in batches of
 * `pruneBatch` rows, each its own short transaction, yielding in between.
 */
import type { OutputItem } from '../events/model.js';
import {
  DERIVE_BELOW,
  DERIVE_STEP,
  prepareBatch,
  type BatchStatements,
  type ChannelInfo,
  type PendingWrite,
} from './apply.js';
import { registerNode, type NodeIdentity } from './nodes.js';
import { pruneStep } from './retention.js';
import type { Store } from './open.js';
import { isBusy } from './sqlite.js';
import { translateStoreError } from './store-errors.js';

export interface StoreWriterOptions {
  readonly commitIntervalMs?: number;
  readonly maxBatch?: number;
  readonly highWaterMark?: number;
  /** Delete history older than this many days; undefined keeps everything. */
  readonly retainDays?: number;
  readonly retentionIntervalMs?: number;
  readonly pruneBatch?: number;
  /** The WAL's size (pages) at which SQLite checkpoints it inside a commit (default WAL_CAP_PAGES). */
  readonly walCapPages?: number;
  /** How often a small batch checkpoints the WAL at most (ms; default CHECKPOINT_EVERY_MS). */
  readonly checkpointEveryMs?: number;
  /** Called once with the error that stopped the writer. */
  readonly onError?: (err: unknown) => void;
  /** Called after each commit with the number of items committed so far. */
  readonly onCommit?: (committed: number) => void;
  /** Called when a commit found the database locked and will retry. */
  readonly onBusy?: (detail: string) => void;
  readonly now?: () => number;
}

/** One node's way into the writer. */
export interface NodeSink {
  readonly nodeId: number;
  /** Queues an event or gap; false when the queue is above its mark (wait for `writer.ready()`). */
  write(item: OutputItem): boolean;
  /** Queues what was learned about channels (peer pubkey, alias). */
  channels(rows: readonly ChannelInfo[]): void;
  /** Notes that the node's stream was alive at `ms` (stored as the node's last_seen_ms at the next commit). */
  alive(ms: number): void;
}

/** The WAL's cap during a burst: 16,384 pages, 64 MB of 4 kB pages (about 400,000 events). */
export const WAL_CAP_PAGES = 16_384;
/** A quiet writer checkpoints at most this often. */
export const CHECKPOINT_EVERY_MS = 5_000;

export class StoreWriter {
  private queue: PendingWrite[] = [];
  private alive = new Map<number, number>();
  private readonly stmts: BatchStatements;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private retention: NodeJS.Timeout | undefined;
  private pruning = false;
  /** The last batch was small: the stream is at a normal pace, derivation steps may run between batches. */
  private quiet = true;
  private deriving: NodeJS.Timeout | undefined;
  /** When the last checkpoint ran (this.now()). */
  private checkpointedAt: number;
  /** The last commit found the database locked: the next try waits for its timer. */
  private retrying = false;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private failure: Error | undefined;
  private closed = false;
  private readonly interval: number;
  private readonly maxBatch: number;
  private readonly highWater: number;
  private readonly now: () => number;
  /** Items committed so far (for tests and stats). */
  committed = 0;

  constructor(
    readonly store: Store,
    private readonly opts: StoreWriterOptions = {},
  ) {
    if (store.mode !== 'write') throw new Error('StoreWriter needs a store opened for writing');
    this.interval = Math.min(opts.commitIntervalMs ?? 200, 1000);
    this.maxBatch = opts.maxBatch ?? 5000;
    this.highWater = opts.highWaterMark ?? 50_000;
    this.now = opts.now ?? Date.now;
    this.stmts = prepareBatch(store.db);
    store.db.pragma(`wal_autocheckpoint = ${opts.walCapPages ?? WAL_CAP_PAGES}`);
    this.checkpointedAt = this.now();
    if (opts.retainDays !== undefined) {
      this.retention = setInterval(() => this.prune(), opts.retentionIntervalMs ?? 3_600_000);
      this.retention.unref();
      setImmediate(() => this.prune());
    }
  }

  /** Registers the node (identity, names) now and returns its sink. */
  node(identity: NodeIdentity): NodeSink {
    return this.sinkFor(this.guard(() => registerNode(this.store.db, identity, this.now())));
  }

  /** The sink of a node registered already (its id in `nodes`). */
  sinkFor(nodeId: number): NodeSink {
    return {
      nodeId,
      write: (item) =>
        this.push(
          item.event === 'gap' ? { t: 'gap', node: nodeId, gap: item } : { t: 'event', node: nodeId, ev: item },
        ),
      channels: (rows) => void this.push({ t: 'channels', node: nodeId, atMs: this.now(), rows }),
      alive: (ms) => {
        if (this.failure !== undefined || this.closed) return;
        if (ms > (this.alive.get(nodeId) ?? 0)) this.alive.set(nodeId, ms);
        this.scheduleCommit();
      },
    };
  }

  get pending(): number {
    return this.queue.length;
  }

  private push(w: PendingWrite): boolean {
    if (this.failure !== undefined || this.closed) return false;
    this.queue.push(w);
    if (this.queue.length >= this.maxBatch && !this.retrying) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        this.commit();
      });
    } else this.scheduleCommit();
    return this.queue.length < this.highWater;
  }

  /** A commit `commitIntervalMs` from now, unless one is due already. */
  private scheduleCommit(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.commit();
    }, this.interval);
  }

  /** Resolves when the queue is below half its mark; rejects when the writer has failed. */
  ready(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.queue.length < this.highWater / 2) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Commits everything pending now (synchronously). Throws the writer's failure. */
  flush(): void {
    this.commit();
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * Commits what is pending and stops; the store stays open (its owner closes
   * it). A database locked by another program is retried until the commit
   * goes through (or fails otherwise).
   */
  async close(): Promise<void> {
    this.commit();
    while (this.retrying && this.failure === undefined) {
      this.clearTimers();
      await new Promise((r) => setTimeout(r, this.interval));
      this.commit();
    }
    this.clearTimers();
    this.closed = true;
    if (this.deriving) clearTimeout(this.deriving);
    await this.deriveAll();
    if (this.retention) clearInterval(this.retention);
    if (this.failure !== undefined) throw this.failure;
  }

  /** The next derivation step, soon (other work first). */
  private deriveLater(): void {
    this.deriving ??= setTimeout(() => {
      this.deriving = undefined;
      if (!this.quiet || this.closed || this.failure !== undefined) return; // a burst again: later
      let lag: number;
      try {
        lag = this.stmts.derive(DERIVE_STEP);
      } catch (err) {
        if (!isBusy(err)) this.fail(translateStoreError(this.store.file, err));
        return; // busy: the next small batch goes on
      }
      if (lag > 0) this.deriveLater();
    }, 1);
  }

  /** Derives everything left into `htlcs` (at close); a locked database is retried. */
  private async deriveAll(): Promise<void> {
    while (this.failure === undefined) {
      try {
        if (this.stmts.derive(4 * DERIVE_STEP) === 0) return;
      } catch (err) {
        if (!isBusy(err)) {
          this.fail(translateStoreError(this.store.file, err));
          return;
        }
        await new Promise((r) => setTimeout(r, this.interval));
      }
    }
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private commit(): void {
    this.clearTimers();
    if (this.failure !== undefined || (this.queue.length === 0 && this.alive.size === 0)) return;
    const items = this.queue;
    const alive = this.alive;
    // A node whose events are in this batch was alive now.
    const now = this.now();
    let last = -1;
    for (const it of items) {
      if (it.node !== last && (alive.get(it.node) ?? 0) < now) alive.set(it.node, now);
      last = it.node;
    }
    let lag: number;
    try {
      lag = this.stmts.apply(items, alive);
    } catch (err) {
      if (isBusy(err)) {
        // Another program holds the write lock past busy_timeout: keep the items, try again later.
        this.opts.onBusy?.(String((err as { message?: unknown }).message ?? err));
        this.retrying = true;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.commit();
        }, this.interval);
        return;
      }
      this.fail(translateStoreError(this.store.file, err));
      return;
    }
    this.retrying = false;
    this.committed += items.length;
    this.queue = [];
    this.alive = new Map();
    this.opts.onCommit?.(this.committed);
    // A small batch derived part of what a burst left (apply.ts): the rest follows, step by step, while it stays quiet.
    this.quiet = items.length < DERIVE_BELOW;
    if (lag > 0 && this.quiet) this.deriveLater();
    if (this.quiet) this.checkpointWhenDue(now);
    if (this.waiters.length > 0) {
      const w = this.waiters;
      this.waiters = [];
      for (const x of w) x.resolve();
    }
  }

  /** A quiet batch's checkpoint, at most every checkpointEveryMs (PASSIVE: it never waits for readers). */
  private checkpointWhenDue(now: number): void {
    if (now - this.checkpointedAt < (this.opts.checkpointEveryMs ?? CHECKPOINT_EVERY_MS)) return;
    this.checkpointedAt = now;
    try {
      this.store.db.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      if (!isBusy(err)) this.fail(translateStoreError(this.store.file, err));
    }
  }

  private fail(err: unknown): void {
    this.failure = err instanceof Error ? err : new Error(String(err));
    this.clearTimers();
    if (this.deriving) clearTimeout(this.deriving);
    if (this.retention) clearInterval(this.retention);
    const w = this.waiters;
    this.waiters = [];
    for (const x of w) x.reject(err);
    this.opts.onError?.(err);
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw translateStoreError(this.store.file, err);
    }
  }

  /** One retention pass, in small transactions, yielding to the event loop between them. */
  private prune(): void {
    const days = this.opts.retainDays;
    if (days === undefined || this.pruning || this.closed || this.failure !== undefined) return;
    this.pruning = true;
    const cutoffNs = BigInt(Math.round(this.now() - days * 86_400_000)) * 1_000_000n;
    const step = () => {
      if (this.closed || this.failure !== undefined) {
        this.pruning = false;
        return;
      }
      let more: boolean;
      try {
        more = pruneStep(this.store.db, cutoffNs, this.opts.pruneBatch ?? 2000);
      } catch (err) {
        this.pruning = false;
        if (isBusy(err)) return; // next pass
        this.fail(translateStoreError(this.store.file, err));
        return;
      }
      if (more) setImmediate(step);
      else this.pruning = false;
    };
    step();
  }
}
