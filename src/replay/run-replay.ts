/**
 * Runs a capture through the same pipeline as the live tail (correlation,
 * stats, filters, formats, --count) to stdout, reading line by line with
 * backpressure: when stdout cannot keep up, reading pauses, so a capture of
 * any size replays in bounded memory.
 *
 * Bad lines get one warning each on stderr (`line N: what is wrong`) and are
 * skipped; with `strict`, the first one ends the replay with exit 3 (after
 * the events before it were written). An input whose every line is bad (no
 * event, gap or lnd error line among them) ends with exit 3 too: it is not a
 * capture. lnd error lines in the capture are
 * reported and skipped. No peer aliases are looked up (there is no node to
 * ask); those a jsonl capture recorded are kept on its events and named in
 * the summary. The
 * summary (--stats) measures "in flight" and "stuck" against the capture's
 * own clock: the last event's timestamp, not the time of the replay.
 */
import type { Readable, Writable } from 'node:stream';
import type { Config } from '../config/types.js';
import { configError } from '../errors.js';
import { makeFilter } from '../events/filter.js';
import { createColorizer } from '../format/colorizer.js';
import { outputFormatContext, type OutputStream } from '../runtime/format-context.js';
import { formatSummary } from '../format/summary.js';
import { createLineWriter, type LineWriter } from '../output/writer.js';
import type { Notify } from '../pipeline/notices.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { LineSplitter } from '../util/line-splitter.js';
import { safeText } from '../transport/rest/rest-line.js';
import { detectLine } from './detect.js';
import type { HtlcEvent } from '../events/model.js';

/** Longest line read; a longer one is a bad line (its bytes are not kept). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Channels whose recorded alias (jsonl captures) the summary remembers. */
const MAX_RECORDED_ALIASES = 100_000;
/** Warnings shown for bad lines before the rest are only counted. */
export const MAX_WARNINGS = 100;

export interface ReplayOptions {
  readonly config: Config;
  readonly input: Readable;
  /** For messages: the file name, or "standard input". */
  readonly inputName: string;
  readonly strict: boolean;
  readonly notify: Notify;
  readonly out?: Writable;
  readonly err?: Writable;
}

export interface ReplayResult {
  readonly lines: number;
  readonly events: number;
  readonly badLines: number;
}

/**
 * The pipeline of a replay (a capture, or the history store): the config's
 * filters, format and --count to `out` through `writer`; `pause`/`resume`
 * follow the writer, `stop` is called at --count.
 */
export function replayPipeline(
  config: Config,
  out: Writable,
  writer: LineWriter,
  flow: { readonly pause: () => void; readonly resume: () => void; readonly stop: () => void },
): Pipeline {
  return new Pipeline({
    collectStats: config.output.stats,
    format: config.output.format,
    ctx: outputFormatContext(config.output, out as OutputStream),
    filter: makeFilter(config.filter),
    count: config.count,
    writer,
    pause: flow.pause,
    resume: flow.resume,
    onCountReached: flow.stop,
  });
}

/**
 * The summary at the end of a replay (--stats), on `errOut`: "in flight" and
 * "stuck" against the recorded clock (`lastTs`, the newest timestamp_ns
 * replayed), not the time of the replay.
 */
export function writeReplaySummary(
  pipeline: Pipeline,
  config: Config,
  lastTs: string,
  aliasOf: ((channelId: string) => string | undefined) | undefined,
  errOut: Writable,
): void {
  if (!config.output.stats || pipeline.stats.htlcEvents === 0) return;
  const nowNs = lastTs !== '0' ? BigInt(lastTs) : BigInt(Date.now()) * 1_000_000n;
  const summary = pipeline.stats.snapshot({
    nowNs,
    stuckAfterSec: config.output.stuckAfterSec,
    blockHeight: undefined,
    inFlight: pipeline.correlator.inFlight(nowNs),
  });
  const text = formatSummary(summary, { colorizer: createColorizer(config.output.stderrColor), aliasOf });
  errOut.write(text.endsWith('\n') ? text : `${text}\n`);
}

