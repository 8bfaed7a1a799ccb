/**
 * The recorder: the history sinks of `record`, `--record` and `demo --record`
 * (pipeline/sink.ts), on the main thread, in front of the writer thread
 * (record-worker.ts) that owns the database.
 *
 * Batching: each event is encoded at once (encode.ts) and appended to the
 * pending batch; the batch goes to the writer `commitIntervalMs` (200 ms)
 * after its first item, or at once when it holds `maxBatch` events, and at
 * close. The writer commits everything that reached it in one transaction,
 * so an event is committed well within a second of its arrival, and a
 * process killed at any instant loses at most that: SQLite's WAL never
 * leaves a half-written transaction.
 *
 * Backpressure: `event()` returns false while more than `highWater` events
 * are pending or on their way to the disk (a slow disk, another program
 * holding the write lock); the lane then pauses the node's stream until
 * `ready()` (below half the mark), so memory stays bounded.
 *
 * Nodes: a node is registered with its identity (GetInfo's pubkey, else
 * host:port) once its first subscription is up (lnd answers GetInfo then);
 * its events wait in the batch until then. Channel aliases and peer pubkeys
 * are stored as the alias book learns them (only the changed ones).
 *
 * Longer than most files (about 350 lines): batching, backpressure, the heartbeat and the writer
 * thread's life cycle share their state, and split apart they would pass it back and forth.
 */
import { Worker } from 'node:worker_threads';
import { HtlcTailError } from '../errors.js';
import type { AliasBook } from '../events/aliases.js';
import type { GapMarker, HtlcEvent } from '../events/model.js';
import type { NodeSink } from '../pipeline/sink.js';
import type { ChannelInfo } from './apply.js';
import { encodeEvent, FIELD_SEP, hasWideAmount, type Field } from './encode.js';
import type { NodeIdentity } from './nodes.js';
import type { FromWorker, ToWorker, WireSegment, WorkerSettings } from './worker-protocol.js';

export interface RecorderOptions {
  readonly retainDays?: number;
  readonly retentionIntervalMs?: number;
  readonly commitIntervalMs?: number;
  readonly maxBatch?: number;
  readonly highWater?: number;
  /** A state change worth a stderr line (the database is locked by another program). */
  readonly notify?: (msg: string) => void;
}

/** What the recorder needs of a node: its identity, asked once its stream is up. */
export interface IdentitySource {
  identity(): Promise<NodeIdentity>;
}

/** The writer thread's young generation (MB). */
const WORKER_YOUNG_MB = 8;

interface EvSegment {
  readonly t: 'ev';
  readonly node: number;
  n: number;
  /** The events' fields, EVENT_FIELDS each (encode.ts). */
  fields: Field[];
  wide: boolean;
}

type Pending = EvSegment | Exclude<WireSegment, { t: 'ev' }>;

export class Recorder {
  private pending: Pending[] = [];
  private pendingEvents = 0;
  /** Events sent per batch seq, not yet committed. */
  private readonly inflight = new Map<number, number>();
  private inflightEvents = 0;
  private seq = 0;
  private nextKey = 0;
  private readonly registered = new Set<number>();
  private readonly registering: Array<Promise<void>> = [];
  private readonly alive = new Map<number, number>();
  /** Nodes whose stream is up: marked alive every second, so a restart knows how long no recorder ran. */
  private readonly streaming = new Set<number>();
  private readonly heartbeat: NodeJS.Timeout;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private failure: Error | undefined;
  private openSinks = 0;
  private closing: Promise<void> | undefined;
  private closed!: Promise<void>;
  private busy = false;
  private readonly interval: number;
  private readonly maxBatch: number;
  private readonly highWater: number;

