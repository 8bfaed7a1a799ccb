/**
 * Every output format, end to end: the built CLI tails the simulated node over
 * TLS through `--lnddir DIR --network regtest`, on a scripted stream holding
 * all seven flows of LND-FACTS plus the edge cases (unknown enum numbers, an
 * event with no oneof member, max-uint64 ids, amounts above 2^53 msat,
 * multi-line and non-ASCII failure text with an ESC inside, a settle with an
 * empty preimage, a final_htlc on chain, timestamp 0). The expected values are
 * written here by hand from SPEC.md and LND-FACTS.md.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { jsonLines, type CliResult } from './run-cli.js';
import {
  cli,
  coreScenario,
  durationText,
  expectNoNodeWarnings,
  expectNoSecrets,
  NASTY_FAILURE,
  NASTY_FIRST_LINE_SHOWN,
  PREIMAGE_1,
  PREIMAGE_2,
  PREIMAGE_3,
  pooled,
  rfc3339,
  scid,
  startSimFixture,
  STEP_COUNT,
  STEP_NAMES,
  stepOf,
  ts,
  U32_MAX,
  U64_MAX,
  type SimFixture,
} from './sim-fixture.js';

let fx: SimFixture;
/** Every run of this file, started together in beforeAll (they share one node). */
const runs: Record<string, Promise<CliResult>> = {};
const COUNT = ['--count', String(STEP_COUNT)];
const pool = pooled<CliResult>(4);

const RUNS: Record<string, { args: string[]; env?: Record<string, string> }> = {
  jsonl: { args: ['-f', 'jsonl'] },
  jsonlNoAliases: { args: ['-f', 'jsonl', '--no-aliases'] },
  raw: { args: ['-f', 'raw'] },
  rawSubscribed: { args: ['-f', 'raw', '--event', 'subscribed', '--count', '1'] },
  pretty: { args: ['-f', 'pretty', '--color', 'never'], env: { TZ: 'Asia/Kolkata' } },
  prettyUtc: { args: ['-f', 'pretty', '--color', 'never', '--utc'], env: { TZ: 'Asia/Kolkata' } },
  prettyColor: { args: ['-f', 'pretty', '--color', 'always', '--utc'] },
  prettyDefault: { args: ['--utc'] }, // pretty is the default; auto colour on a pipe = none
  prettyForceColor: { args: ['--color', 'auto', '--utc'], env: { FORCE_COLOR: '1' } },
  table: { args: ['-f', 'table', '--color', 'never'], env: { TZ: 'Asia/Kolkata' } },
  tableUtc: { args: ['-f', 'table', '--color', 'never', '--utc'], env: { TZ: 'Asia/Kolkata' } },
  tableColor: { args: ['-f', 'table', '--color', 'always', '--utc'] },
};

beforeAll(async () => {
  fx = await startSimFixture({ seed: 1, scenario: (n) => coreScenario(n, 'hold') });
  for (const [name, r] of Object.entries(RUNS)) {
    const args = r.args.includes('--count') ? r.args : [...r.args, ...COUNT];
    runs[name] = pool(() => cli([...fx.args, ...args], { env: { HOME: '/nonexistent-home', ...r.env } }));
  }
  await Promise.allSettled(Object.values(runs));
}, 180_000);

afterAll(async () => {
  await fx?.cleanup();
});

/**
 * KNOWN BUG (reported; src/pipeline, not this file's scope): an alias refresh
 * (made because an event names a channel ListChannels does not know, here the
 * max-uint64 one) that is in flight when --count stops the tail fails with
 * "Stream refused by server" or "Channel has been shut down", and a warning is
 * printed at exit. It is a race, so it is tolerated here rather than tested.
 */
const ALIAS_SHUTDOWN_RACE =
  /^htlc-tail: warning: cannot look up .*aliases.*(Stream refused by server|Channel has been shut down)/;
const stderrLines = (r: CliResult) => r.stderr.split('\n').filter((l) => l !== '');

async function ok(name: string): Promise<CliResult> {
  const r = await runs[name]!;
  if (r.code !== 0) {
    throw new Error(
      `run ${name} exited ${r.code ?? r.signal} after ${r.stdout.split('\n').length - 1} lines: ${r.stderr}`,
    );
  }
  expect(stderrLines(r).filter((l) => !ALIAS_SHUTDOWN_RACE.test(l))).toEqual([]);
  expectNoSecrets(r, fx.secrets);
  expectNoNodeWarnings(r.stderr);
  return r;
}