export async function runReplay(o: ReplayOptions): Promise<ReplayResult> {
  const { config, input, notify } = o;
  const out = o.out ?? process.stdout;
  const errOut = o.err ?? process.stderr;
  let stopped = false;
  let finish: () => void = () => undefined;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    splitter.close();
    input.pause();
    finish();
  };
  const writer = createLineWriter(out, stop);
  const pipeline = replayPipeline(config, out, writer, {
    pause: () => input.pause(),
    resume: () => {
      if (!stopped) input.resume();
    },
    stop,
  });

  // The peer aliases a jsonl capture recorded, for the summary's channels (there is no node to ask).
  const recordedAliases = new Map<string, string>();
  const noteAliases = (ev: HtlcEvent) => {
    if (recordedAliases.size >= MAX_RECORDED_ALIASES) return;
    if (ev.incomingAlias) recordedAliases.set(ev.incomingChannelId, ev.incomingAlias);
    if (ev.outgoingAlias) recordedAliases.set(ev.outgoingChannelId, ev.outgoingAlias);
  };

  let lineNo = 0;
  let events = 0;
  let badLines = 0;
  let otherLines = 0;
  let warnings = 0;
  /** The newest timestamp_ns seen (canonical decimal: longer is larger, then by digits). */
  let lastTs = '0';
  let strictError: Error | undefined;

  const warn = (text: string) => {
    if (warnings < MAX_WARNINGS) notify(text);
    else if (warnings === MAX_WARNINGS) notify('more bad lines follow; they are skipped without a warning each');
    warnings++;
  };

  const bad = (reason: string): boolean => {
    badLines++;
    if (o.strict) {
      strictError = configError(
        `${o.inputName} line ${lineNo}: ${reason}; fix or remove the line, or drop --strict to skip bad lines`,
      );
      stop();
      return false;
    }
    warn(`line ${lineNo}: ${reason}`);
    return true;
  };

  const splitter = new LineSplitter(
    (line) => {
      lineNo++;
      const d = detectLine(line);
      switch (d.kind) {
        case 'blank':
          return true;
        case 'event': {
          events++;
          const ts = d.event.timestampNs;
          if (ts.length > lastTs.length || (ts.length === lastTs.length && ts > lastTs)) lastTs = ts;
          if (d.format === 'jsonl') noteAliases(d.event);
          pipeline.push(d.event);
          return !stopped;
        }
        case 'gap':
          otherLines++;
          pipeline.gap(d.gap.fromMs, d.gap.toMs, d.gap.reason, d.gap.node);
          return !stopped;
        case 'lnd-error':
          otherLines++;
          warn(
            `line ${lineNo}: the recorded stream ended with an lnd error: ${safeText(d.message.split('\n', 1)[0]!)} (code ${d.code}); skipped`,
          );
          return true;
        case 'bad':
          return bad(d.reason);
      }
    },
    {
      maxLineBytes: MAX_LINE_BYTES,
      onTooLong: (bytes) => {
        lineNo++;
        return bad(`a line of ${bytes} bytes, longer than the ${MAX_LINE_BYTES / (1024 * 1024)} MiB any event needs`);
      },
    },
  );

  const onSignal = () => stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await new Promise<void>((resolve, reject) => {
      finish = resolve;
      input.on('data', (chunk: Buffer | string) => {
        if (stopped) return;
        splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      });
      input.once('end', () => {
        if (!stopped) splitter.end();
        resolve();
      });
      input.once('error', (e: NodeJS.ErrnoException) => {
        if (stopped) return resolve();
        reject(configError(`replay: reading ${o.inputName} failed (${e.code ?? e.message})`, e));
      });
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!writer.closed) await writer.flush();
    input.destroy();
  }
  if (strictError) throw strictError;
  if (warnings > MAX_WARNINGS) notify(`${badLines} bad lines skipped in all`);
  if (badLines > 0 && events === 0 && otherLines === 0 && !writer.closed) {
    throw configError(
      `replay: no line of ${o.inputName} is an event (${badLines === 1 ? 'its one line is' : `all ${badLines} lines are`} bad); give a capture of htlc-tail -f raw or -f jsonl, or lnd REST lines (curl of /v2/router/htlcevents)`,
    );
  }
  if (!writer.closed) {
    writeReplaySummary(
      pipeline,
      config,
      lastTs,
      recordedAliases.size > 0 ? (id: string) => recordedAliases.get(id) : undefined,
      errOut,
    );
  }
  return { lines: lineNo, events, badLines };
}
