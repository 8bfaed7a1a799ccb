/**
 * `htlc-tail replay` end to end, the built CLI on files and stdin: raw and
 * lnd REST lines detected line by line, the round trip `-f raw | replay -f
 * raw`, correlation and filters as in the live tail, bad lines (one warning
 * each with the line number, skipped; --strict: exit 3), lnd error lines,
 * missing files, and independence from the local lnd setup.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN, cleanEnv, jsonLines, runCli } from './run-cli.js';

const C1 = '930524387182051330'; // 846307x211x2
const C2 = '884590090012131330';
const T = 1714979289123456789n;
const ts = (ns: bigint) => String(T + ns);

/** Raw lines as lnd's REST gateway writes the HtlcEvent (what -f raw prints). */
const FORWARD = `{"incoming_channel_id":"${C1}","outgoing_channel_id":"${C2}","incoming_htlc_id":"5","outgoing_htlc_id":"7","timestamp_ns":"${ts(0n)}","event_type":"FORWARD","forward_event":{"info":{"incoming_timelock":800100,"outgoing_timelock":800060,"incoming_amt_msat":"1001000","outgoing_amt_msat":"1000000"}}}`;
const SETTLE = `{"incoming_channel_id":"${C1}","outgoing_channel_id":"${C2}","incoming_htlc_id":"5","outgoing_htlc_id":"7","timestamp_ns":"${ts(9_412_353n)}","event_type":"FORWARD","settle_event":{"preimage":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}}`;
const FINAL = `{"incoming_channel_id":"${C1}","outgoing_channel_id":"0","incoming_htlc_id":"5","outgoing_htlc_id":"0","timestamp_ns":"${ts(12_000_000n)}","event_type":"UNKNOWN","final_htlc_event":{"settled":true,"offchain":true}}`;
const LINK_FAIL = `{"incoming_channel_id":"${C2}","outgoing_channel_id":"${C1}","incoming_htlc_id":"9","outgoing_htlc_id":"0","timestamp_ns":"${ts(20_000_000n)}","event_type":"FORWARD","link_fail_event":{"info":{"incoming_timelock":800200,"outgoing_timelock":800160,"incoming_amt_msat":"2000500","outgoing_amt_msat":"2000000"},"wire_failure":"TEMPORARY_CHANNEL_FAILURE","failure_detail":"INSUFFICIENT_BALANCE","failure_string":"insufficient bandwidth to route htlc\\n⚡"}}`;
const GAP =
  '{"event":"gap","from":"2024-05-06T07:08:09.200Z","to":"2024-05-06T07:08:19.456Z","reason":"htlc event subscription terminated"}';
const UNKNOWN =
  '{"incoming_channel_id":"18446744073709551615","outgoing_channel_id":"0","incoming_htlc_id":"0","outgoing_htlc_id":"0","timestamp_ns":"0","event_type":7}';
const RAW_CAPTURE = [FORWARD, SETTLE, FINAL, GAP, LINK_FAIL, UNKNOWN].join('\n') + '\n';