// ---- jsonl -------------------------------------------------------------------

const ALIAS = ['ACINQ', 'WalletOfSatoshi.com', '⚡ Zürich-node', 'LNBiG [Hub-3]', 'bad\u001b[31malias', undefined];

/** The jsonl object SPEC schema 1 gives for step k (aliases on or off). */
function expectedJsonl(k: number, aliases: boolean): Record<string, unknown> {
  const ch = (i: number) => fx.chan(i);
  const [A, B, C, D, E, F] = [0, 1, 2, 3, 4, 5];
  const ids = (type: string | number, inCh: number | string, inH: string, outCh: number | string, outH: string) => {
    const inId = typeof inCh === 'number' ? ch(inCh) : inCh;
    const outId = typeof outCh === 'number' ? ch(outCh) : outCh;
    const o: Record<string, unknown> = {
      event_type: type,
      time: k === 21 ? null : rfc3339(ts(k)),
      timestamp_ns: k === 21 ? '0' : ts(k),
      incoming_channel_id: inId,
      outgoing_channel_id: outId,
      incoming_htlc_id: inH,
      outgoing_htlc_id: outH,
    };
    if (inId !== '0') o.incoming_scid = scid(inId);
    if (outId !== '0') o.outgoing_scid = scid(outId);
    if (aliases && typeof inCh === 'number' && ALIAS[inCh]) o.incoming_alias = ALIAS[inCh];
    if (aliases && typeof outCh === 'number' && ALIAS[outCh]) o.outgoing_alias = ALIAS[outCh];
    return o;
  };
  const amts = (itl: number, otl: number, iamt: number | bigint, oamt: number | bigint) => {
    const o: Record<string, unknown> = {};
    if (itl !== 0) o.incoming_timelock = itl;
    if (otl !== 0) o.outgoing_timelock = otl;
    if (iamt !== 0) o.incoming_amt_msat = iamt;
    if (oamt !== 0) o.outgoing_amt_msat = oamt;
    return o;
  };
  const dur = (first: number) => ({ duration_ms: Number(durationText(first, k)) });
  const f1 = { ...amts(870200, 870160, 1000500, 1000000), fee_msat: 500 };
  const f2 = { ...amts(870300, 870260, 50000123, 50000000), fee_msat: 123 };
  const f3 = { ...amts(870400, 870360, 2500000000, 2499750000), fee_msat: 250000 };
  const big = { ...amts(U32_MAX, U32_MAX, 1n, 1n) }; // amounts checked textually
  delete big.incoming_amt_msat;
  delete big.outgoing_amt_msat;
  switch (k) {
    case 1:
      return { event: 'forward', ...ids('FORWARD', A, '101', B, '201'), ...f1 };
    case 2:
      return {
        event: 'settle',
        ...ids('FORWARD', A, '101', B, '201'),
        ...f1,
        preimage: PREIMAGE_1.toString('hex'),
        ...dur(1),
      };
    case 3:
      return {
        event: 'final_htlc',
        ...ids('UNKNOWN', A, '101', '0', '0'),
        ...f1,
        settled: true,
        offchain: true,
        ...dur(1),
      };
    case 4:
      return { event: 'forward', ...ids('FORWARD', C, '102', D, '202'), ...f2 };
    case 5:
      return { event: 'forward_fail', ...ids('FORWARD', C, '102', D, '202'), ...f2, ...dur(4) };
    case 6:
      return {
        event: 'final_htlc',
        ...ids('UNKNOWN', C, '102', '0', '0'),
        ...f2,
        settled: false,
        offchain: true,
        ...dur(4),
      };
    case 7:
      return {
        event: 'link_fail',
        ...ids('FORWARD', A, '103', B, '0'),
        ...f3,
        wire_failure: 'TEMPORARY_CHANNEL_FAILURE',
        failure_detail: 'INSUFFICIENT_BALANCE',
        failure_string: 'insufficient bandwidth to route htlc',
      };
    case 8:
      return {
        event: 'final_htlc',
        ...ids('UNKNOWN', A, '103', '0', '0'),
        ...f3,
        settled: false,
        offchain: true,
        ...dur(7),
      };
    case 9:
      return { event: 'settle', ...ids('RECEIVE', E, '104', '0', '0'), preimage: PREIMAGE_2.toString('hex') };
    case 10:
      return { event: 'final_htlc', ...ids('UNKNOWN', E, '104', '0', '0'), settled: true, offchain: true, ...dur(9) };
    case 11:
      return {
        event: 'link_fail',
        ...ids('RECEIVE', C, '105', '0', '0'),
        ...amts(870500, 0, 21000000, 0),
        wire_failure: 'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS',
        failure_detail: 'UNKNOWN_INVOICE',
        failure_string: 'invoice not found',
      };
    case 12:
      return {
        event: 'final_htlc',
        ...ids('UNKNOWN', C, '105', '0', '0'),
        ...amts(870500, 0, 21000000, 0),
        settled: false,
        offchain: true,
        ...dur(11),
      };
    case 13:
      return { event: 'forward', ...ids('SEND', '0', '0', B, '203'), ...amts(0, 870600, 0, 75000000) };
    case 14:
      return {
        event: 'settle',
        ...ids('SEND', '0', '0', B, '203'),
        ...amts(0, 870600, 0, 75000000),
        preimage: PREIMAGE_3.toString('hex'),
        ...dur(13),
      };
    case 15:
      return { event: 'forward', ...ids('SEND', '0', '0', D, '204'), ...amts(0, 870700, 0, 1234567) };
    case 16:
      return { event: 'forward_fail', ...ids('SEND', '0', '0', D, '204'), ...amts(0, 870700, 0, 1234567), ...dur(15) };
    case 17:
      return {
        event: 'link_fail',
        ...ids('SEND', '0', '0', F, '0'),
        ...amts(0, 870800, 0, 999000),
        wire_failure: 'UNKNOWN_NEXT_PEER',
        failure_detail: 'LINK_NOT_ELIGIBLE',
        failure_string: 'link not eligible for forwarding',
      };
    // event_type 7: not a FORWARD, so no fee_msat.
    case 18:
      return { event: 'forward', ...ids(7, A, '106', C, '206'), ...amts(870900, 870860, 3000, 2000) };
    case 19:
      return {
        event: 'link_fail',
        ...ids('FORWARD', D, '107', E, '0'),
        wire_failure: 1234,
        failure_detail: 99,
        failure_string: NASTY_FAILURE,
      };
    case 20:
      return {
        event: 'final_htlc',
        ...ids('UNKNOWN', D, '107', '0', '0'),
        settled: false,
        offchain: false,
        ...dur(19),
      };
    case 21:
      return { event: 'unknown', ...ids('FORWARD', B, '108', C, '208') };
    case 22:
      return { event: 'forward', ...ids('FORWARD', U64_MAX, U64_MAX, U64_MAX, U64_MAX), ...big };
    case 23:
      return { event: 'settle', ...ids('FORWARD', U64_MAX, U64_MAX, U64_MAX, U64_MAX), ...big, ...dur(22) };
  }
  throw new Error(`no step ${k}`);
}