  private constructor(
    private readonly worker: Worker,
    /** The database's absolute path. */
    readonly file: string,
    private readonly opts: RecorderOptions,
  ) {
    this.interval = Math.min(opts.commitIntervalMs ?? 200, 1000);
    this.maxBatch = opts.maxBatch ?? 2048;
    this.highWater = opts.highWater ?? 16_384;
    this.heartbeat = setInterval(() => {
      const now = Date.now();
      for (const k of this.streaming) this.alive.set(k, now);
      if (this.streaming.size > 0) this.schedule(false);
    }, 1000);
    this.heartbeat.unref();
  }

  /** Starts the writer thread and opens (creates, migrates) the database: a bad file is a one-line exit-3 error, nothing written. */
  static async open(file: string, opts: RecorderOptions = {}): Promise<Recorder> {
    const settings: WorkerSettings = {
      file,
      retentionIntervalMs: opts.retentionIntervalMs ?? 3_600_000,
      ...(opts.retainDays !== undefined ? { retainDays: opts.retainDays } : {}),
    };
    // A small young generation: the writer's garbage is short-lived batches, and a default-sized one would add tens of MB of RSS.
    const worker = new Worker(new URL('./record-worker.js', import.meta.url), {
      workerData: settings,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    let onMessage: ((m: FromWorker) => void) | undefined;
    let onError: ((e: unknown) => void) | undefined;
    let onExit: ((code: number) => void) | undefined;
    const opened = await new Promise<string>((resolve, reject) => {
      onMessage = (m: FromWorker) => {
        if (m.t === 'open') resolve(m.file);
        else if (m.t === 'fail') reject(failureOf(m));
      };
      onError = reject;
      onExit = (code) => reject(new Error(`the history writer thread ended (${code}) before the database was open`));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    }).catch(async (err: unknown) => {
      await worker.terminate();
      throw err;
    });
    // Only our own listeners: the Worker keeps internal ones (removeAllListeners would stop its messages).
    worker.off('message', onMessage!).off('error', onError!).off('exit', onExit!);
    const rec = new Recorder(worker, opened, opts);
    rec.listen();
    return rec;
  }

  private listen(): void {
    this.closed = new Promise<void>((resolve) => {
      this.worker.on('message', (m: FromWorker) => {
        switch (m.t) {
          case 'done':
            for (const [seq, n] of this.inflight) {
              if (seq > m.seq) break;
              this.inflightEvents -= n;
              this.inflight.delete(seq);
            }
            if (this.busy) {
              this.busy = false;
              this.opts.notify?.(`history database ${this.file} is writable again`);
            }
            this.wake();
            break;
          case 'busy':
            if (!this.busy)
              this.opts.notify?.(
                `history database ${this.file} is locked by another program; retrying (events wait in memory, the stream is paused when they fill it)`,
              );
            this.busy = true;
            break;
          case 'fail':
            this.fail(failureOf(m));
            break;
          case 'closed':
            resolve();
            break;
          case 'open':
            break;
        }
      });
      this.worker.on('error', (err) => this.fail(err));
      this.worker.on('exit', () => {
        if (this.closing === undefined) this.fail(new Error('the history writer thread ended unexpectedly'));
        resolve();
      });
    });
  }

  /** The history sink of one node. */
  sink(node: IdentitySource): NodeSink {
    const key = this.nextKey++;
    this.openSinks++;
    let registration: Promise<void> | undefined;
    const known = new Map<string, string>();
    let sinkClosed = false;
    return {
      event: (ev: HtlcEvent) => this.event(key, ev),
      gap: (gap: GapMarker) => this.push({ t: 'gap', node: key, gap }),
      subscribed: () => {
        const since = Date.now();
        this.streaming.add(key);
        this.alive.set(key, since);
        if (registration) return;
        registration = node.identity().then((identity) => {
          if (this.failure !== undefined) return;
          this.post({ t: 'node', key, identity, since });
          this.registered.add(key);
          if (this.pending.length > 0) this.schedule(this.pendingEvents >= this.maxBatch);
        });
        this.registering.push(registration);
      },
      lost: () => {
        this.streaming.delete(key);
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
        if (rows.length > 0) this.push({ t: 'ch', node: key, atMs: Date.now(), rows });
      },
      ready: () => this.ready(),
      close: async () => {
        if (sinkClosed) return;
        sinkClosed = true;
        if (--this.openSinks === 0) await this.close();
      },
    };
  }

  private event(key: number, ev: HtlcEvent): boolean {
    if (this.failure !== undefined) return false;
    if (ev.event === 'subscribed') return true;
    const last = this.pending[this.pending.length - 1];
    let seg: EvSegment;
    if (last !== undefined && last.t === 'ev' && last.node === key) seg = last;
    else {
      seg = { t: 'ev', node: key, n: 0, fields: [], wide: false };
      this.pending.push(seg);
    }
    encodeEvent(ev, seg.fields);
    seg.n++;
    if (!seg.wide && hasWideAmount(ev)) seg.wide = true;
    this.pendingEvents++;
    this.schedule(this.pendingEvents >= this.maxBatch);
    return this.pendingEvents + this.inflightEvents < this.highWater;
  }

  private push(seg: Pending): void {
    if (this.failure !== undefined || this.closing !== undefined) return;
    this.pending.push(seg);
    this.schedule(false);
  }

  private schedule(now: boolean): void {
    if (now) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        this.flush();
      });
    } else if (!this.immediate) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.interval);
    }
  }

  /** Sends the pending batch to the writer (once every node in it is registered). */
  private flush(): void {
    if (this.failure !== undefined) return;
    for (const s of this.pending) if (!this.registered.has(s.node)) return; // the registration schedules again
    const alive: Array<[number, number]> = [];
    for (const [k, ms] of this.alive) if (this.registered.has(k)) alive.push([k, ms]);
    if (this.pending.length === 0 && alive.length === 0) return;
    const segs: WireSegment[] = this.pending.map((s) =>
      s.t === 'ev' ? { t: 'ev', node: s.node, n: s.n, text: s.fields.join(FIELD_SEP), wide: s.wide } : s,
    );
    const now = Date.now();
    for (const s of this.pending) if (s.t === 'ev') this.alive.set(s.node, now);
    const seq = ++this.seq;
    const events = this.pendingEvents;
    this.inflight.set(seq, events);
    this.inflightEvents += this.pendingEvents;
    this.pending = [];
    this.pendingEvents = 0;
    for (const [k] of alive) this.alive.delete(k);
    this.post({ t: 'batch', seq, events, segs, alive });
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  /** Resolves when the recorder can take more events; rejects once the writer failed. */
  ready(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.pendingEvents + this.inflightEvents < this.highWater / 2) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private wake(): void {
    if (this.waiters.length === 0 || this.pendingEvents + this.inflightEvents >= this.highWater / 2) return;
    const w = this.waiters;
    this.waiters = [];
    for (const x of w) x.resolve();
  }

  private fail(cause: unknown): void {
    if (this.failure !== undefined) return;
    const err = cause instanceof Error ? cause : new Error(String(cause));
    this.failure = err;
    clearInterval(this.heartbeat);
    void this.worker.terminate();
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    const w = this.waiters;
    this.waiters = [];
    for (const x of w) x.reject(err);
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
      if (this.timer) clearTimeout(this.timer);
      if (this.immediate) clearImmediate(this.immediate);
      this.timer = undefined;
      this.immediate = undefined;
      if (this.failure === undefined) {
        this.flush();
        this.post({ t: 'close' });
      }
      await this.closed;
      if (this.failure !== undefined) throw this.failure;
    })();
    return this.closing;
  }
}

function failureOf(m: Extract<FromWorker, { t: 'fail' }>): Error {
  if (m.kind !== null) return new HtlcTailError(m.kind, m.message);
  const err = new Error(m.message);
  if (m.stack) err.stack = m.stack;
  return err;
}
