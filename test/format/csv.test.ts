/**
 * `-f csv` (SPEC): the header with all 29 columns in SPEC's order; one record
 * per event or gap; every cell equal to the jsonl key of the same name (or
 * empty when jsonl leaves the key out); quoting per RFC 4180 (commas, quotes,
 * CR/LF, a multi-line failure string in one cell). Checked by parsing the
 * output back with independent CSV readers: csv-parse, and Python's csv
 * module when python3 is installed.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { Correlator } from '../../src/events/correlate.js';
import type { HtlcEvent, OutputItem } from '../../src/events/model.js';
import { csvHeader, formatCsv } from '../../src/format/csv.js';
import { getFormatter } from '../../src/format/index.js';
import { formatJsonl } from '../../src/format/jsonl.js';
import { at, chan, ev, info } from '../history/helpers.js';
import { parseJsonExact } from '../history/json-exact.js';

const SPEC_COLUMNS =
  'event,event_type,time,timestamp_ns,incoming_channel_id,outgoing_channel_id,incoming_htlc_id,outgoing_htlc_id,incoming_scid,outgoing_scid,incoming_alias,outgoing_alias,incoming_amt_msat,outgoing_amt_msat,incoming_timelock,outgoing_timelock,fee_msat,wire_failure,failure_detail,failure_string,preimage,settled,offchain,duration_ms,replayed,node,from,to,reason';

const IN = chan(830412, 1903, 1);
const OUT = chan(830502, 12, 0);
const T = '2026-11-30T10:00:00Z';

function items(): OutputItem[] {
  const f = { inChan: IN, inId: '5', outChan: OUT, outId: '7' };
  const c = new Correlator();
  const raw: OutputItem[] = [
    ev.forward(at(T), f, info('1001000', '1000000')),
    ev.settle((BigInt(at(T)) + 9_412_353n).toString(), f),
    ev.final(at(T, 12), IN, '5', true),
    ev.forward(
      at(T, 20),
      { inChan: '18446744073709551615', inId: '1', outChan: OUT, outId: '8' },
      info('18446744073709551615', '9007199254740993'),
    ),
    ev.forwardFail(at(T, 25), { inChan: '18446744073709551615', inId: '1', outChan: OUT, outId: '8' }),
    {
      event: 'gap',
      fromMs: Date.parse(T) + 30,
      toMs: Date.parse(T) + 4000,
      reason: 'stream lost, "reconnected"\nafter 4 s',
    },
    ev.linkFail(
      at(T, 5000),
      { inChan: OUT, inId: '9', outChan: IN },
      info('2000500', '2000000'),
      15,
      6,
      'insufficient bandwidth\r\n"quoted", comma\ttab',
    ),
    ev.linkFail(at(T, 5001), { inChan: OUT, inId: '10', outChan: IN }, null, 4242, 99, ''),
    ev.settle(at(T, 5003), { inChan: IN, inId: '12', type: 2 }, new Uint8Array(0)),
    ev.forward(at(T, 5004), { outChan: OUT, outId: '44', type: 1 }, info('0', '5000000', 0, 900_000)),
    ev.settle(at(T, 5100), { outChan: OUT, outId: '44', type: 1 }),
    ev.final(at(T, 5200), OUT, '9', false),
    { ...ev.forwardFail(at(T, 5300), f), eventType: 7, event: 'unknown' },
    ev.settle(at(T, 6000), f),
    {
      event: 'subscribed',
      eventType: 0,
      timestampNs: '0',
      incomingChannelId: '0',
      outgoingChannelId: '0',
      incomingHtlcId: '0',
      outgoingHtlcId: '0',
    },
  ];
  return raw.map((i, n) => {
    if (i.event === 'gap') return n === 5 ? { ...i, node: 'alice' } : i;
    const e: HtlcEvent = c.apply({ ...i });
    if (e.incomingChannelId === IN) e.incomingAlias = 'ACINQ, "the" hub\nline 2';
    if (e.outgoingChannelId === OUT) e.outgoingAlias = '⚡ Zürich';
    return n === 6 ? { ...e, node: 'bob, the node' } : e;
  });
}

function render(list: OutputItem[]): string {
  const f = getFormatter('csv');
  return [
    f.header!({ colorizer: undefined as never, utc: true }),
    ...list.map((i) => f.format(i, { colorizer: undefined as never, utc: true })),
  ]
    .map((l) => l + '\n')
    .join('');
}

describe('-f csv', () => {
  test('the header lists all 29 columns in SPEC order, as the first record; records end with CRLF', () => {
    expect(csvHeader()).toBe(SPEC_COLUMNS + '\r');
    expect(SPEC_COLUMNS.split(',')).toHaveLength(29);
    const text = render(items());
    expect(text.startsWith(SPEC_COLUMNS + '\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  test('parsed back, every cell is the jsonl value (exact digits, true/false), or empty where jsonl has no key', () => {
    const list = items();
    const records = parseCsv<Record<string, string>>(render(list), { columns: true, relax_column_count: false });
    expect(records).toHaveLength(list.length);
    records.forEach((rec, i) => {
      const item = list[i]!;
      const json = parseJsonExact(formatJsonl(item));
      for (const col of SPEC_COLUMNS.split(',')) {
        if (col === 'node') {
          expect(rec.node).toBe((item as { node?: string }).node ?? '');
          continue;
        }
        const v = json[col];
        const want = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
        expect({ i, col, cell: rec[col] }).toEqual({ i, col, cell: want });
      }
    });
    expect(records[6]!.failure_string).toBe('insufficient bandwidth\r\n"quoted", comma\ttab');
    expect(records[3]!.incoming_amt_msat).toBe('18446744073709551615');
    expect(records[3]!.outgoing_amt_msat).toBe('9007199254740993');
    expect(records[5]).toMatchObject({
      event: 'gap',
      node: 'alice',
      from: '2026-11-30T10:00:00.030Z',
      to: '2026-11-30T10:00:04.000Z',
      reason: 'stream lost, "reconnected"\nafter 4 s',
    });
    expect(records[2]).toMatchObject({ settled: 'true', offchain: 'true', duration_ms: '12' });
    expect(records[13]).toMatchObject({ event: 'settle', replayed: 'true', duration_ms: '' });
  });

  test("Python's csv module reads the same records", () => {
    if (spawnSync('python3', ['-c', 'import csv'], { stdio: 'ignore' }).status !== 0) {
      console.warn('skipped: python3 with its csv module is not installed');
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-csv-'));
    const file = path.join(dir, 'out.csv');
    const text = render(items());
    writeFileSync(file, text);
    const py = execFileSync(
      'python3',
      [
        '-c',
        "import csv, json, sys\nprint(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))",
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(py)).toEqual(parseCsv(text, {}));
  });

  test('a plain field is written as is; quoting only where RFC 4180 needs it', () => {
    const line = formatCsv(items()[0]!);
    expect(line).toBe(
      `forward,FORWARD,2026-11-30T10:00:00.000000000Z,${at(T)},${IN},${OUT},5,7,830412x1903x1,830502x12x0,"ACINQ, ""the"" hub\nline 2",⚡ Zürich,1001000,1000000,900100,900060,1000,,,,,,,,,,,,\r`,
    );
  });
});
