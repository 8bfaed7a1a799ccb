import { describe, test, expect } from '@jest/globals';
import type { OutputItem } from '../../src/events/model.js';
import { PLAIN_COLORIZER, createColorizer } from '../../src/format/colorizer.js';
import { formatTable, tableHeader, TABLE_COLUMNS } from '../../src/format/table.js';
import { displayWidth } from '../../src/format/pieces/display-width.js';
import { makeHtlc, makeHtlcInfo } from '../builders.js';

const NOW = Date.UTC(2023, 10, 14, 23, 0, 0);
const ctx = { colorizer: PLAIN_COLORIZER, utc: true, now: () => NOW };
const info = makeHtlcInfo();

/** Display column where each column starts. */
const STARTS: number[] = [];
{
  let x = 0;
  for (const col of TABLE_COLUMNS) {
    STARTS.push(x);
    x += col.width + 2;
  }
}

/** The row cut into its cells by display width. */
function cellsOf(line: string): string[] {
  const out: string[] = [];
  let col = 0;
  let cur = '';
  let i = 0;
  for (const ch of line) {
    while (i + 1 < STARTS.length && col >= STARTS[i + 1]!) {
      out.push(cur);
      cur = '';
      i++;
    }
    cur += ch;
    col += displayWidth(ch);
  }
  out.push(cur);
  return out.map((c) => c.trim());
}

