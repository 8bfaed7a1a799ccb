/**
 * `htlc-tail report [FILE|-]`: the routing report (SPEC "Report") from the
 * history database, or from a capture loaded into a temporary store
 * (report/capture.ts), on stdout; nothing else is written there.
 */
import os from 'node:os';
import type { ReportOptions } from '../config/options.js';
import { resolveReportConfig } from '../config/report-config.js';
import { usageError } from '../errors.js';
import { currentHtlcs } from '../history/htlcs-current.js';
import { openStore, type Store } from '../history/open.js';
import { listNodes, selectNodes } from '../history/nodes.js';
import { translateStoreError } from '../history/store-errors.js';
import { createLineWriter } from '../output/writer.js';
import { stderrNotify } from '../pipeline/notices.js';
import { buildReport } from '../report/aggregate.js';
import { renderReport } from '../report/index.js';

/** `file`: a capture to report on (`-`: standard input); undefined: the history database. */
export async function runReportCommand(opts: ReportOptions, file?: string): Promise<number> {
  const config = resolveReportConfig(opts, process.env, {
    platform: process.platform,
    homedir: os.homedir(),
    nowMs: Date.now(),
  });
  if (file !== undefined) {
    if (opts.db !== undefined)
      throw usageError(
        `report reads either a capture (${JSON.stringify(file)}) or the history database (--db), not both; drop one`,
      );
    if (opts.node !== undefined)
      throw usageError('--node selects a node of the history database; a capture holds one node: leave --node out');
  }
  let store: Store;
  let dispose: () => Promise<void>;
  if (file === undefined) {
    store = await openStore(config.db.path, 'read');
    dispose = () => {
      store.close();
      return Promise.resolve();
    };
  } else {
    const { openReplayInput } = await import('../replay/input.js');
    const { loadCapture } = await import('../report/capture.js');
    const input = await openReplayInput(file, 'report');
    const loaded = await loadCapture(input.stream, input.name, stderrNotify());
    store = loaded.store;
    dispose = () => loaded.dispose();
  }
  let lines: string[];
  try {
    await currentHtlcs(store);
    const nodes = selectNodes(listNodes(store.db), config.node, store.file);
    const report = buildReport(store.db, { by: config.by, nodes, sinceNs: config.sinceNs, untilNs: config.untilNs });
    lines = renderReport(report, config.format);
  } catch (err) {
    throw translateStoreError(store.file, err);
  } finally {
    await dispose();
  }
  const out = createLineWriter(process.stdout, () => {});
  for (const l of lines) out.write(l);
  await out.flush();
  return 0;
}
