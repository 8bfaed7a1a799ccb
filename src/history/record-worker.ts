/**
 * The writer thread of `record` and `--record` (node:worker_threads): it
 * owns the database connection, so SQLite's work runs beside the stream's
 * decoding instead of after it. The recorder (recorder.ts) sends it nodes,
 * batches of segments (apply.ts) and `close`; everything that arrived while
 * a transaction ran is committed in the next one, so commits follow the
 * recorder's pace (at least once a second) and never queue up.
 *
 * A busy database (another program holding the write lock past
 * busy_timeout) is retried; any other failure is final: it is sent back as
 * the one-line message and exit code of the error, and the thread stops
 * writing. `--retain DAYS` runs here too, in small transactions between
 * batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HtlcTailError } from '../errors.js';
import { prepareEncoded, type Segment } from './apply.js';
import { registerRun } from './restart-gap.js';
import { openStore, type Store } from './open.js';
import { pruneStep } from './retention.js';
import { sqliteCode } from './sqlite.js';
import { translateStoreError } from './store-errors.js';
import type { FromWorker, ToWorker, WorkerSettings } from './worker-protocol.js';

/** Events per transaction at most: enough to amortize a commit, few enough to keep the thread's heap small. */
const TX_EVENTS = 4096;

/** The writer connection's page cache (kB). */
const WRITER_CACHE_KB = 4096;

const port = parentPort!;
const settings = workerData as WorkerSettings;
const post = (m: FromWorker) => port.postMessage(m);

function failWith(file: string, err: unknown): void {
  const e = translateStoreError(file, err);
  const kind = e instanceof HtlcTailError ? e.kind : null;
  post({
    t: 'fail',
    message: e instanceof Error ? e.message : String(e),
    kind,
    stack: kind === null && e instanceof Error ? (e.stack ?? '') : '',
  });
}

class Writer {
  private queue: Array<Extract<ToWorker, { t: 'batch' }>> = [];
  private readonly nodes = new Map<number, number>();
  private alive = new Map<number, number>();
  private readonly stmts;
  private scheduled = false;
  private retry: NodeJS.Timeout | undefined;
  private failed = false;
  private closing = false;
  private pruning = false;

  constructor(private readonly store: Store) {
    this.stmts = prepareEncoded(store.db);
    if (settings.retainDays !== undefined) {
      setInterval(() => this.prune(), settings.retentionIntervalMs).unref();
      setImmediate(() => this.prune());
    }
  }

  receive(m: ToWorker): void {
    if (this.failed) return;
    switch (m.t) {
      case 'node':
        try {
          this.nodes.set(m.key, registerRun(this.store.db, m.identity, m.since));
        } catch (err) {
          this.fail(err);
        }
        return;
      case 'batch':
        this.queue.push(m);
        for (const [k, ms] of m.alive) if (ms > (this.alive.get(k) ?? 0)) this.alive.set(k, ms);
        this.schedule();
        return;
      case 'close':
        this.closing = true;
        this.schedule();
        return;
    }
  }

  private schedule(): void {
    if (this.scheduled || this.retry) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.commit();
    });
  }

  private nodeId(key: number): number {
    const id = this.nodes.get(key);
    if (id === undefined) throw new Error(`history writer: node ${key} not registered`);
    return id;
  }

  private commit(): void {
    if (this.failed) return;
    // At most TX_EVENTS per transaction (the rest in the next one, at once), so the decoded fields stay short-lived.
    let take = 0;
    for (let n = 0; take < this.queue.length && (take === 0 || n + this.queue[take]!.events <= TX_EVENTS); take++)
      n += this.queue[take]!.events;
    const batches = this.queue.slice(0, take);
    if (batches.length > 0) {
      const segs: Segment[] = [];
      for (const b of batches) for (const s of b.segs) segs.push({ ...s, node: this.nodeId(s.node) });
      const alive = new Map<number, number>();
      for (const [k, ms] of this.alive) alive.set(this.nodeId(k), ms);
      try {
        this.stmts.apply(segs, alive);
      } catch (err) {
        const code = sqliteCode(err);
        if (code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) {
          post({ t: 'busy', detail: String((err as { message?: unknown }).message ?? err) });
          this.retry = setTimeout(() => {
            this.retry = undefined;
            this.commit();
          }, 200);
          return;
        }
        this.fail(err);
        return;
      }
      this.queue = this.queue.slice(take);
      this.alive = new Map();
      post({ t: 'done', seq: batches[batches.length - 1]!.seq });
      if (this.queue.length > 0) {
        this.schedule();
        return;
      }
    }
    if (this.closing && this.queue.length === 0) {
      this.store.close();
      post({ t: 'closed' });
      port.close();
    }
  }

  private fail(err: unknown): void {
    this.failed = true;
    failWith(this.store.file, err);
    this.store.close();
    port.close();
  }

  /** One retention pass, in small transactions, between batches. */
  private prune(): void {
    const days = settings.retainDays;
    if (days === undefined || this.pruning || this.failed || this.closing) return;
    this.pruning = true;
    const cutoffNs = BigInt(Math.round(Date.now() - days * 86_400_000)) * 1_000_000n;
    const step = () => {
      if (this.failed || this.closing) {
        this.pruning = false;
        return;
      }
      let more: boolean;
      try {
        more = pruneStep(this.store.db, cutoffNs, 2000);
      } catch (err) {
        this.pruning = false;
        if (!sqliteCode(err)?.startsWith('SQLITE_BUSY')) this.fail(err);
        return;
      }
      if (more) setImmediate(step);
      else this.pruning = false;
    };
    step();
  }
}

async function start(): Promise<void> {
  let store: Store;
  try {
    store = await openStore(settings.file, 'write');
  } catch (err) {
    failWith(settings.file, err);
    port.close();
    return;
  }
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection; the writer mostly appends,
  // and 4 MB holds the index pages it touches (part of the recorder's RSS budget).
  store.db.pragma(`cache_size = -${WRITER_CACHE_KB}`);
  const writer = new Writer(store);
  port.on('message', (m: ToWorker) => writer.receive(m));
  post({ t: 'open', file: store.file });
}

void start();