let tmp: string;
const file = (name: string) => path.join(tmp, name);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-replay-'));
  await writeFile(file('capture.raw'), RAW_CAPTURE);
  await writeFile(
    file('capture.rest'),
    RAW_CAPTURE.split('\n')
      .filter(Boolean)
      .map((l) => (l === GAP ? l : `{"result": ${l}}`))
      .join('\r\n') + '\r\n',
  );
  await mkdir(file('adir'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('round trips and formats', () => {
  test('-f raw | replay -f raw reproduces the input (gap line included), byte for byte', async () => {
    const r = await runCli(['replay', file('capture.raw'), '-f', 'raw']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(RAW_CAPTURE);
  });

  test.each([
    ['stdin as -', ['replay', '-', '-f', 'raw']],
    ['stdin by default', ['replay', '-f', 'raw']],
  ])('%s', async (_name, args) => {
    const r = await runCli(args, { input: RAW_CAPTURE });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(RAW_CAPTURE);
  });

  test('lnd REST lines (CRLF, protojson spacing) give the same events as raw lines', async () => {
    const rest = await runCli(['replay', file('capture.rest'), '-f', 'jsonl']);
    const raw = await runCli(['replay', file('capture.raw'), '-f', 'jsonl']);
    expect(rest.stderr).toBe('');
    expect(rest.code).toBe(0);
    expect(rest.stdout).toBe(raw.stdout);
  });

  test('jsonl: correlation as in the live tail (duration, fee, amounts from the forward), gap passed through', async () => {
    const r = await runCli(['replay', file('capture.raw'), '-f', 'jsonl']);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.event)).toEqual(['forward', 'settle', 'final_htlc', 'gap', 'link_fail', 'unknown']);
    expect(lines[1]).toMatchObject({
      duration_ms: 9.412353,
      fee_msat: 1000,
      incoming_amt_msat: 1001000,
      outgoing_scid: expect.any(String),
    });
    expect(lines[2]).toMatchObject({ settled: true, duration_ms: 12 });
    expect(lines[3]).toEqual({
      event: 'gap',
      from: '2024-05-06T07:08:09.200Z',
      to: '2024-05-06T07:08:19.456Z',
      reason: 'htlc event subscription terminated',
    });
    expect(lines[5]).toMatchObject({ event_type: 7, incoming_channel_id: '18446744073709551615' });
    for (const l of lines) expect(l.incoming_alias).toBeUndefined();
  });

  test.each([
    ['pretty', /settle/],
    ['table', /settle/],
  ])('-f %s works on a capture', async (format, want) => {
    const r = await runCli(['replay', file('capture.raw'), '-f', format, '--color', 'never']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(want);
    expect(r.stderr).toBe('');
  });
});

describe('filters, --count, --stats', () => {
  test.each([
    [['--failures'], ['link_fail']],
    [
      ['--type', 'forward', '--event', 'settle,link_fail'],
      ['settle', 'link_fail'],
    ],
    [['--channel', '846307x211x2', '--event', 'forward'], ['forward']],
    [['--min-amount', '2000'], ['link_fail']],
    [
      ['--min-amount', '1001'],
      ['forward', 'settle', 'final_htlc', 'link_fail'],
    ],
    [
      ['--count', '4'],
      ['forward', 'settle', 'final_htlc', 'link_fail'],
    ],
  ])('%j keeps %j (gap lines pass filters and are not counted)', async (args, kinds) => {
    const r = await runCli(['replay', file('capture.raw'), '-f', 'jsonl', ...args]);
    expect(r.code).toBe(0);
    expect(
      jsonLines(r.stdout)
        .filter((l) => l.event !== 'gap')
        .map((l) => l.event),
    ).toEqual(kinds);
    expect(r.stdout).toContain('"event":"gap"');
  });

  test('--stats: the summary on stderr, stdout only events', async () => {
    const r = await runCli(['replay', file('capture.raw'), '-f', 'jsonl', '--stats']);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(6);
    expect(r.stderr).toMatch(/settled/i);
  });

  test('a channel given by alias is a usage error: there is no node to ask', async () => {
    const r = await runCli(['replay', file('capture.raw'), '--channel', 'ACINQ']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ACINQ.*alias.*channel id/);
  });

  test('the local lnd setup plays no part (broken LNCLI_* variables, no lnd dir)', async () => {
    const r = await runCli(['replay', file('capture.raw'), '-f', 'raw'], {
      env: {
        HOME: '/nonexistent-home',
        LNCLI_NETWORK: 'bogus',
        LNCLI_RPCSERVER: 'not a host',
        LNCLI_LNDDIR: '/nonexistent',
        HTLC_TAIL_LNDCONNECT: 'garbage',
      },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(RAW_CAPTURE);
  });
});

describe('bad input', () => {
  const MIXED = [
    FORWARD, // 1
    'not json at all', // 2
    '', // 3
    `{"result":${SETTLE}}`, // 4
    '{"event":"settle","event_type":"FORWARD"}', // 5: a jsonl line
    FORWARD.replace(`"${C1}"`, '"12x"'), // 6
    '{"error":{"code":2,"message":"htlc event subscription terminated","details":[]}}', // 7
    FINAL.slice(0, 50), // 8: cut off
    FINAL, // 9
  ].join('\n');

  test('each bad line: one warning with its line number, skipped; the rest replayed; exit 0', async () => {
    const r = await runCli(['replay', '-', '-f', 'jsonl'], { input: MIXED });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map((l) => l.event)).toEqual(['forward', 'settle', 'final_htlc']);
    const warnings = r.stderr.trim().split('\n');
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toMatch(/^htlc-tail: line 2: not JSON/);
    expect(warnings[1]).toMatch(/^htlc-tail: line 5: .*--format jsonl line/);
    expect(warnings[2]).toMatch(/^htlc-tail: line 6: .*incoming_channel_id/);
    expect(warnings[3]).toMatch(/^htlc-tail: line 7: .*lnd error: htlc event subscription terminated/);
    expect(warnings[4]).toMatch(/^htlc-tail: line 8: not JSON/);
  });

  test('--strict: exit 3 at the first bad line, naming the file and line; the events before it are written', async () => {
    await writeFile(file('mixed.txt'), MIXED);
    const r = await runCli(['replay', file('mixed.txt'), '-f', 'jsonl', '--strict']);
    expect(r.code).toBe(3);
    expect(jsonLines(r.stdout).map((l) => l.event)).toEqual(['forward']);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${file('mixed.txt')} line 2: not JSON`);
  });

  test('--strict: an lnd error line is not a bad line (the recording is what it is)', async () => {
    const r = await runCli(['replay', '-', '-f', 'jsonl', '--strict'], {
      input: [FORWARD, '{"error":{"code":2,"message":"boom"}}', SETTLE].join('\n'),
    });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(2);
    expect(r.stderr).toMatch(/line 2: .*boom/);
  });

  test('only the first 100 bad lines get a warning; then a count', async () => {
    const input = Array.from({ length: 150 }, (_, i) => `junk ${i}`).join('\n') + '\n' + FORWARD + '\n';
    const r = await runCli(['replay', '-', '-f', 'jsonl'], { input });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(102);
    expect(lines[99]).toMatch(/line 100:/);
    expect(lines[101]).toMatch(/150 bad lines skipped/);
  });

  test.each([
    ['a missing file', 'nope.raw', /cannot read .*nope\.raw \(no such file\)/],
    ['a directory', 'adir', /adir is a directory/],
  ])('%s: exit 3 naming it', async (_name, name, msg) => {
    const r = await runCli(['replay', file(name)]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

test('a closed output pipe ends the replay with exit 0', async () => {
  const many =
    Array.from({ length: 20000 }, (_, i) =>
      FORWARD.replace('"incoming_htlc_id":"5"', `"incoming_htlc_id":"${i}"`),
    ).join('\n') + '\n';
  await writeFile(file('many.raw'), many);
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${BIN}" replay "${file('many.raw')}" -f jsonl | head -1 > /dev/null; echo "\${PIPESTATUS[0]}" >&2`,
      ],
      {
        env: cleanEnv({ HOME: '/nonexistent-home' }),
      },
    );
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  expect(code).toBe(0);
  expect(stderr.trim()).toBe('0');
});
