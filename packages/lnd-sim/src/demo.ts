/**
 * The in-process node behind `htlc-tail demo`: a simulated node with live
 * traffic and a temporary lnddir, removed again on stop().
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LndDirPaths } from './lnddir.js';
import { startSimNode, type SimNodeHandle, type SimNodeOptions } from './node.js';
import { DEMO_RATE } from './defaults.js';

export { DEMO_RATE } from './defaults.js';

export interface DemoNode {
  readonly node: SimNodeHandle;
  /** The temporary lnd directory (lnd.conf, tls.cert, macaroons). */
  readonly lnddir: string;
  readonly network: string;
  readonly paths: LndDirPaths;
  /** Stops the node and removes the temporary directory. */
  stop(): Promise<void>;
}

export async function startDemoNode(opts: SimNodeOptions = {}): Promise<DemoNode> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-demo-'));
  let node: SimNodeHandle;
  try {
    node = await startSimNode({ rate: DEMO_RATE, seed: Date.now() % 1_000_000, ...opts });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const paths = await node.writeLndDir(dir);
  let stopped = false;
  // If the process exits without stop() (e.g. process.exit on a signal), still remove the directory.
  const onExit = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', onExit);
  return {
    node,
    lnddir: paths.lnddir,
    network: node.network,
    paths,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      try {
        await node.stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
