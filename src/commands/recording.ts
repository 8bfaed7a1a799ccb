/**
 * The recording half of `record`, `--record` (tail) and `demo --record`: the
 * database is opened (created, migrated) by the recorder before anything
 * connects, so a bad database is a one-line error with exit 3
 * and nothing is written; the recorder is closed after the run (everything
 * received written), and its failure is the run's error.
 */
import os from 'node:os';
import { resolveRecordSettings, type RecordSettings } from '../config/record-config.js';
import type { Recorder } from '../history/recorder.js';
import type { Notify } from '../pipeline/notices.js';
import type { SinkFactory } from '../pipeline/sink.js';

/** The recorder's settings from `--db`/HTLC_TAIL_DB and `--retain`. */
export function recordSettings(opts: { readonly db?: string; readonly retain?: string }): RecordSettings {
  return resolveRecordSettings(opts, process.env, { platform: process.platform, homedir: os.homedir() });
}

/** Opens the database; the sink factory gives each node its history sink. */
export async function startRecorder(
  file: string,
  retainDays: number | undefined,
  notify: Notify,
): Promise<{ recorder: Recorder; sinks: SinkFactory }> {
  const { Recorder } = await import('../history/recorder.js');
  const recorder = await Recorder.open(file, {
    ...(retainDays !== undefined ? { retainDays } : {}),
    notify: (m) => notify(m),
  });
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
