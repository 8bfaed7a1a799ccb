/**
 * The report's and the readers' queries use the indexes (EXPLAIN QUERY PLAN
 * on a real store): the channel and peer report is one pass over the
 * covering index htlcs_out in its order (no table, no sort); `--since` and
 * `--tail` find their start through an index and walk the id order.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import type { Store } from '../../src/history/open.js';
import { listNodes } from '../../src/history/nodes.js';
import { readHistory, readLastEvents } from '../../src/history/read.js';
import { buildReport, type ReportBy } from '../../src/report/index.js';
import { queryPlans, tempDir, writeStore } from '../history/helpers.js';
import { CHANNELS, FIXTURE } from './fixture.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const t = await tempDir();
  cleanup = t.cleanup;
  store = (await writeStore(path.join(t.dir, 'plan.sqlite'), FIXTURE, { channels: CHANNELS })).store;
});
afterAll(async () => {
  store.close();
  await cleanup();
});

describe('query plans', () => {
  test.each<ReportBy>(['channel', 'peer'])(
    'report --by %s: one ordered pass over the covering index htlcs_out',
    (by) => {
      const p = queryPlans(store.db, () => buildReport(store.db, { by, nodes: listNodes(store.db) }));
      const pair = p.filter((x) => /FROM htlcs/.test(x.sql));
      expect(pair).toHaveLength(1);
      expect(pair[0]!.plan).toBe('SEARCH htlcs USING COVERING INDEX htlcs_out (node=? AND event_type=?)');
    },
  );

  test('report --by reason: the covering index, no table lookups', () => {
    const p = queryPlans(store.db, () => buildReport(store.db, { by: 'reason', nodes: listNodes(store.db) })).filter(
      (x) => /FROM htlcs/.test(x.sql),
    );
    expect(p).toHaveLength(1);
    expect(p[0]!.plan).toMatch(/^SEARCH htlcs USING COVERING INDEX htlcs_out \(node=\? AND event_type=\?\)/);
  });

  test('report --by day and with --since: the time index, no scan', () => {
    const since = 1_796_000_000_000_000_000n;
    const p = [
      ...queryPlans(store.db, () => buildReport(store.db, { by: 'day', nodes: listNodes(store.db) })),
      ...queryPlans(store.db, () =>
        buildReport(store.db, { by: 'channel', nodes: listNodes(store.db), sinceNs: since }),
      ),
    ].filter((x) => /FROM htlcs/.test(x.sql));
    expect(p.length).toBeGreaterThanOrEqual(3);
    for (const x of p)
      expect(x.plan).toMatch(
        /^SEARCH htlcs USING (COVERING INDEX htlcs_out|INDEX htlcs_node_time|PRIMARY KEY) \(node=\?/,
      );
  });

  test('--since: the start from the (node, time) index, then the id order; --tail: the id order backwards', () => {
    const nodes = listNodes(store.db).map((n) => n.id);
    const p = queryPlans(store.db, () => {
      void [...readHistory(store.db, { nodes, sinceNs: 1_796_000_000_000_000_000n })];
      void [...readLastEvents(store.db, nodes, 5)];
    }).filter((x) => /FROM events/.test(x.sql));
    const range = p.find((x) => /min\(id\), max\(id\)/.test(x.sql))!;
    expect(range.plan).toMatch(/^SEARCH events USING COVERING INDEX events_node_time \(node=\? AND timestamp_ns>\?\)/);
    const walk = p.find((x) => /NOT INDEXED WHERE id >= \?/.test(x.sql))!;
    expect(walk.plan).toMatch(/^SEARCH events USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    const last = p.find((x) => /ORDER BY id DESC LIMIT/.test(x.sql))!;
    expect(last.plan).not.toMatch(/TEMP B-TREE/);
    for (const x of p) expect(x.plan).not.toMatch(/TEMP B-TREE/);
  });
});
