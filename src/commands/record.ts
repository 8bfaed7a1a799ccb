/**
 * `htlc-tail record` (SPEC "History"): every HTLC event of the node(s) and
 * every gap into the history database, as a service. It is the live tail
 * with nothing printed: it waits for lnd (like --wait), reconnects forever,
 * and prints one stderr line per state change (connecting, subscribed,
 * reconnecting; also when stderr is not a terminal, as under systemd) and
 * the summary options. It ends on SIGINT/SIGTERM after writing everything
 * received.
 */
import { resolveNodes } from '../config/nodes.js';
import type { RecordOptions } from '../config/options.js';
import { defaultConfigIo } from '../config/io.js';
import { terminalPasswordPrompt } from '../cli/password-prompt.js';
import { connectNode } from '../pipeline/node-config.js';
import { stderrNotify } from '../pipeline/notices.js';
import { runTail } from '../pipeline/run-tail.js';
import type { StopSignals } from '../runtime/stop-signals.js';
import { recordSettings, startRecorder, withRecorder } from './recording.js';
import { warnLeastPrivilege } from './tail.js';
import { parseMetricsListen } from '../config/metrics-listen.js';
import { combineSinks } from '../pipeline/sink.js';
import { startMetricsIfAsked } from './metrics-listen.js';

export async function runRecordCommand(opts: RecordOptions, signals: StopSignals): Promise<number> {
  const settings = recordSettings(opts);
  const metricsListen = opts.metricsListen === undefined ? undefined : parseMetricsListen(opts.metricsListen);
  // A service waits for lnd and reconnects forever; it has no output of its own.
  const { nodes, notices } = await resolveNodes(
    { ...opts, wait: true, reconnect: true, aliases: true },
    process.env,
    defaultConfigIo(),
    {
      password: terminalPasswordPrompt(),
    },
  );
  const notify = stderrNotify(true);
  for (const n of notices) notify(n);
  const connections = nodes.map((n) => connectNode(n));
  warnLeastPrivilege(connections, notify);
  if (signals.received) return 0;
  const { recorder, sinks } = await startRecorder(settings.db.path, settings.retainDays, notify);
  notify(
    `recording to ${recorder.file}${settings.retainDays !== undefined ? ` (keeping ${settings.retainDays} days)` : ''}`,
  );
  // --metrics-listen: bound before connecting (exit 3 at once when it cannot be).
  const metrics = await startMetricsIfAsked(metricsListen);
  try {
    return await withRecorder(recorder, () =>
      runTail(nodes[0]!.config, connections, notify, signals, combineSinks(sinks, metrics?.sinkFactory), {
        print: false,
      }),
    );
  } finally {
    await metrics?.close();
  }
}
