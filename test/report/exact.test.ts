/**
 * The report's arithmetic stays exact where JS numbers and SQLite's signed
 * 64-bit integers would not: uint64 channel ids and amounts from 2^63 up, and
 * sums beyond 2^63. Also: several nodes in one store (a section per node,
 * `node` on every jsonl row), and the same figures from an in-memory store (the
 * path a capture will take).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { Correlator } from '../../src/events/correlate.js';
import { listNodes, selectNodes } from '../../src/history/nodes.js';
import { openMemoryStore } from '../../src/history/open.js';
import { StoreWriter } from '../../src/history/writer.js';
import { buildReport, renderReport } from '../../src/report/index.js';
import { at, chan, ev, info, tempDir, writeStore } from '../history/helpers.js';
import { CHANNELS, FIXTURE } from './fixture.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

const W = '18446744073709551615'; // 2^64 − 1: stored as −1
const V = '18446744073709551000';
const T = '2026-11-30T10:00:00Z';

function settledForward(
  inChan: string,
  inId: string,
  outChan: string,
  outId: string,
  inAmt: string,
  outAmt: string,
  offsetMs: number,
) {
  const ids = { inChan, inId, outChan, outId };
  return [ev.forward(at(T, offsetMs), ids, info(inAmt, outAmt)), ev.settle(at(T, offsetMs + 250), ids)];
}

describe('exact money', () => {
  test('ids and amounts of 2^63 and more round-trip, and their sums are exact', async () => {
    const items = [
      ...settledForward(W, '1', V, '2', '18446744073709551615', '18446744073709551000', 0),
      ...settledForward(W, '2', V, '3', '18446744073709551615', '18446744073709551000', 1000),
    ];
    const { store } = await writeStore(path.join(dir, 'wide.sqlite'), items);
    try {
      const lines = renderReport(buildReport(store.db, { by: 'channel', nodes: listNodes(store.db) }), 'jsonl');
      // Out on V: 2 × 18446744073709551000 = 36893488147419102000; fee 2 × 615.
      expect(lines[0]).toBe(
        `{"channel_id":"${V}","scid":"16777215x16777215x64920","alias":null,"in_forwards":0,"out_forwards":2,"out_settled":2,"out_failed_here":0,"out_failed_downstream":0,"in_settled":0,"out_amt_msat":36893488147419102000,"fee_earned_msat":1230,"fee_missed_msat":0,"no_liquidity":0,"no_liquidity_msat":0,"settle_p50_ms":250,"settle_p90_ms":250}`,
      );
      expect(lines[1]).toContain(`"channel_id":"${W}","scid":"16777215x16777215x65535"`);
      expect(lines[1]).toContain('"in_forwards":2,"out_forwards":0');
    } finally {
      store.close();
    }
  });

  test('a sum beyond 2^63 of ordinary amounts is exact (the overflow is detected, not wrapped)', async () => {
    const A = chan(800000, 1, 0);
    const B = chan(800001, 2, 1);
    const items = [
      ...settledForward(A, '1', B, '1', '9000000000000000100', '9000000000000000000', 0),
      ...settledForward(A, '2', B, '2', '9000000000000000100', '9000000000000000000', 1000),
    ];
    const { store } = await writeStore(path.join(dir, 'big.sqlite'), items);
    try {
      const r = buildReport(store.db, { by: 'reason', nodes: listNodes(store.db) });
      expect(r.sections[0]!.rows).toEqual([]);
      const day = buildReport(store.db, { by: 'day', nodes: listNodes(store.db) });
      expect(day.sections[0]!.rows[0]).toMatchObject({
        out_amt_msat: 18_000_000_000_000_000_000n,
        fee_earned_msat: 200n,
        out_settled: 2n,
      });
    } finally {
      store.close();
    }
  });
});

describe('several nodes', () => {
  test('one section per node; jsonl rows carry node; --node selects one', async () => {
    const file = path.join(dir, 'two.sqlite');
    const first = await writeStore(file, FIXTURE, {
      channels: CHANNELS,
      identity: '02' + '01'.repeat(32),
      name: 'alice',
    });
    first.store.close();
    const A = chan(700000, 1, 0);
    const B = chan(700001, 1, 0);
    const second = await writeStore(file, settledForward(A, '1', B, '1', '1000100', '1000000', 0), {
      identity: 'bob.example:10009',
      alias: 'bob',
    });
    try {
      const nodes = listNodes(second.store.db);
      expect(nodes.map((n) => [n.identity, n.name, n.alias])).toEqual([
        ['02' + '01'.repeat(32), 'alice', 'testnode'],
        ['bob.example:10009', null, 'bob'],
      ]);
      const r = buildReport(second.store.db, { by: 'channel', nodes });
      expect(r.keys[0]).toBe('node');
      const rows = renderReport(r, 'jsonl').map((l) => JSON.parse(l));
      expect(rows.map((x) => [x.node, x.out_forwards])).toEqual([
        ['alice', 4],
        ['alice', 2],
        ['alice', 2],
        ['alice', 1],
        ['bob', 1],
        ['bob', 0],
      ]);
      const md = renderReport(r, 'markdown');
      expect(md[0]).toBe('### alice');
      expect(md.filter((l) => l.startsWith('| **total**'))).toHaveLength(2);
      expect(md).toContain('### bob');
      const table = renderReport(r, 'table');
      expect(table[0]).toBe('node alice');
      expect(table).toContain('node bob');

      const only = selectNodes(nodes, 'BOB', file);
      const one = buildReport(second.store.db, { by: 'channel', nodes: only });
      expect(one.keys[0]).toBe('channel_id');
      expect(one.sections).toHaveLength(1);
      expect(selectNodes(nodes, '02010101', file).map((n) => n.name)).toEqual(['alice']);
      expect(() => selectNodes(nodes, 'carol', file)).toThrow(
        /--node "carol" matches no node in .*two\.sqlite; it holds alice \(02010101/,
      );
    } finally {
      second.store.close();
    }
  });
});

describe('one aggregation path', () => {
  test('an in-memory store (how a capture is reported) gives the same report as the file', async () => {
    const mem = await openMemoryStore();
    const writer = new StoreWriter(mem);
    const sink = writer.node({ identity: '02' + 'ab'.repeat(32), alias: 'testnode' });
    sink.channels(CHANNELS);
    const c = new Correlator();
    for (const item of FIXTURE) sink.write(item.event === 'gap' ? item : c.apply({ ...item }));
    writer.flush();
    const { store } = await writeStore(path.join(dir, 'same.sqlite'), FIXTURE, { channels: CHANNELS });
    try {
      for (const by of ['channel', 'peer', 'reason', 'day', 'hour'] as const) {
        const a = renderReport(buildReport(mem.db, { by, nodes: listNodes(mem.db) }), 'jsonl');
        const b = renderReport(buildReport(store.db, { by, nodes: listNodes(store.db) }), 'jsonl');
        expect(a).toEqual(b);
      }
    } finally {
      await writer.close();
      mem.close();
      store.close();
    }
  });
});
