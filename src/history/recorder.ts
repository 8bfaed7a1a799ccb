/**
 * The recorder: the history sinks of `record`, `--record` and `demo --record`
 * (pipeline/sink.ts), in front of the store's writer (writer.ts), on the
 * main thread.
 *
 * Why not a writer thread: measured both ways on the flood (2026-12-06,
 * the same batches crossing as one structured clone of plain values, the
 * thread's heap capped): 200,000 events stored in 6.2–8.5 s with a thread,
 * 4.2–5.3 s without; peak RSS 154–155 MB vs 112–118 MB (the jsonl tail:
 * 93 MB). On two cores the thread competes with the simulated lnd and the
 * decoding thread, and its own heap costs tens of MB. SQLite's calls are
 * synchronous; a batch is at most a few thousand events (a few tens of ms),
 * and a locked database is never waited on for long (`busyTimeoutMs`): the
 * writer retries at its next interval, so the live output of `--record`
 * never stalls behind the lock.
 *
 * Batching: the writer commits `commitIntervalMs` (200 ms) after the first
 * pending item, or at once when `maxBatch` are pending, and at close; so an
 * event is committed well within a second of its arrival, and a process
 * killed at any instant loses at most that: SQLite's WAL never leaves a
 * half-written transaction.
 *
 * Backpressure: `event()` returns false while more than `highWater` items
 * wait (a slow disk, another program holding the write lock); the lane then
 * pauses the node's stream until `ready()` (below half the mark), so memory
 * stays bounded.
 *
 * Nodes: a node is registered with its identity (GetInfo's pubkey, else
 * host:port) once its first subscription is up (lnd answers GetInfo then),
 * with the restart gap since a recorder last saw it (restart-gap.ts); what
 * the node sends before that waits in its sink. Channel aliases and peer
 * pubkeys are stored as the alias book learns them (only the changed ones).
 * Every second each streaming node is marked alive, so a later restart
 * knows how long no recorder ran.
 */
import type { AliasBook } from '../events/aliases.js';
import type { GapMarker, HtlcEvent, OutputItem } from '../events/model.js';
import type { NodeSink } from '../pipeline/sink.js';
import type { ChannelInfo } from './apply.js';
import type { NodeIdentity } from './nodes.js';
import { openStore, type Store } from './open.js';
import { registerRun } from './restart-gap.js';
import { isBusy } from './sqlite.js';
import { translateStoreError } from './store-errors.js';
import { StoreWriter, type NodeSink as WriterSink } from './writer.js';

export interface RecorderOptions {
  readonly retainDays?: number;
  readonly retentionIntervalMs?: number;
  readonly commitIntervalMs?: number;
  readonly maxBatch?: number;
  readonly highWater?: number;
  /** How long a commit waits for another program's write lock before retrying later (ms). */
  readonly busyTimeoutMs?: number;
  /** A state change worth a stderr line (the database is locked by another program). */
  readonly notify?: (msg: string) => void;
}

/** What the recorder needs of a node: its identity, asked once its stream is up. */
export interface IdentitySource {
  identity(): Promise<NodeIdentity>;
}

/** The writer connection's page cache (kB): the writer appends, and this holds the index pages it touches. */
const WRITER_CACHE_KB = 2048;

/** What a node's sink holds until the node is registered: an event or gap, or channel learnings. */
type Early = OutputItem | readonly ChannelInfo[];

export class Recorder {
  private readonly writer: StoreWriter;
  /** Writer sinks of the streaming nodes: marked alive every second. */
  private readonly streaming = new Set<WriterSink>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly registering: Array<Promise<void>> = [];
  /** Items held by sinks whose node is not registered yet. */
  private early = 0;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private failure: Error | undefined;
  private openSinks = 0;
  private closing: Promise<void> | undefined;
  private busy = false;
  private readonly highWater: number;

  private constructor(
    private readonly store: Store,
    private readonly opts: RecorderOptions,
  ) {
    this.highWater = opts.highWater ?? 8192;
    this.writer = new StoreWriter(store, {
      commitIntervalMs: opts.commitIntervalMs ?? 200,
      maxBatch: opts.maxBatch ?? 4096,
      highWaterMark: this.highWater,
      ...(opts.retainDays !== undefined ? { retainDays: opts.retainDays } : {}),
      ...(opts.retentionIntervalMs !== undefined ? { retentionIntervalMs: opts.retentionIntervalMs } : {}),
      onError: (err) => this.fail(err),
      onBusy: () => this.writerBusy(),
      onCommit: () => {
        if (this.busy) {
          this.busy = false;
          opts.notify?.(`history database ${this.file} is writable again`);
        }
        this.wake();
      },
    });
    this.heartbeat = setInterval(() => {
      const now = Date.now();
      for (const s of this.streaming) s.alive(now);
    }, 1000);
    this.heartbeat.unref();
  }

