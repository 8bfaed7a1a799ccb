/**
 * Runs a live tail: each node's event source into its lane of the pipeline
 * (node-tail.ts), all lanes into one output (output.ts) in arrival order,
 * with the output writer, signals, --count, alias lookups and the summaries.
 * Shared by `htlc-tail` and `htlc-tail demo`, so both behave the same. It
 * takes a list of nodes: with several, every line carries the node's name
 * (the `node` key, a node column), each node's notices and summary name it,
 * and a failure that retrying cannot fix on any node ends the run (its
 * message prefixed with the node's name); a node that is down or
 * reconnecting never holds up the others.
 *
 * Signals: SIGINT/SIGTERM are handled from the start (runtime/stop-signals.ts)
 * to the exit of the process. The first one stops the sources (a pending
 * connect, probe or backoff is abandoned at once); every event already
 * received is still written and the summary printed; later signals change
 * nothing. The final flush waits for a slow reader, but after a signal it
 * gives up once stdout has taken nothing for a few seconds, says on stderr
 * what was not written, and the process exits 0 (output/bounded-flush.ts).
 */
import type { Config } from '../config/types.js';
import { flushBounded, STALL_MS } from '../output/bounded-flush.js';
import { createLineWriter, type LineWriter } from '../output/writer.js';
import { nodeColumnWidth, outputFormatContext } from '../runtime/format-context.js';
import { HtlcTailError } from '../errors.js';
import { StopSignals } from '../runtime/stop-signals.js';
import type { NodeConnection } from '../transport/node-connection.js';
import { proxyNotice } from '../transport/proxy-env.js';
import { NodeNames } from './node-names.js';
import { NodeTail } from './node-tail.js';
import { nodeNotify, stderrNotify, type Notify } from './notices.js';
import { OutputStage } from './output.js';
import type { SinkFactory } from './sink.js';

/** The output of a run that prints nothing (`record`): every line is dropped. */
function discardWriter(): LineWriter {
  return {
    write: () => true,
    onDrain: (cb) => cb(),
    flush: () => Promise.resolve(),
    closed: false,
    pending: () => ({ lines: 0, bytes: 0 }),
    progress: 0,
  };
}

export async function runTail(
  config: Config,
  nodes: readonly NodeConnection[],
  notify: Notify = stderrNotify(),
  signals: StopSignals = new StopSignals(),
  /** The sinks of each node besides the output (history, metrics); none by default. */
  sinksOf: SinkFactory = () => [],
  /** print false: no event output at all (`record`): the sinks and the summary only. */
  opts: { readonly print?: boolean } = {},
): Promise<number> {
  const print = opts.print !== false;
  const tails: NodeTail[] = [];
  const several = nodes.length > 1;
  let stopping = false;
  const stop = () => {
    stopping = true;
    for (const t of tails) t.stop();
  };
  const writer = print ? createLineWriter(process.stdout, stop) : discardWriter();
  const output = new OutputStage({
    format: config.output.format,
    ctx: outputFormatContext(
      config.output,
      process.stdout,
      several ? nodeColumnWidth(nodes.map((n) => n.config.profile)) : undefined,
    ),
    count: config.count,
    writer,
    pause: () => tails.forEach((t) => t.lane.block('output')),
    resume: () => tails.forEach((t) => t.lane.unblock('output')),
    onCountReached: stop,
  });
  const proxy = proxyNotice(process.env);
  if (proxy) notify(proxy);
  const names = several ? new NodeNames(nodes.map((n) => n.config.profile)) : undefined;
  for (const node of nodes) {
    let tail: NodeTail | undefined;
    const say = several ? nodeNotify(notify, () => tail?.name ?? node.name) : notify;
    tail = new NodeTail(node, config, output, say, await sinksOf(node), names, print);
    tails.push(tail);
  }

  // A signal that came before (during start-up) stops the sources at once.
  signals.onStop(stop);
  for (const t of tails) t.startInterval();
  let failure: { error: unknown } | undefined;
  try {
    await Promise.all(
      tails.map((t) =>
        t.run().catch((error: unknown) => {
          failure ??= { error: several ? nodeError(t.name, error) : error };
          for (const other of tails) if (other !== t) other.stop();
        }),
      ),
    );
  } finally {
    for (const t of tails) await t.drain(stopping);
    let unwritten: { lines: number; bytes: number } | undefined;
    if (!writer.closed && !(await flushBounded(writer, (cb) => signals.onStop(cb)))) unwritten = writer.pending();
    if (unwritten) {
      notify(
        `stdout took no output for ${STALL_MS / 1000} s after the stop signal; ${unwritten.lines} line${unwritten.lines === 1 ? '' : 's'} (${unwritten.bytes} bytes) not written`,
      );
    }
    if (!writer.closed) for (const t of tails) t.printSummary();
    for (const t of tails) await t.close();
    // stdout still holds what it did not take, and would keep the process alive until a reader takes it.
    if (unwritten) setTimeout(() => process.exit(), 200).unref();
  }
  // Events received before the stream failed (held for the first alias lookup) may have reached
  // --count on release: then the count came first, and the run ended normally.
  if (failure && !output.countReached) throw failure.error;
  return 0;
}

/** A failure of one of several nodes, its message prefixed with the node's name (same kind, same exit code). */
function nodeError(name: string, error: unknown): unknown {
  if (!(error instanceof HtlcTailError)) return error;
  return new HtlcTailError(error.kind, `${name}: ${error.message}`, { cause: error });
}