/** SPEC: "a side that is 0 for a SEND or RECEIVE may be left out": drop such zeros before comparing. */
function dropZeroSides(o: Record<string, unknown>, k: number): Record<string, unknown> {
  const sendOrReceive = [9, 10, 11, 12, 13, 14, 15, 16, 17].includes(k);
  if (!sendOrReceive) return o;
  const c = { ...o };
  for (const key of ['incoming_amt_msat', 'outgoing_amt_msat', 'incoming_timelock', 'outgoing_timelock'])
    if (c[key] === 0) delete c[key];
  return c;
}

describe('stderr', () => {
  // With aliases, a known race may add a warning at exit (see ALIAS_SHUTDOWN_RACE); without them, nothing at all.
  test('a clean run that ends by --count prints nothing on stderr', async () => {
    const r = await runs.jsonlNoAliases!;
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('jsonl', () => {
  test.each([
    ['with aliases', 'jsonl', true],
    ['--no-aliases', 'jsonlNoAliases', false],
  ])('every step as SPEC schema 1 (%s)', async (_name, run, aliases) => {
    const r = await ok(run);
    const lines = jsonLines(r.stdout);
    expect(lines.map(stepOf)).toEqual(Array.from({ length: STEP_COUNT }, (_, i) => i + 1));
    for (const line of lines) {
      const k = stepOf(line);
      const got = dropZeroSides(line, k);
      if (k === 22 || k === 23) {
        delete got.incoming_amt_msat;
        delete got.outgoing_amt_msat;
        delete got.fee_msat;
      }
      expect([k, STEP_NAMES[k], got]).toEqual([k, STEP_NAMES[k], expectedJsonl(k, aliases)]);
    }
  });

  test('every line is one compact JSON object; identifiers are strings, quantities numbers', async () => {
    const r = await ok('jsonl');
    const text = r.stdout.split('\n');
    expect(text.at(-1)).toBe('');
    for (const l of text.slice(0, -1)) {
      expect(l).toMatch(/^\{.*\}$/);
      expect(typeof JSON.parse(l)).toBe('object');
    }
  });

  test('64-bit values keep every digit (checked in the text, not through a float)', async () => {
    const r = await ok('jsonl');
    const lines = r.stdout.split('\n');
    const fwd = lines.find((l) => l.includes('"event":"forward"') && l.includes(U64_MAX))!;
    expect(fwd).toBeDefined();
    for (const key of ['incoming_channel_id', 'outgoing_channel_id', 'incoming_htlc_id', 'outgoing_htlc_id']) {
      expect(fwd).toContain(`"${key}":"${U64_MAX}"`);
    }
    expect(fwd).toContain('"incoming_scid":"16777215x16777215x65535"');
    expect(fwd).toContain('"outgoing_scid":"16777215x16777215x65535"');
    // Quantities are numbers with their exact digits: above 2^53 (9007199254740992).
    expect(fwd).toContain(`"incoming_amt_msat":${U64_MAX}`);
    expect(fwd).toContain('"outgoing_amt_msat":9007199254740993001');
    expect(fwd).toContain('"fee_msat":9439544818968558614');
    expect(fwd).toContain(`"incoming_timelock":${U32_MAX}`);
    // The settle of that HTLC: empty preimage → no preimage key; amounts copied from the forward.
    const settle = lines.find((l) => l.includes('"event":"settle"') && l.includes(U64_MAX))!;
    expect(settle).not.toContain('"preimage"');
    expect(settle).toContain(`"incoming_amt_msat":${U64_MAX}`);
    expect(settle).toContain('"outgoing_amt_msat":9007199254740993001');
    expect(settle).toContain('"fee_msat":9439544818968558614');
    expect(settle).toContain(`"duration_ms":${durationText(22, 23)}`);
    // Every timestamp_ns as a decimal string with all its digits.
    expect(lines.find((l) => l.includes('"event":"forward"') && l.includes('"incoming_htlc_id":"101"'))).toContain(
      `"timestamp_ns":"${ts(1)}"`,
    );
  });

  test('durations are exact decimals of lnd clock differences', async () => {
    const r = await ok('jsonl');
    const settle = r.stdout
      .split('\n')
      .find((l) => l.includes('"event":"settle"') && l.includes('"incoming_htlc_id":"101"'))!;
    expect(settle).toContain('"duration_ms":1.00025');
    const final = r.stdout
      .split('\n')
      .find((l) => l.includes('"event":"final_htlc"') && l.includes('"incoming_htlc_id":"101"'))!;
    expect(final).toContain('"duration_ms":2.0005');
  });

  test('unknown enum numbers come out as numbers; failure text as JSON escapes', async () => {
    const r = await ok('jsonl');
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.includes('"incoming_htlc_id":"106"'))).toContain('"event_type":7');
    const lf = lines.find((l) => l.includes('"incoming_htlc_id":"107"') && l.includes('link_fail'))!;
    expect(lf).toContain('"wire_failure":1234');
    expect(lf).toContain('"failure_detail":99');
    expect(lf).toContain('\\n'); // the newline escaped, so one line
    expect(lf).not.toContain('\u001b'); // ESC escaped by JSON
    expect(JSON.parse(lf).failure_string).toBe(NASTY_FAILURE);
  });
});

// ---- raw ---------------------------------------------------------------------

/** lnd's REST `result` (protojson, proto names, unpopulated fields emitted) for step k, by hand from LND-FACTS. */
function expectedRaw(k: number): Record<string, unknown> {
  const ch = (i: number) => fx.chan(i);
  const base = (type: string | number, inCh: string, inH: string, outCh: string, outH: string) => ({
    incoming_channel_id: inCh,
    outgoing_channel_id: outCh,
    incoming_htlc_id: inH,
    outgoing_htlc_id: outH,
    timestamp_ns: k === 21 ? '0' : k === 0 ? '0' : ts(k),
    event_type: type,
  });
  const info = (itl: number, otl: number, iamt: string, oamt: string) => ({
    incoming_timelock: itl,
    outgoing_timelock: otl,
    incoming_amt_msat: iamt,
    outgoing_amt_msat: oamt,
  });
  const [A, B, C, D, E, F] = [0, 1, 2, 3, 4, 5].map(ch) as [string, string, string, string, string, string];
  switch (k) {
    case 0:
      return { ...base('UNKNOWN', '0', '0', '0', '0'), subscribed_event: {} };
    case 1:
      return {
        ...base('FORWARD', A, '101', B, '201'),
        forward_event: { info: info(870200, 870160, '1000500', '1000000') },
      };
    case 2:
      return {
        ...base('FORWARD', A, '101', B, '201'),
        settle_event: { preimage: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' },
      };
    case 3:
      return { ...base('UNKNOWN', A, '101', '0', '0'), final_htlc_event: { settled: true, offchain: true } };
    case 4:
      return {
        ...base('FORWARD', C, '102', D, '202'),
        forward_event: { info: info(870300, 870260, '50000123', '50000000') },
      };
    case 5:
      return { ...base('FORWARD', C, '102', D, '202'), forward_fail_event: {} };
    case 6:
      return { ...base('UNKNOWN', C, '102', '0', '0'), final_htlc_event: { settled: false, offchain: true } };
    case 7:
      return {
        ...base('FORWARD', A, '103', B, '0'),
        link_fail_event: {
          info: info(870400, 870360, '2500000000', '2499750000'),
          wire_failure: 'TEMPORARY_CHANNEL_FAILURE',
          failure_detail: 'INSUFFICIENT_BALANCE',
          failure_string: 'insufficient bandwidth to route htlc',
        },
      };
    case 8:
      return { ...base('UNKNOWN', A, '103', '0', '0'), final_htlc_event: { settled: false, offchain: true } };
    case 9:
      return {
        ...base('RECEIVE', E, '104', '0', '0'),
        settle_event: { preimage: 'qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo=' },
      };
    case 10:
      return { ...base('UNKNOWN', E, '104', '0', '0'), final_htlc_event: { settled: true, offchain: true } };
    case 11:
      return {
        ...base('RECEIVE', C, '105', '0', '0'),
        link_fail_event: {
          info: info(870500, 0, '21000000', '0'),
          wire_failure: 'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS',
          failure_detail: 'UNKNOWN_INVOICE',
          failure_string: 'invoice not found',
        },
      };
    case 12:
      return { ...base('UNKNOWN', C, '105', '0', '0'), final_htlc_event: { settled: false, offchain: true } };
    case 13:
      return { ...base('SEND', '0', '0', B, '203'), forward_event: { info: info(0, 870600, '0', '75000000') } };
    case 14:
      return {
        ...base('SEND', '0', '0', B, '203'),
        settle_event: { preimage: 'u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7s=' },
      };
    case 15:
      return { ...base('SEND', '0', '0', D, '204'), forward_event: { info: info(0, 870700, '0', '1234567') } };
    case 16:
      return { ...base('SEND', '0', '0', D, '204'), forward_fail_event: {} };
    case 17:
      return {
        ...base('SEND', '0', '0', F, '0'),
        link_fail_event: {
          info: info(0, 870800, '0', '999000'),
          wire_failure: 'UNKNOWN_NEXT_PEER',
          failure_detail: 'LINK_NOT_ELIGIBLE',
          failure_string: 'link not eligible for forwarding',
        },
      };
    case 18:
      return { ...base(7, A, '106', C, '206'), forward_event: { info: info(870900, 870860, '3000', '2000') } };
    case 19:
      return {
        ...base('FORWARD', D, '107', E, '0'),
        link_fail_event: { info: null, wire_failure: 1234, failure_detail: 99, failure_string: NASTY_FAILURE },
      };
    case 20:
      return { ...base('UNKNOWN', D, '107', '0', '0'), final_htlc_event: { settled: false, offchain: false } };
    case 21:
      return base('FORWARD', B, '108', C, '208');
    case 22:
      return {
        ...base('FORWARD', U64_MAX, U64_MAX, U64_MAX, U64_MAX),
        forward_event: { info: info(U32_MAX, U32_MAX, U64_MAX, '9007199254740993001') },
      };
    case 23:
      return { ...base('FORWARD', U64_MAX, U64_MAX, U64_MAX, U64_MAX), settle_event: { preimage: '' } };
  }
  throw new Error(`no step ${k}`);
}

describe('raw', () => {
  test('every line equals, as a JSON value, what lnd REST sends under "result"', async () => {
    const r = await ok('raw');
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(STEP_COUNT);
    lines.forEach((line, i) => {
      const k = i + 1;
      // toStrictEqual: no extra keys, no missing keys, null stays null.
      expect([k, STEP_NAMES[k], line]).toStrictEqual([k, STEP_NAMES[k], expectedRaw(k)]);
    });
  });

  test("the subscribed event, when asked for, is lnd's first message", async () => {
    const r = await ok('rawSubscribed');
    expect(jsonLines(r.stdout)).toStrictEqual([expectedRaw(0)]);
  });

  test('uint64 values are decimal strings with every digit; no aliases or derived keys', async () => {
    const r = await ok('raw');
    expect(r.stdout).toContain(`"incoming_amt_msat":"${U64_MAX}"`);
    expect(r.stdout).toContain('"outgoing_amt_msat":"9007199254740993001"');
    expect(r.stdout).toContain(`"incoming_timelock":${U32_MAX}`);
    expect(r.stdout).not.toMatch(/_alias|_scid|fee_msat|duration_ms|"time"/);
    expect(r.stdout).not.toContain('\u001b');
  });
});

// ---- pretty and table -------------------------------------------------------

const ESC = '\u001b';
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('pretty', () => {
  test('one line per event, nothing raw from the node', async () => {
    const r = await ok('prettyUtc');
    const lines = r.stdout.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(STEP_COUNT + 1); // multi-line failure text stays on one line
    expect(r.stdout).not.toContain(ESC);
  });

  test("the lines say what happened, in lnd's names, sat with msat precision", async () => {
    const lines = (await ok('prettyUtc')).stdout.split('\n');
    const A = scid(fx.chan(0));
    const B = scid(fx.chan(1));
    // step 1: forward A → B, 1000 sat out, fee 0.5 sat
    expect(lines[0]).toMatch(/^2024-05-06 07:08:09\.124Z FORWARD +forward /); // --utc: marked Z (issue 11)
    expect(lines[0]).toContain(`${A} (ACINQ)`);
    expect(lines[0]).toContain(`${B} (WalletOfSatoshi.com)`);
    expect(lines[0]).toMatch(/1,000 sat|1000 sat/);
    expect(lines[0]).toMatch(/fee 0\.5 sat/);
    // step 2: settle
    expect(lines[1]).toMatch(/FORWARD +settle .*settled/);
    // step 7: link_fail, codes, explanation, lnd's text
    expect(lines[6]).toMatch(/link_fail/);
    expect(lines[6]).toContain('TEMPORARY_CHANNEL_FAILURE');
    expect(lines[6]).toContain('INSUFFICIENT_BALANCE');
    expect(lines[6]).toContain('insufficient bandwidth to route htlc');
    // step 9: receive, the alias with an ESC shown escaped
    expect(lines[8]).toMatch(/RECEIVE +settle/);
    expect(lines[8]).toContain('bad\\x1b[31malias');
    // step 12: amounts copied from the link_fail: 21,000 sat
    expect(lines[11]).toMatch(/21,000(\.000)? sat/);
    // step 18: unknown event_type shown as a number
    expect(lines[17]).toMatch(/#7|\b7\b/);
    // step 20: resolved on chain
    expect(lines[19]).toMatch(/on chain/);
    // step 22: max uint64: scid and the exact amount (9007199254740993.001 sat out)
    expect(lines[21]).toContain('16777215x16777215x65535');
    expect(lines[21]).toMatch(/9,?007,?199,?254,?740,?993\.001 sat/);
  });

  test('failure text: first line only, control characters escaped, non-ASCII kept', async () => {
    const lines = (await ok('prettyUtc')).stdout.split('\n');
    const lf = lines[18]!;
    expect(lf).toContain('1234');
    expect(lf).toContain('99');
    expect(lf).toContain(NASTY_FIRST_LINE_SHOWN);
    expect(lf).not.toContain('ChannelUpdate');
    expect(lf).not.toContain('base_fee');
  });

  test('an event with no oneof member and timestamp 0 still gets a line', async () => {
    const lines = (await ok('prettyUtc')).stdout.split('\n');
    expect(lines[20]).toContain(scid(fx.chan(1)));
    expect(lines[20]).toMatch(/unknown/);
  });

  test('--utc shows UTC, marked Z; without it, local time (TZ=Asia/Kolkata, +05:30)', async () => {
    const utc = (await ok('prettyUtc')).stdout.split('\n');
    const local = (await ok('pretty')).stdout.split('\n');
    expect(utc[0]).toMatch(/^2024-05-06 07:08:09\.124Z /);
    expect(local[0]).toMatch(/^2024-05-06 12:38:09\.124 /);
    // Apart from the clock, the same line.
    expect(local[0]!.slice(24)).toBe(utc[0]!.slice(25));
  });

  test('--color always adds ANSI colour, and only colour: stripped, it is the --color never text', async () => {
    const color = (await ok('prettyColor')).stdout;
    const plain = (await ok('prettyUtc')).stdout;
    expect(color).toMatch(/\u001b\[\d+m/);
    expect(stripAnsi(color)).toBe(plain);
    // The node's ESC in the alias and the failure text is still escaped.
    expect(stripAnsi(color)).toContain('bad\\x1b[31malias');
  });

  test('auto: no colour on a pipe, colour with FORCE_COLOR; pretty is the default format', async () => {
    expect((await ok('prettyDefault')).stdout).toBe((await ok('prettyUtc')).stdout);
    expect((await ok('prettyForceColor')).stdout).toBe((await ok('prettyColor')).stdout);
  });
});

const KINDS = [
  'subscribed',
  'forward',
  'settle',
  'final_htlc',
  'forward',
  'forward_fail',
  'final_htlc',
  'link_fail',
  'final_htlc',
  'settle',
  'final_htlc',
  'link_fail',
  'final_htlc',
  'forward',
  'settle',
  'forward',
  'forward_fail',
  'link_fail',
  'forward',
  'link_fail',
  'final_htlc',
  'unknown',
  'forward',
  'settle',
];

describe('table', () => {
  test('a header and one aligned row per event, nothing raw from the node', async () => {
    const r = await ok('tableUtc');
    const lines = r.stdout.split('\n');
    expect(lines.at(-1)).toBe('');
    const [header, ...rows] = lines.slice(0, -1);
    expect(rows).toHaveLength(STEP_COUNT);
    expect(r.stdout).not.toContain(ESC);
    for (const title of ['TIME', 'TYPE', 'EVENT', 'AMOUNT', 'FEE']) expect(header).toContain(title);
    // Columns before the channels are aligned under their titles.
    const typeAt = header!.indexOf('TYPE');
    const eventAt = header!.indexOf('EVENT');
    rows.forEach((row, i) => {
      const k = i + 1;
      const kind = KINDS[k]!;
      expect([k, row.indexOf(kind, typeAt + 1)]).toEqual([k, eventAt]);
      if (k !== 21) expect([k, row.slice(0, 14)]).toEqual([k, '05-06 07:08:09']);
    });
  });

  test('rows carry the same facts as pretty: aliases, amounts, codes, first line of failure text', async () => {
    const rows = (await ok('tableUtc')).stdout.split('\n').slice(1);
    expect(rows[0]).toContain('ACINQ');
    expect(rows[6]).toContain('TEMPORARY_CHANNEL_FAILURE');
    expect(rows[6]).toContain('insufficient bandwidth to route htlc');
    expect(rows[18]).toContain(NASTY_FIRST_LINE_SHOWN);
    expect(rows[18]).not.toContain('ChannelUpdate');
    expect(rows[21]).toMatch(/9,?007,?199,?254,?740,?993\.001/);
    expect(rows.join('\n')).toContain('bad\\x1b');
  });

  test('--utc against local time, and --color always adds only colour', async () => {
    const local = (await ok('table')).stdout.split('\n');
    const utc = (await ok('tableUtc')).stdout.split('\n');
    expect(local[1]!.slice(0, 14)).toBe('05-06 12:38:09');
    expect(local[1]!.slice(14)).toBe(utc[1]!.slice(14));
    const color = (await ok('tableColor')).stdout;
    expect(color).toMatch(/\u001b\[\d+m/);
    expect(stripAnsi(color)).toBe(utc.join('\n'));
  });
});
