/**
 * `htlc-tail record` (SPEC "History"): every HTLC event of the node(s) and
 * every gap into the history database, as a service. It is the live tail
 * with nothing printed: it waits for lnd (like --wait), reconnects forever,
 * and prints one stderr line per state change (connecting, subscribed,
 * reconnecting; also when stderr is not a terminal, as under systemd) and
 * the summary options. It ends on SIGINT/SIGTERM after writing everything
 * received.
 *
 * Also the recording half of `--record` (tail) and `demo --record`: the
 * database is opened (created, migrated) before anything connects, so a bad
 * database is a one-line error with exit 3 and nothing is written.
 */
import os from 'node:os';
import { resolveNodes } from '../config/nodes.js';
import type { RecordOptions } from '../config/options.js';
import { defaultConfigIo } from '../config/io.js';
import { resolveRecordSettings, type RecordSettings } from '../config/record-config.js';
import { terminalPasswordPrompt } from '../cli/password-prompt.js';
import type { Recorder } from '../history/recorder.js';
import { connectNode } from '../pipeline/node-config.js';
import { stderrNotify, type Notify } from '../pipeline/notices.js';
import { runTail } from '../pipeline/run-tail.js';
import type { SinkFactory } from '../pipeline/sink.js';
import type { StopSignals } from '../runtime/stop-signals.js';
import { leastPrivilegeWarning } from './tail.js';

/** The recorder's settings from `--db`/HTLC_TAIL_DB and `--retain`. */
export function recordSettings(opts: { readonly db?: string; readonly retain?: string }): RecordSettings {
  return resolveRecordSettings(opts, process.env, { platform: process.platform, homedir: os.homedir() });
}

/** Opens the database in its writer thread; the sink factory gives each node its history sink. */
export async function startRecorder(file: string, retainDays: number | undefined, notify: Notify): Promise<{ recorder: Recorder; sinks: SinkFactory }> {
  const { Recorder } = await import('../history/recorder.js');
  const recorder = await Recorder.open(file, { ...(retainDays !== undefined ? { retainDays } : {}), notify: (m) => notify(m) });
  return { recorder, sinks: (node) => [recorder.sink(node)] };
}

/** Runs `body` with the recorder, and closes it after (its failure, if any, is the run's error). */
export async function withRecorder(recorder: Recorder, body: () => Promise<number>): Promise<number> {
  let code: number;
  try {
    code = await body();
  } catch (err) {
    await recorder.close().catch(() => undefined);
    throw err;
  }
  await recorder.close();
  return code;
}

export async function runRecordCommand(opts: RecordOptions, signals: StopSignals): Promise<number> {
  const settings = recordSettings(opts);
  // A service waits for lnd and reconnects forever; it has no output of its own.
  const { nodes, notices } = await resolveNodes({ ...opts, wait: true, reconnect: true, aliases: true }, process.env, defaultConfigIo(), {
    password: terminalPasswordPrompt(),
  });
  const notify = stderrNotify(true);
  for (const n of notices) notify(n);
  const connections = nodes.map((n) => connectNode(n));
  for (const c of connections) {
    const target = c.target.current;
    const warning = leastPrivilegeWarning(target.macaroon, target.macaroonSource);
    if (warning) notify(warning);
  }
  if (signals.received) return 0;
  const { recorder, sinks } = await startRecorder(settings.db.path, settings.retainDays, notify);
  notify(`recording to ${recorder.file}${settings.retainDays !== undefined ? ` (keeping ${settings.retainDays} days)` : ''}`);
  return withRecorder(recorder, () => runTail(nodes[0]!.config, connections, notify, signals, sinks, { print: false }));
}
