/**
 * One node's share of a live tail: its lane of the pipeline (correlator,
 * statistics, alias book, hold), its alias loader and summary, and its event
 * source (the NodeConnection's session), wired together. run-tail.ts makes
 * one per node and feeds them all into one output.
 */
import type { Config } from '../config/types.js';
import { unmatchedAliasWarnings } from '../events/alias-suggest.js';
import { AliasBook } from '../events/aliases.js';
import { makeFilter } from '../events/filter.js';
import type { EventSource, NodeConnection } from '../transport/node-connection.js';
import { AliasLoader } from './alias-loader.js';
import { NodeLane } from './lane.js';
import type { NodeNames } from './node-names.js';
import type { Notify } from './notices.js';
import type { OutputStage } from './output.js';
import type { NodeSink } from './sink.js';
import { SummaryPrinter } from './summary-printer.js';

export class NodeTail {
  readonly lane: NodeLane;
  readonly source: EventSource;
  private readonly book: AliasBook | undefined;
  private readonly loader: AliasLoader | undefined;
  private readonly summary: SummaryPrinter;
  /** The node's name in this run, once claimed (a node without a profile; see node-names.ts). */
  private named: string | undefined;
  /** A sink's writer failed (history: disk full, database gone read-only): the run ends with this error. */
  private sinkFailure: { readonly error: unknown } | undefined;

  constructor(
    readonly node: NodeConnection,
    private readonly config: Config,
    output: OutputStage,
    private readonly notify: Notify,
    /** What else sees every event of this node: history, metrics (pipeline/sink.ts). */
    private readonly sinks: readonly NodeSink[] = [],
    /** Set when the run tails several nodes: events and gaps then carry the node's name (lane.ts), unique in the run. */
    private readonly names?: NodeNames,
    /** false: nothing is printed (`record`), so nothing is filtered or formatted. */
    printing = true,
  ) {
    const book = config.output.aliases ? new AliasBook() : undefined;
    const loader = book ? new AliasLoader(book, notify, () => sinks.forEach((s) => s.aliases?.(book))) : undefined;
    this.book = book;
    this.loader = loader;
    this.lane = new NodeLane({
      output,
      collectStats: config.output.stats,
      filter: printing ? makeFilter(config.filter, book ? (id: string) => book.aliasOf(id) : undefined) : () => false,
      aliases: book,
      sinks,
      onUnknownChannel: loader ? () => loader.refreshSoon() : undefined,
      pause: () => this.source.pause(),
      resume: () => this.source.resume(),
      onSinkFailure: (err) => {
        this.sinkFailure ??= { error: err };
        this.source.stop();
      },
    });
    // A profile names the node at once; otherwise its alias does, once GetInfo told it (see subscribed()).
    if (names && node.config.profile !== null) this.lane.label(node.config.profile);
    this.summary = new SummaryPrinter(config.output, this.lane, book, names ? () => this.name : undefined);
    this.source = node.open({
      notify,
      onEvent: (ev) => this.lane.push(ev),
      onGap: (from, to, reason) => this.lane.gap(from, to, reason),
      onSubscribed: (reconnected) => this.subscribed(reconnected),
      onLost: (reason) => sinks.forEach((s) => s.lost(reason)),
    });
  }

  /**
   * A subscription is established: lookups for aliases and the block height.
   * The first time, events wait for the first alias load and, for a node of
   * several without a profile name, for GetInfo (its alias names the node,
   * else host:port), so every line of the node carries the same name.
   */
  private subscribed(reconnected: boolean): void {
    if (!reconnected) this.notify('subscribed to HTLC events', 'info');
    for (const s of this.sinks) s.subscribed(reconnected);
    const lookups = this.node.lookups();
    this.summary.setLookups(lookups);
    const { loader, book, node } = this;
    loader?.setLookups(lookups);
    if (reconnected) return;
    const waits: Promise<unknown>[] = [];
    const names = this.names;
    if (names && node.config.profile === null) {
      waits.push(
        node.identity().then(() => {
          if (this.named !== undefined) return;
          this.named = names.claim(node.name, node.address);
          this.lane.label(this.named);
        }),
      );
    }
    if (loader && book) {
      waits.push(
        loader.load().finally(() => {
          if (book.isLoaded)
            for (const w of unmatchedAliasWarnings(this.config.filter, book.knownAliases()))
              this.notify(`warning: ${w}`);
        }),
      );
    }
    if (waits.length === 0) return;
    this.lane.hold();
    void Promise.allSettled(waits).then(() => this.lane.release());
  }

  /** What this run calls the node (several nodes): its profile name, else its claimed alias, else what the connection says. */
  get name(): string {
    return this.named ?? this.node.name;
  }

  /** Runs the node's source to its end; a sink's failure ends it with that error. */
  async run(): Promise<void> {
    await this.source.run();
    if (this.sinkFailure) throw this.sinkFailure.error;
  }

  startInterval(): void {
    this.summary.startInterval();
  }

  /** The tail is stopping: no new lookups; the source stops at once. */
  stop(): void {
    this.loader?.close();
    this.source.stop();
  }

  /**
   * The source ended. When it ended by itself (not stopped) while the first
   * alias lookup was still running, that lookup may finish (bounded by its
   * deadline), so the events held for it get their aliases; then they go out.
   */
  async drain(stopping: boolean): Promise<void> {
    this.summary.stopInterval();
    if (!stopping) await this.loader?.idle();
    this.loader?.close();
    // Events held while GetInfo had not named the node yet go out under the name it has now.
    if (this.names && this.named === undefined && this.node.config.profile === null) {
      this.named = this.names.claim(this.node.name, this.node.address);
      this.lane.label(this.named);
    }
    this.lane.release();
  }

  printSummary(): void {
    this.summary.printFinal();
  }

  /** The run ends: the sinks write what is pending (after the last event), the node's connection closes. */
  async close(): Promise<void> {
    for (const s of this.sinks) await s.close();
    this.node.close();
  }
}
