/**
 * `htlc-tail report`: the routing report (SPEC "Report") from the history
 * database, on stdout; nothing else is written there.
 */
import os from 'node:os';
import type { ReportOptions } from '../config/options.js';
import { resolveReportConfig } from '../config/report-config.js';
import { openStore } from '../history/open.js';
import { listNodes, selectNodes } from '../history/nodes.js';
import { translateStoreError } from '../history/store-errors.js';
import { createLineWriter } from '../output/writer.js';
import { buildReport } from '../report/aggregate.js';
import { renderReport } from '../report/index.js';

export async function runReportCommand(opts: ReportOptions): Promise<number> {
  const config = resolveReportConfig(opts, process.env, { platform: process.platform, homedir: os.homedir(), nowMs: Date.now() });
  const store = await openStore(config.db.path, 'read');
  let lines: string[];
  try {
    const nodes = selectNodes(listNodes(store.db), config.node, store.file);
    const report = buildReport(store.db, { by: config.by, nodes, sinceNs: config.sinceNs, untilNs: config.untilNs });
    lines = renderReport(report, config.format);
  } catch (err) {
    throw translateStoreError(store.file, err);
  } finally {
    store.close();
  }
  const out = createLineWriter(process.stdout, () => {});
  for (const l of lines) out.write(l);
  await out.flush();
  return 0;
}