  /** Opens (creates, migrates) the database: a bad file is a one-line exit-3 error, nothing written. */
  static async open(file: string, opts: RecorderOptions = {}): Promise<Recorder> {
    // Opening (migrations) waits for another writer as long as any command does; from then on a
    // commit waits briefly and is retried later, so that the tail's thread never stalls behind a lock.
    const store = await openStore(file, 'write');
    store.db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 100}`);
    store.db.pragma(`cache_size = -${WRITER_CACHE_KB}`);
    return new Recorder(store, opts);
  }

  /** The database's absolute path. */
  get file(): string {
    return this.store.file;
  }

  /** The history sink of one node. */
  sink(node: IdentitySource): NodeSink {
    this.openSinks++;
    let registration: Promise<void> | undefined;
    let writer: WriterSink | undefined;
    let held: Early[] = [];
    let streaming = false;
    const known = new Map<string, string>();
    let sinkClosed = false;
    const put = (e: Early): boolean => {
      if (this.failure !== undefined) return false;
      if (writer === undefined) {
        held.push(e);
        this.early++;
        return this.early + this.writer.pending < this.highWater;
      }
      if (Array.isArray(e)) {
        writer.channels(e as readonly ChannelInfo[]);
        return true;
      }
      return writer.write(e as OutputItem);
    };
    return {
      event: (ev: HtlcEvent) => ev.event === 'subscribed' || put(ev),
      gap: (gap: GapMarker) => void put(gap),
      subscribed: () => {
        const since = Date.now();
        streaming = true;
        if (writer) {
          this.streaming.add(writer);
          writer.alive(since);
        }
        registration ??= node.identity().then(async (identity) => {
          const id = await this.register(identity, since);
          if (id === undefined) return;
          writer = this.writer.sinkFor(id);
          if (streaming) this.streaming.add(writer);
          const items = held;
          held = [];
          this.early -= items.length;
          for (const e of items) put(e);
        });
        this.registering.push(registration);
      },
      lost: () => {
        streaming = false;
        if (writer) this.streaming.delete(writer);
      },
      aliases: (book: AliasBook) => {
        const rows: ChannelInfo[] = [];
        for (const id of book.channelIds()) {
          const peerPubkey = book.pubkeyOf(id);
          const alias = book.aliasOf(id);
          const sig = `${peerPubkey ?? ''}\n${alias ?? ''}`;
          if (known.get(id) === sig) continue;
          known.set(id, sig);
          rows.push({ channelId: id, ...(peerPubkey ? { peerPubkey } : {}), ...(alias ? { alias } : {}) });
        }
        if (rows.length > 0) put(rows);
      },
      ready: () => this.ready(),
      close: async () => {
        if (sinkClosed) return;
        sinkClosed = true;
        if (--this.openSinks === 0) await this.close();
      },
    };
  }

  /**
   * Registers a node for this run (restart gap included); a database locked
   * by another program is retried. Undefined once the recorder has failed.
   */
  private async register(identity: NodeIdentity, sinceMs: number): Promise<number | undefined> {
    for (;;) {
      if (this.failure !== undefined) return undefined;
      try {
        return registerRun(this.store.db, identity, sinceMs);
      } catch (err) {
        if (!isBusy(err)) {
          this.fail(translateStoreError(this.file, err));
          return undefined;
        }
        this.writerBusy();
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private writerBusy(): void {
    if (!this.busy)
      this.opts.notify?.(
        `history database ${this.file} is locked by another program; retrying (events wait in memory, the stream is paused when they fill it)`,
      );
    this.busy = true;
  }

  /** Resolves when the recorder can take more events; rejects once the writer failed. */
  ready(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.early + this.writer.pending < this.highWater / 2) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private wake(): void {
    if (this.waiters.length === 0 || this.early + this.writer.pending >= this.highWater / 2) return;
    const w = this.waiters;
    this.waiters = [];
    for (const x of w) x.resolve();
  }

  private fail(cause: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = cause instanceof Error ? cause : new Error(String(cause));
    clearInterval(this.heartbeat);
    const w = this.waiters;
    this.waiters = [];
    for (const x of w) x.reject(this.failure);
  }

  /** The error that stopped the writer, if any. */
  get failed(): unknown {
    return this.failure;
  }

  /** Writes everything pending and closes the database; rejects with the writer's failure. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.heartbeat);
      await Promise.all(this.registering);
      try {
        if (this.failure === undefined) await this.writer.close();
      } catch (err) {
        this.fail(err);
      } finally {
        this.store.close();
      }
      if (this.failure !== undefined) throw this.failure;
    })();
    return this.closing;
  }
}
