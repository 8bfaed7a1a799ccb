/**
 * The node of an event when a run tails several nodes: the `node` key of
 * jsonl (gap lines too), the csv column, the NODE column of table, the name
 * in pretty and gap lines, the summary heading, and the column's width.
 */
import { describe, test, expect } from '@jest/globals';
import type { GapMarker, HtlcEvent } from '../../src/events/model.js';
import { PLAIN_COLORIZER } from '../../src/format/colorizer.js';
import { csvHeader, formatCsv } from '../../src/format/csv.js';
import { jsonlEvent } from '../../src/format/jsonl.js';
import { gapJson } from '../../src/format/pieces/gap-json.js';
import { gapLine } from '../../src/format/pieces/gap-line.js';
import { displayWidth } from '../../src/format/pieces/display-width.js';
import { formatPretty } from '../../src/format/pretty.js';
import { formatTable, tableHeader } from '../../src/format/table.js';
import { tableLayout } from '../../src/format/table-layout.js';
import { nodeColumnWidth } from '../../src/runtime/format-context.js';
import { makeForward, makeHtlcInfo, makeLinkFail } from '../builders.js';

const NOW = Date.UTC(2023, 10, 14, 23, 0, 0);
const ctx = { colorizer: PLAIN_COLORIZER, utc: true, now: () => NOW };
const info = makeHtlcInfo();
const withNode = (ev: HtlcEvent, node: string): HtlcEvent => Object.assign(ev, { node });
const gap: GapMarker = { event: 'gap', fromMs: NOW - 5000, toMs: NOW, reason: 'stream lost', node: 'umbrel' };

describe('jsonl and csv', () => {
  test('jsonl: "node" after every key of schema version 1; absent with one node', () => {
    const line = jsonlEvent(withNode(makeForward({ info }), 'routing "a"'));
    const o = JSON.parse(line) as Record<string, unknown>;
    expect(o.node).toBe('routing "a"');
    expect(Object.keys(o).at(-1)).toBe('node');
    expect(JSON.parse(jsonlEvent(makeForward({ info })))).not.toHaveProperty('node');
  });

  test('jsonl gap line: node after reason', () => {
    expect(JSON.parse(gapJson(gap))).toEqual({
      event: 'gap',
      from: '2023-11-14T22:59:55.000Z',
      to: '2023-11-14T23:00:00.000Z',
      reason: 'stream lost',
      node: 'umbrel',
    });
    const { node: _n, ...one } = gap;
    expect(JSON.parse(gapJson(one))).not.toHaveProperty('node');
  });

  test('csv: the node column (26th), quoted when it must be, on gap rows too', () => {
    const header = csvHeader().split(',');
    const at = header.indexOf('node');
    expect(at).toBe(25);
    expect(
      formatCsv(withNode(makeForward({ info }), 'a,b'), ctx)
        .split(',')
        .slice(at, at + 2)
        .join(','),
    ).toBe('"a,b"');
    const row = formatCsv(gap, ctx).split(',');
    expect(row[0]).toBe('gap');
    expect(row[at]).toBe('umbrel');
    expect(formatCsv(makeForward({ info }), ctx).split(',')[at]).toBe('');
  });
});

describe('table', () => {
  const nctx = { ...ctx, nodeWidth: 8 };

  test('piped: NODE after TIME, the name in its column, rows aligned with the header', () => {
    const header = tableHeader(nctx);
    expect(header).toMatch(/^TIME \(UTC\)\s+NODE {6}TYPE/);
    const row = formatTable(withNode(makeForward({ info }), 'wallet'), nctx);
    expect(row.indexOf('wallet')).toBe(header.indexOf('NODE'));
    expect(row.slice(header.indexOf('TYPE')).startsWith('FORWARD')).toBe(true);
  });

  test('a longer name overflows when piped (never cut), and is cut with … on a terminal', () => {
    expect(formatTable(withNode(makeForward({ info }), 'a-very-long-node'), nctx)).toContain('a-very-long-node');
    const cut = formatTable(withNode(makeForward({ info }), 'a-very-long-node'), { ...nctx, width: 200 });
    expect(cut).not.toContain('a-very-long-node');
    expect(cut).toContain('a-very-…');
  });

  test.each([60, 80, 100, 120, 160])('on a %i-column terminal no row is wider, and the node stays', (width) => {
    const wctx = { ...ctx, nodeWidth: 16, width };
    for (const ev of [makeForward({ info }), makeLinkFail({ info, failureString: 'x'.repeat(300) })]) {
      const line = formatTable(withNode(ev, 'routing-node-one'), wctx);
      expect(displayWidth(line)).toBeLessThanOrEqual(width);
      expect(line).toMatch(/routing/);
    }
    expect(displayWidth(tableHeader(wctx))).toBeLessThanOrEqual(width);
    expect(tableLayout(width, 16).columns.map((c) => c.key)).toContain('node');
  });

  test('no node column with one node', () => {
    expect(tableHeader(ctx)).not.toMatch(/NODE/);
    expect(tableLayout(200).columns.map((c) => c.key)).not.toContain('node');
  });
});

describe('pretty and gap lines', () => {
  test('pretty: the name after the time, padded to the column', () => {
    const line = formatPretty(withNode(makeForward({ info }), 'ab'), { ...ctx, nodeWidth: 6 });
    expect(line).toMatch(/^\S+ ab {5}\S/);
    expect(formatPretty(makeForward({ info }), ctx)).not.toMatch(/ ab /);
  });

  test('pretty on a narrow terminal: never wider', () => {
    for (const width of [40, 60, 80]) {
      const line = formatPretty(withNode(makeForward({ info }), 'routing-node'), { ...ctx, nodeWidth: 12, width });
      expect(displayWidth(line)).toBeLessThanOrEqual(width);
    }
  });

  test('gap line: the node named first; escapes in a name are shown, not run', () => {
    expect(gapLine(gap, PLAIN_COLORIZER, true, NOW)).toMatch(/^──── umbrel: gap /);
    expect(gapLine({ ...gap, node: 'x\u001b[31m' }, PLAIN_COLORIZER, true, NOW)).not.toContain('\u001b');
  });
});

describe('nodeColumnWidth', () => {
  test.each<[Array<string | null>, number]>([
    [['a', 'b'], 4],
    [['routing', 'wallet'], 7],
    [['routing', null], 16],
    [['x'.repeat(40), 'y'], 24],
  ])('%j → %i', (names, w) => {
    expect(nodeColumnWidth(names)).toBe(w);
  });
});