describe('table header', () => {
  test('titles at the column starts', () => {
    // --utc: the header says the zone (issue 11).
    expect(tableHeader(ctx)).toBe(
      'TIME (UTC)      TYPE     EVENT         IN CHANNEL                  OUT CHANNEL                      AMOUNT SAT     FEE SAT   DURATION  RESULT',
    );
    expect(cellsOf(tableHeader(ctx))).toEqual([
      'TIME (UTC)',
      'TYPE',
      'EVENT',
      'IN CHANNEL',
      'OUT CHANNEL',
      'AMOUNT SAT',
      'FEE SAT',
      'DURATION',
      'RESULT',
    ]);
  });
  test('bold in colour', () => {
    expect(tableHeader({ ...ctx, colorizer: createColorizer(true) })).toMatch(/^\u001b\[1mTIME .*RESULT\u001b\[22m$/);
  });
});

const rows: Array<[string, OutputItem, string[]]> = [
  [
    'forward',
    makeHtlc({ incomingAlias: 'ACINQ' }),
    ['22:13:20.123', 'FORWARD', 'forward', '830412x1903x1 (ACINQ)', '830502x12x0', '1,250.500', '1.250'],
  ],
  [
    'settle',
    makeHtlc({
      event: 'settle',
      preimage: new Uint8Array(0),
      corr: { info, firstEventType: 3, durationNs: '9412353' },
    }),
    ['22:13:20.123', 'FORWARD', 'settle', '830412x1903x1', '830502x12x0', '1,250.500', '1.250', '9.4 ms', 'settled'],
  ],
  [
    'link_fail',
    makeHtlc({
      event: 'link_fail',
      wireFailure: 15,
      failureDetail: 6,
      failureString: 'insufficient bandwidth to route htlc\nsecond line',
    }),
    [
      '22:13:20.123',
      'FORWARD',
      'link_fail',
      '830412x1903x1',
      '830502x12x0',
      '1,250.500',
      '1.250',
      '',
      'failed TEMPORARY_CHANNEL_FAILURE/INSUFFICIENT_BALANCE: not enough outbound liquidity on the outgoing channel — lnd: insufficient bandwidth to route htlc …',
    ],
  ],
  [
    'final_htlc',
    makeHtlc({
      event: 'final_htlc',
      eventType: 0,
      outgoingChannelId: '0',
      outgoingHtlcId: '0',
      settled: false,
      offchain: true,
      corr: { info, firstEventType: 3, durationNs: '2000000000' },
    }),
    ['22:13:20.123', 'FORWARD', 'final_htlc', '830412x1903x1', '', '1,250.500', '1.250', '2.00 s', 'failed'],
  ],
  [
    'replayed',
    makeHtlc({ event: 'forward_fail', corr: { info, firstEventType: 3, durationNs: '1', replayed: true } }),
    [
      '22:13:20.123',
      'FORWARD',
      'forward_fail',
      '830412x1903x1',
      '830502x12x0',
      '1,250.500',
      '1.250',
      '',
      'failed: an error came back from further along the route [replayed]',
    ],
  ],
  [
    'subscribed',
    makeHtlc({
      event: 'subscribed',
      eventType: 0,
      timestampNs: '0',
      incomingChannelId: '0',
      outgoingChannelId: '0',
      incomingHtlcId: '0',
      outgoingHtlcId: '0',
    }),
    ['--:--:--.---', '', 'subscribed', '', '', '', '', '', "subscribed to lnd's HTLC events"],
  ],
  [
    'another day, unknown type and member',
    makeHtlc({ event: 'unknown', eventType: 7, timestampNs: '1600000000000000000' }),
    [
      '09-13 12:26:40',
      '#7',
      'unknown',
      '830412x1903x1',
      '830502x12x0',
      '',
      '',
      '',
      'an event of a kind this version of htlc-tail does not know',
    ],
  ],
  [
    'max ids: the scid fits',
    makeHtlc({ incomingChannelId: '18446744073709551615' }),
    ['22:13:20.123', 'FORWARD', 'forward', '16777215x16777215x65535', '830502x12x0', '1,250.500', '1.250'],
  ],
];

describe('table rows: every cell in its column (plain)', () => {
  test.each(rows)('%s', (_name, item, want) => {
    const line = formatTable(item, ctx);
    expect(line).toBe(line.trimEnd());
    expect(cellsOf(line).slice(0, want.length)).toEqual(want);
    expect(
      cellsOf(line)
        .slice(want.length)
        .every((c) => c === ''),
    ).toBe(true);
  });
  test.each(rows)('%s: colour adds only SGR codes', (_name, item) => {
    const colour = { ...ctx, colorizer: createColorizer(true) };
    expect(formatTable(item, colour).replace(/\u001b\[\d+m/g, '')).toBe(formatTable(item, ctx));
  });
});

// On a terminal wide enough for the full layout, a long alias is cut to its column
// (piped, nothing is cut: issue 11; see the next block).
const wide = { ...ctx, width: 200 };
const cutRows: Array<[string, OutputItem, string[]]> = [
  [
    'long alias cut with …',
    makeHtlc({ incomingAlias: 'a-very-long-alias-that-does-not-fit' }),
    ['22:13:20.123', 'FORWARD', 'forward', '830412x1903x1 (a-very-lo…)', '830502x12x0', '1,250.500', '1.250'],
  ],
  [
    'wide alias cut by display width',
    makeHtlc({ incomingAlias: '闪电网络节点闪电网络节点', outgoingAlias: '🐙🐙🐙🐙🐙🐙🐙' }),
    [
      '22:13:20.123',
      'FORWARD',
      'forward',
      '830412x1903x1 (闪电网络…)',
      '830502x12x0 (🐙🐙🐙🐙🐙…)',
      '1,250.500',
      '1.250',
    ],
  ],
];

describe('table rows on a wide terminal: aliases cut to their column', () => {
  test.each(cutRows)('%s', (_name, item, want) => {
    const line = formatTable(item, wide);
    expect(cellsOf(line).slice(0, want.length)).toEqual(want);
  });
});

describe('table piped: nothing is cut', () => {
  test('a long alias is written whole and pushes the row right', () => {
    const line = formatTable(
      makeHtlc({ incomingAlias: 'a-very-long-alias-that-does-not-fit', outgoingAlias: '闪电网络节点闪电网络节点' }),
      ctx,
    );
    expect(line).toContain(
      '830412x1903x1 (a-very-long-alias-that-does-not-fit)  830502x12x0 (闪电网络节点闪电网络节点)',
    );
    expect(line).not.toContain('…');
  });
});

describe('table: numbers are never cut', () => {
  test('an amount wider than its column overflows', () => {
    const line = formatTable(
      makeHtlc({
        info: makeHtlcInfo({ incomingAmtMsat: '18446744073709551615', outgoingAmtMsat: '9007199254740993' }),
      }),
      ctx,
    );
    expect(line).toContain('9,007,199,254,740.993');
    expect(line).toContain('18,437,736,874,454,810.622');
    expect(line).not.toContain('…');
  });
});

describe('table: gap row', () => {
  test('a visible marker line', () => {
    expect(
      formatTable(
        {
          event: 'gap',
          fromMs: Date.UTC(2023, 10, 14, 12, 0, 1),
          toMs: Date.UTC(2023, 10, 14, 12, 0, 7),
          reason: 'reconnected',
        },
        ctx,
      ),
    ).toBe('──── gap 12:00:01.000Z → 12:00:07.000Z (reconnected): events in between may be missing ────');
  });
});
