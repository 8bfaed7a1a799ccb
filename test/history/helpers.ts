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
  settle: (ts: string, ids: Ids, preimage = new Uint8Array(32).fill(7)): HtlcEvent => ({
    ...base(ts, ids),
    event: 'settle',
    preimage,
  }),
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
  const sink = writer.node({
    identity: opts.identity ?? '02' + 'ab'.repeat(32),
    name: opts.name,
    alias: opts.alias ?? 'testnode',
  });
  if (opts.channels) sink.channels(opts.channels);
  const correlator = new Correlator();
  for (const item of items) sink.write(item.event === 'gap' ? item : correlator.apply({ ...item }));
  await writer.close();
  return { store, nodeId: sink.nodeId };
}

/**
 * The SELECTs on events/htlcs that `run` prepares on `db`, each with its
 * EXPLAIN QUERY PLAN (details joined by " | ").
 */
export function queryPlans(db: Store['db'], run: () => void): Array<{ sql: string; plan: string }> {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  (db as { prepare: typeof db.prepare }).prepare = (sql: string) => {
    seen.push(sql);
    return prepare(sql);
  };
  try {
    run();
  } finally {
    (db as { prepare: typeof db.prepare }).prepare = prepare;
  }
  return seen
    .filter((sql) => /\b(events|htlcs)\b/.test(sql) && /^\s*(SELECT|WITH)/i.test(sql))
    .map((sql) => {
      const args = (sql.match(/\?/g) ?? []).map(() => 1);
      return {
        sql,
        plan: (prepare('EXPLAIN QUERY PLAN ' + sql).all(...args) as Array<{ detail: string }>)
          .map((r) => r.detail)
          .join(' | '),
      };
    });
}

export const IN = chan(830412, 1903, 1);
export const OUT = chan(830502, 12, 0);
export const WIDE = '18446744073709551615';
export const T = '2026-11-30T10:00:00Z';

/** Every kind and the awkward values: null info, wide ids and amounts, empty preimage, multi-line text, unknown enums. */
export function variety(): OutputItem[] {
  const f = { inChan: IN, inId: '5', outChan: OUT, outId: '7' };
  return [
    ev.forward(at(T), f, info('1001000', '1000000')),
    ev.settle((BigInt(at(T)) + 9_412_353n).toString(), f),
    ev.final(at(T, 12), IN, '5', true),
    ev.forward(
      at(T, 20),
      { inChan: WIDE, inId: WIDE, outChan: OUT, outId: '8' },
      info('18446744073709551615', '9223372036854775808'),
    ),
    ev.forwardFail(at(T, 25), { inChan: WIDE, inId: WIDE, outChan: OUT, outId: '8' }),
    {
      event: 'gap',
      fromMs: Date.parse(T) + 30,
      toMs: Date.parse(T) + 4000,
      reason: 'htlc event subscription terminated',
    },
    ev.linkFail(
      at(T, 5000),
      { inChan: OUT, inId: '9', outChan: IN },
      info('2000500', '2000000'),
      15,
      6,
      'insufficient bandwidth\n"quoted", comma\u001b[31m',
    ),
    ev.linkFail(at(T, 5001), { inChan: OUT, inId: '10', outChan: IN }, null, 4242, 99, ''),
    ev.forward(at(T, 5002), { inChan: OUT, inId: '11', outChan: IN, outId: '3' }, null),
    ev.settle(at(T, 5003), { inChan: IN, inId: '12', type: 2 }, new Uint8Array(0)),
    ev.forward(at(T, 5004), { outChan: OUT, outId: '44', type: 1 }, info('0', '5000000', 0, 900_000)),
    ev.settle(at(T, 5100), { outChan: OUT, outId: '44', type: 1 }),
    ev.final(at(T, 5200), OUT, '9', false),
    {
      ...ev.forward(at(T, 5300), { inChan: IN, inId: '13', outChan: OUT, outId: '9' }, info('3', '2')),
      event: 'unknown',
      info: undefined,
      eventType: 7,
    },
    ev.settle(at(T, 6000), f), // lnd's replay after a restart: same four ids, new timestamp
  ];
}
