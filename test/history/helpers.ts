/**
 * Helpers for the history and report tests: temp dirs, event builders with
 * readable channel ids and times, and a real store file written through the
 * real writer after real correlation (as a recorder does).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Correlator } from '../../src/events/correlate.js';
import type { HtlcEvent, HtlcInfo, OutputItem } from '../../src/events/model.js';
import type { ChannelInfo } from '../../src/history/apply.js';
import { openStore, type Store } from '../../src/history/open.js';
import { StoreWriter } from '../../src/history/writer.js';

export async function tempDir(prefix = 'htlc-tail-hist-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A channel id from its short channel id parts, as a decimal string (written independently of src/). */
export function chan(block: number, tx: number, out: number): string {
  return ((BigInt(block) << 40n) | (BigInt(tx) << 16n) | BigInt(out)).toString();
}

/** Unix ns of an RFC 3339 UTC time plus extra ms. */
export function at(iso: string, plusMs = 0): string {
  return ((BigInt(Date.parse(iso)) + BigInt(plusMs)) * 1_000_000n).toString();
}

export const info = (inAmt: string, outAmt: string, inLock = 900_100, outLock = 900_060): HtlcInfo => ({
  incomingAmtMsat: inAmt,
  outgoingAmtMsat: outAmt,
  incomingTimelock: inLock,
  outgoingTimelock: outLock,
});

interface Ids {
  readonly inChan?: string;
  readonly inId?: string;
  readonly outChan?: string;
  readonly outId?: string;
  readonly type?: number;
}

function base(ts: string, ids: Ids) {
  return {
    eventType: ids.type ?? 3,
    timestampNs: ts,
    incomingChannelId: ids.inChan ?? '0',
    incomingHtlcId: ids.inId ?? '0',
    outgoingChannelId: ids.outChan ?? '0',
    outgoingHtlcId: ids.outId ?? '0',
  };
}

export const ev = {
  forward: (ts: string, ids: Ids, i: HtlcInfo | null): HtlcEvent => ({ ...base(ts, ids), event: 'forward', info: i }),
  settle: (ts: string, ids: Ids, preimage = new Uint8Array(32).fill(7)): HtlcEvent => ({ ...base(ts, ids), event: 'settle', preimage }),
  forwardFail: (ts: string, ids: Ids): HtlcEvent => ({ ...base(ts, ids), event: 'forward_fail' }),
  linkFail: (ts: string, ids: Ids, i: HtlcInfo | null, wire: number, detail: number, text = 'failed'): HtlcEvent => ({
    ...base(ts, ids),
    event: 'link_fail',
    info: i,
    wireFailure: wire,
    failureDetail: detail,
    failureString: text,
  }),
  final: (ts: string, inChan: string, inId: string, settled: boolean): HtlcEvent => ({
    ...base(ts, { inChan, inId, type: 0 }),
    event: 'final_htlc',
    settled,
    offchain: true,
  }),
};

export interface WrittenStore {
  readonly store: Store;
  readonly nodeId: number;
}

/** Writes items (events correlated in order, as a live recorder does) and channels into a store file. */
export async function writeStore(
  file: string,
  items: readonly OutputItem[],
  opts: { channels?: readonly ChannelInfo[]; identity?: string; name?: string; alias?: string } = {},
): Promise<WrittenStore> {
  const store = await openStore(file, 'write');
  const writer = new StoreWriter(store);
  const sink = writer.node({ identity: opts.identity ?? '02' + 'ab'.repeat(32), name: opts.name, alias: opts.alias ?? 'testnode' });
  if (opts.channels) sink.channels(opts.channels);
  const correlator = new Correlator();
  for (const item of items) sink.write(item.event === 'gap' ? item : correlator.apply({ ...item }));
  await writer.close();
  return { store, nodeId: sink.nodeId };
}
