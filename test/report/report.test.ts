/**
 * The report's figures against a hand-computed fixture (fixture.ts), for every
 * `--by` and every format, from a real store file written by the real writer.
 * The expected rows below are worked out by hand from the fixture's table.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse as parseCsv } from 'csv-parse/sync';
import path from 'node:path';
import { listNodes } from '../../src/history/nodes.js';
import type { Store } from '../../src/history/open.js';
import { buildReport, renderReport, type ReportBy } from '../../src/report/index.js';
import { tempDir, writeStore } from '../history/helpers.js';
import { A, B, C, CHANNELS, FIXTURE, fwd, P1, P2, ROW_A, ROW_B, ROW_C, ROW_X, X } from './fixture.js';

let store: Store;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const t = await tempDir();
  cleanup = t.cleanup;
  store = (await writeStore(path.join(t.dir, 'h.sqlite'), FIXTURE, { channels: CHANNELS })).store;
});

afterAll(async () => {
  store.close();
  await cleanup();
});

const report = (by: ReportBy, range: { sinceNs?: bigint; untilNs?: bigint } = {}) =>
  buildReport(store.db, { by, nodes: listNodes(store.db), ...range });
const jsonl = (by: ReportBy, range = {}) => renderReport(report(by, range), 'jsonl').map((l) => JSON.parse(l));

describe('report --by channel', () => {
  test('rows, keys in SPEC order, sorted by out_forwards', () => {
    const rows = jsonl('channel');
    expect(rows).toEqual([
      { channel_id: B, scid: '800001x2x1', alias: 'beta', ...ROW_B },
      { channel_id: A, scid: '800000x1x0', alias: 'alpha', ...ROW_A },
      { channel_id: C, scid: '800002x3x0', alias: null, ...ROW_C },
      { channel_id: X, scid: '900000x9x9', alias: null, ...ROW_X },
    ]);
    expect(Object.keys(rows[0])).toEqual([
      'channel_id',
      'scid',
      'alias',
      'in_forwards',
      'out_forwards',
      'out_settled',
      'out_failed_here',
      'out_failed_downstream',
      'in_settled',
      'out_amt_msat',
      'fee_earned_msat',
      'fee_missed_msat',
      'no_liquidity',
      'no_liquidity_msat',
      'settle_p50_ms',
      'settle_p90_ms',
    ]);
  });

  test('the total row (table, markdown) holds the totals', () => {
    expect(report('channel').sections[0]!.total).toMatchObject({
      in_forwards: 9n,
      out_forwards: 9n,
      fee_missed_msat: 3305n,
      no_liquidity_msat: 5_500_000n,
    });
    const md = renderReport(report('channel'), 'markdown');
    expect(md[0]).toBe(
      '| channel_id | scid | alias | in_forwards | out_forwards | out_settled | out_failed_here | out_failed_downstream | in_settled | out_amt_msat | fee_earned_msat | fee_missed_msat | no_liquidity | no_liquidity_msat | settle_p50_ms | settle_p90_ms |',
    );
    expect(md[1]).toBe(
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    expect(md[2]).toBe(
      `| ${B} | 800001x2x1 | beta | 3 | 4 | 3 | 0 | 0 | 0 | 12000000 | 3900 | 0 | 0 | 0 | 500 | 1500 |`,
    );
    expect(md[4]).toBe(`| ${C} | 800002x3x0 |  | 2 | 2 | 0 | 2 | 0 | 1 | 0 | 0 | 3250 | 2 | 5500000 |  |  |`);
    expect(md.at(-1)).toBe(
      '| **total** |  |  | **9** | **9** | **3** | **4** | **1** | **3** | **12000000** | **3900** | **3305** | **2** | **5500000** | **500** | **1500** |',
    );
    expect(md).toHaveLength(2 + 4 + 1);
  });

  test('table: a header, the rows, the total; readable at 100 columns; exact sat', () => {
    const lines = renderReport(report('channel'), 'table');
    expect(lines[0]).toMatch(
      /^channel\s+alias\s+in\s+out\s+settled\s+here\s+down\s+earned sat\s+missed sat\s+no-liq\s+p50$/,
    );
    expect(lines[1]).toMatch(/^800001x2x1\s+beta\s+3\s+4\s+3\s+0\s+0\s+3\.9\s+0\s+0\s+500 ms$/);
    expect(lines[3]).toMatch(/^800002x3x0\s+2\s+2\s+0\s+2\s+0\s+0\s+3\.25\s+2\s+-$/);
    expect(lines.at(-1)).toMatch(/^total\s+9\s+9\s+3\s+4\s+1\s+3\.9\s+3\.305\s+2\s+500 ms$/);
    expect(lines).toHaveLength(1 + 4 + 1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });
});

describe('report --by peer', () => {
  test('channels summed over their peer; unknown peers in one row', () => {
    // P2 = B + C; P1 = A; X has no known peer.
    expect(jsonl('peer')).toEqual([
      { peer_pubkey: P2, alias: 'beta', ...fwd([5, 6, 3, 2, 0, 1, 12_000_000, 3900, 3250, 2, 5_500_000, 500, 1500]) },
      { peer_pubkey: P1, alias: 'alpha', ...fwd([4, 2, 0, 1, 1, 2, 0, 0, 40, 0, 0, null, null]) },
      { peer_pubkey: null, alias: null, ...ROW_X },
    ]);
    const table = renderReport(report('peer'), 'table');
    expect(table.at(-2)).toMatch(/^\(unknown\)\s+0\s+1\s/);
    expect(table.at(-1)).toMatch(/^total\s+9\s+9\s+3\s+4\s+1\s+3\.9\s+3\.305\s+2\s+500 ms$/);
  });
});

describe('report --by reason', () => {
  test('failed-here forwards by wire failure and detail, by count', () => {
    // F4 + F9 (3,000,000 + 2,500,000; fees 3000 + 250), F6 (4,000,000; 40), F7 (1,500,000; 15).
    expect(jsonl('reason')).toEqual([
      {
        wire_failure: 'TEMPORARY_CHANNEL_FAILURE',
        failure_detail: 'INSUFFICIENT_BALANCE',
        count: 2,
        amt_msat: 5_500_000,
        fee_missed_msat: 3250,
      },
      {
        wire_failure: 'FEE_INSUFFICIENT',
        failure_detail: 'NO_DETAIL',
        count: 1,
        amt_msat: 4_000_000,
        fee_missed_msat: 40,
      },
      {
        wire_failure: 'UNKNOWN_NEXT_PEER',
        failure_detail: 'NO_DETAIL',
        count: 1,
        amt_msat: 1_500_000,
        fee_missed_msat: 15,
      },
    ]);
    expect(renderReport(report('reason'), 'markdown')).toEqual([
      '| wire_failure | failure_detail | count | amt_msat | fee_missed_msat |',
      '| --- | --- | ---: | ---: | ---: |',
      '| TEMPORARY_CHANNEL_FAILURE | INSUFFICIENT_BALANCE | 2 | 5500000 | 3250 |',
      '| FEE_INSUFFICIENT | NO_DETAIL | 1 | 4000000 | 40 |',
      '| UNKNOWN_NEXT_PEER | NO_DETAIL | 1 | 1500000 | 15 |',
      '| **total** |  | **4** | **11000000** | **3305** |',
    ]);
  });
});

describe('report --by day / hour', () => {
  test('days (UTC): forwards first seen that day, settled receives and sends', () => {
    // Day 1: F1-F4, R1 settled, S1 settled; settle times 500, 1500 → p50 500 (1st of 2), p90 1500 (2nd).
    // Day 2: F5-F9; R2 failed; S2 is no HTLC; settle time 300.
    expect(jsonl('day')).toEqual([
      {
        start: '2026-11-30T00:00:00Z',
        ...fwd([4, 4, 2, 1, 1, 2, 3_000_000, 3000, 3000, 1, 3_000_000, 500, 1500]),
        receives: 1,
        sends: 1,
      },
      {
        start: '2026-12-01T00:00:00Z',
        ...fwd([5, 5, 1, 3, 0, 1, 9_000_000, 900, 305, 1, 2_500_000, 300, 300]),
        receives: 0,
        sends: 0,
      },
    ]);
    const t = report('day').sections[0]!.total;
    expect(t).toMatchObject({ in_forwards: 9n, receives: 1n, sends: 1n, fee_missed_msat: 3305n });
  });

  test('hours: a row per hour with forwards or payments, in time order', () => {
    const rows = jsonl('hour');
    expect(rows.map((r) => r.start)).toEqual([
      '2026-11-30T10:00:00Z',
      '2026-11-30T11:00:00Z',
      '2026-11-30T12:00:00Z',
      '2026-11-30T14:00:00Z',
      '2026-11-30T15:00:00Z',
      '2026-12-01T09:00:00Z',
      '2026-12-01T10:00:00Z',
      '2026-12-01T11:00:00Z',
      '2026-12-01T12:00:00Z',
      '2026-12-01T13:00:00Z',
      '2026-12-01T16:00:00Z',
    ]);
    expect(rows[0]).toEqual({
      start: '2026-11-30T10:00:00Z',
      ...fwd([2, 2, 2, 0, 0, 2, 3_000_000, 3000, 0, 0, 0, 500, 1500]),
      receives: 0,
      sends: 0,
    });
    expect(rows[3]).toEqual({
      start: '2026-11-30T14:00:00Z',
      ...fwd([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null]),
      receives: 1,
      sends: 0,
    });
    expect(rows[10]).toMatchObject({ in_forwards: 0, receives: 0, sends: 0 });
  });

  test('--since / --until select by first seen', () => {
    const since = BigInt(Date.parse('2026-12-01T11:00:00Z')) * 1_000_000n;
    const until = BigInt(Date.parse('2026-12-01T13:00:00Z')) * 1_000_000n;
    // F7 (A → X, here) and F8 (C → B, settled); ties on out_forwards and in_forwards go by channel id.
    expect(jsonl('channel', { sinceNs: since, untilNs: until })).toEqual([
      {
        channel_id: B,
        scid: '800001x2x1',
        alias: 'beta',
        ...fwd([0, 1, 1, 0, 0, 0, 9_000_000, 900, 0, 0, 0, 300, 300]),
      },
      { channel_id: X, scid: '900000x9x9', alias: null, ...ROW_X },
      { channel_id: A, scid: '800000x1x0', alias: 'alpha', ...fwd([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null]) },
      { channel_id: C, scid: '800002x3x0', alias: null, ...fwd([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, null, null]) },
    ]);
  });
});

describe('csv', () => {
  test.each(['channel', 'peer', 'reason', 'day', 'hour'] as const)('--by %s parses back to the jsonl rows', (by) => {
    const r = report(by);
    const csv = renderReport(r, 'csv')
      .map((l) => l + '\n')
      .join('');
    expect(csv.split('\r\n')[0]).toBe(r.keys.join(','));
    const records = parseCsv<Record<string, string>>(csv, { columns: true });
    const rows = jsonl(by);
    expect(records).toHaveLength(rows.length);
    records.forEach((rec, i) => {
      for (const k of r.keys) expect(rec[k]).toBe(rows[i][k] === null ? '' : String(rows[i][k]));
    });
  });
});
