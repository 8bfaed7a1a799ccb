/**
 * The summary (--stats, --stats-interval, --stuck-after) end to end: the built
 * CLI tails the simulated node, which sends a scripted stream whose right
 * answers were worked out by hand (see SCRIPT below). The summary's text on
 * stderr is checked line by line; stdout must stay pure jsonl.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startSimNode, type SimNodeHandle, type HtlcEventObject } from '@htlc-tail/lnd-sim';
import { runCli, type CliOptions, type CliResult } from './run-cli.js';

const MS = 1_000_000n;

let sim: SimNodeHandle;
let dir: string;
let base: string[];
/** Channels 0-4 of the node: ACINQ, WalletOfSatoshi.com, ⚡ Zürich-node, LNBiG (GetNodeInfo), bad<ESC>alias. */
let A: string, B: string, C: string, D: string, E: string;
let height: number;

type Ids = [string, string, string, string];
type Info = {
  incoming_timelock?: number;
  outgoing_timelock?: number;
  incoming_amt_msat?: string;
  outgoing_amt_msat?: string;
};

function msg(
  kind: string,
  type: string,
  ids: Ids,
  ts: bigint,
  extra: Record<string, unknown> = {},
): { send: HtlcEventObject } {
  return {
    send: {
      incoming_channel_id: ids[0],
      incoming_htlc_id: ids[1],
      outgoing_channel_id: ids[2],
      outgoing_htlc_id: ids[3],
      timestamp_ns: ts.toString(),
      event_type: type,
      [`${kind}_event`]: extra,
    },
  };
}
const fwd = (type: string, ids: Ids, ts: bigint, info: Info) => msg('forward', type, ids, ts, { info });
const settle = (type: string, ids: Ids, ts: bigint) => msg('settle', type, ids, ts, { preimage: Buffer.alloc(32, 7) });
const ffail = (ids: Ids, ts: bigint) => msg('forward_fail', 'FORWARD', ids, ts);
const final = (ids: Ids, ts: bigint, settled: boolean) =>
  msg('final_htlc', 'UNKNOWN', [ids[0], ids[1], '0', '0'], ts, { settled, offchain: true });
const lfail = (type: string, ids: Ids, ts: bigint, wire: string, detail: string, info: Info | null) =>
  msg('link_fail', type, ids, ts, {
    info,
    wire_failure: wire,
    failure_detail: detail,
    failure_string: 'some lnd text',
  });

/**
 * Settled forwards S1..S10: [settle delay in ns, incoming msat, outgoing msat].
 * Delays sorted: 1, 3.5, 4, 7, 8, 9.25, 12, 15, 30.001, 120 ms → nearest rank
 * p50 (5th) 8 ms, p90 (9th) 30.001 ms, p99 (10th) 120 ms.
 * Fees: 1000 + 250 + 1234 + 7 + 1 + 99 + 500 + 3003 + 10 + 42 = 6146 msat = 6.146 sat.
 */
const SETTLED: ReadonlyArray<readonly [bigint, string, string]> = [
  [7_000_000n, '2001000', '2000000'],
  [3_500_000n, '1000250', '1000000'],
  [12_000_000n, '5001234', '5000000'],
  [9_250_000n, '300007', '300000'],
  [1_000_000n, '10001', '10000'],
  [15_000_000n, '7000099', '7000000'],
  [4_000_000n, '500500', '500000'],
  [30_001_000n, '9007199254743996', '9007199254740993'], // above 2^53: fee 3003 only if exact
  [8_000_000n, '1000010', '1000000'],
  [120_000_000n, '4200042', '4200000'],
];

/**
 * The script (times in ms after T0; T0 is 1 h 30 min 30 s before each test):
 *   X1   SEND forward → C #501 at 0.5 s, never resolved (outgoing timelock height+500)
 *   S1..S10 FORWARD A→B forward at k s, settle after the delay above; finals for S1..S3;
 *        a replayed settle of S1 and a replayed forward of S2
 *   F1   A→B forward 11 s, forward_fail, final      F2   A→C forward 12 s, forward_fail
 *   L1   A→C link_fail TEMPORARY_CHANNEL_FAILURE/INSUFFICIENT_BALANCE 13 s, final
 *   L2   A→C link_fail same 14 s                    L3   B→E FEE_INSUFFICIENT/NO_DETAIL 15 s
 *   L4   B→E TEMPORARY_CHANNEL_FAILURE/INSUFFICIENT_BALANCE 15.5 s
 *   R1   RECEIVE D link_fail INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS/UNKNOWN_INVOICE 16 s, final
 *   R3   RECEIVE D link_fail same 16.5 s            R2   RECEIVE D settle 17 s, final
 *   P1   SEND forward → B #500 18 s, settle 18.2 s
 *   X2   FORWARD E→A #77/#78 forward 19 s, never resolved (incoming timelock height+100)
 *
 * By hand:
 *   kinds: forward 10+2+P1+X1+X2 = 15, forward_fail 2, settle 10+R2+P1 = 12,
 *          link_fail 4+2 = 6, final_htlc S1,S2,S3,F1,L1,R1,R2 = 7, subscribed 1 → 43; replayed 2
 *   types: UNKNOWN 7+1 = 8, SEND 3, RECEIVE 3, FORWARD 10+10+2+2+4+1 = 29
 *   forwards: settled 10, failed downstream 2, failed here 4, in flight 1 (X2);
 *          success 10/16 = 62.5%; fees 6.146 sat; in flight overall 2 (X1, X2)
 *   failure reasons (link_fail): TCF/INSUFFICIENT_BALANCE 3, UNKNOWN_INVOICE 2, FEE_INSUFFICIENT 1
 *   failing pairs: A→C 3 (F2, L1, L2), B→E 2 (L3, L4), A→B 1 (F1)
 *   window: 0.5 s → 19 s = 18.5 s
 *   printed events (all but subscribed): 42 + 2 replays = 44
 */
function script(t0: bigint): { send: HtlcEventObject }[] {
  const at = (ms: number) => t0 + BigInt(Math.round(ms * 1000)) * 1000n;
  const steps: { send: HtlcEventObject }[] = [];
  steps.push(
    fwd('SEND', ['0', '0', C, '501'], at(500), { outgoing_timelock: height + 500, outgoing_amt_msat: '5000000' }),
  );
  SETTLED.forEach(([delay, inAmt, outAmt], i) => {
    const k = i + 1;
    const ids: Ids = [A, String(k), B, String(k)];
    const t = at(k * 1000);
    const info = {
      incoming_timelock: height + 200,
      outgoing_timelock: height + 160,
      incoming_amt_msat: inAmt,
      outgoing_amt_msat: outAmt,
    };
    steps.push(fwd('FORWARD', ids, t, info));
    steps.push(settle('FORWARD', ids, t + delay));
    if (k <= 3) steps.push(final(ids, t + delay + MS, true));
    if (k === 1) steps.push(settle('FORWARD', ids, t + delay + 2n * MS)); // replay
    if (k === 2) steps.push(fwd('FORWARD', ids, t + 10n * MS, info)); // replay
  });
  const info = (i: string, o: string): Info => ({
    incoming_timelock: height + 300,
    outgoing_timelock: height + 260,
    incoming_amt_msat: i,
    outgoing_amt_msat: o,
  });
  const f1: Ids = [A, '11', B, '11'];
  steps.push(
    fwd('FORWARD', f1, at(11_000), info('100100', '100000')),
    ffail(f1, at(11_005)),
    final(f1, at(11_006), false),
  );
  const f2: Ids = [A, '12', C, '12'];
  steps.push(fwd('FORWARD', f2, at(12_000), info('200200', '200000')), ffail(f2, at(12_006)));
  const l1: Ids = [A, '13', C, '0'];
  steps.push(
    lfail('FORWARD', l1, at(13_000), 'TEMPORARY_CHANNEL_FAILURE', 'INSUFFICIENT_BALANCE', info('300300', '300000')),
    final(l1, at(13_001), false),
  );
  steps.push(
    lfail(
      'FORWARD',
      [A, '14', C, '0'],
      at(14_000),
      'TEMPORARY_CHANNEL_FAILURE',
      'INSUFFICIENT_BALANCE',
      info('1', '1'),
    ),
  );
  steps.push(lfail('FORWARD', [B, '15', E, '0'], at(15_000), 'FEE_INSUFFICIENT', 'NO_DETAIL', info('2', '1')));
  steps.push(
    lfail(
      'FORWARD',
      [B, '16', E, '0'],
      at(15_500),
      'TEMPORARY_CHANNEL_FAILURE',
      'INSUFFICIENT_BALANCE',
      info('3', '1'),
    ),
  );
  const r1: Ids = [D, '17', '0', '0'];
  steps.push(
    lfail('RECEIVE', r1, at(16_000), 'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS', 'UNKNOWN_INVOICE', {
      incoming_timelock: height + 40,
      incoming_amt_msat: '9000',
    }),
  );
  steps.push(final(r1, at(16_001), false));
  steps.push(
    lfail('RECEIVE', [D, '18', '0', '0'], at(16_500), 'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS', 'UNKNOWN_INVOICE', null),
  );
  const r2: Ids = [D, '19', '0', '0'];
  steps.push(settle('RECEIVE', r2, at(17_000)), final(r2, at(17_002), true));
  const p1: Ids = ['0', '0', B, '500'];
  steps.push(
    fwd('SEND', p1, at(18_000), { outgoing_timelock: height + 50, outgoing_amt_msat: '7000000' }),
    settle('SEND', p1, at(18_200)),
  );
  steps.push(
    fwd('FORWARD', [E, '77', A, '78'], at(19_000), {
      incoming_timelock: height + 100,
      outgoing_timelock: height + 60,
      incoming_amt_msat: '2000100',
      outgoing_amt_msat: '2000000',
    }),
  );
  return steps;
}
const PRINTED = 44;

function scid(id: string): string {
  const n = BigInt(id);
  return `${n >> 40n}x${(n >> 16n) & 0xffffffn}x${n & 0xffffn}`;
}

/**
 * The summary's lines, exactly. `aliases: false` for a run with --no-aliases;
 * `stuck: false` for a run whose --stuck-after lists nothing; `height: false`
 * when GetInfo is not allowed (no block height, so no "blocks left").
 */
function expectedSummary(o: { aliases?: boolean; stuck?: boolean; height?: boolean } = {}): string[] {
  const left = (n: number) => ((o.height ?? true) ? `  ${n} blocks left` : '');
  const withAliases = o.aliases ?? true;
  const ch = (id: string, alias: string) => (withAliases ? `${scid(id)} (${alias})` : scid(id));
  const a = ch(A, 'ACINQ');
  const b = ch(B, 'WalletOfSatoshi.com');
  const c = ch(C, '⚡ Zürich-node');
  const e = ch(E, 'bad\\x1b[31malias'); // escaped as pretty escapes it (issue 11)
  const lines = [
    'htlc-tail summary  (events over 18.5 s, lnd clock)',
    'Events        43  (forward 15, forward_fail 2, settle 12, link_fail 6, final_htlc 7, subscribed 1)',
    'Replayed      2  (not counted anywhere else)',
    'By type       UNKNOWN 1, SEND 3, RECEIVE 5, FORWARD 34', // a final_htlc under its HTLC's type (issue 11)
    'Forwards      settled 10 · failed downstream 2 · failed here 4 · in flight 1',
    'Success rate  62.5%  (10 of 16)',
    'Fees earned   6.146 sat',
    'Settle time   p50 8 ms · p90 30.001 ms · p99 120 ms  (10 forwards)',
    'Top failure reasons (link_fail, 6 total)',
    '  3  TEMPORARY_CHANNEL_FAILURE / INSUFFICIENT_BALANCE',
    '  2  INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS / UNKNOWN_INVOICE',
    '  1  FEE_INSUFFICIENT / NO_DETAIL',
    'Top failing channel pairs (failed forwards, 6 total)',
    `  3  ${a} → ${c}`,
    `  2  ${b} → ${e}`,
    `  1  ${a} → ${b}`,
  ];
  if (o.stuck ?? true) {
    lines.push(
      'Stuck: 2 HTLCs in flight for more than 1 s',
      `  1h30m  SEND  - → ${c} #501  5000 sat${left(500)}`,
      `  1h30m  FORWARD  ${e} #77 → ${a} #78  2000.1 sat${left(100)}`,
    );
  } else {
    lines.push('Stuck         none (nothing in flight for more than 86400 s; in flight now: 2)');
  }
  return lines;
}

const HEADER = 'htlc-tail summary';

/** The summaries in a stderr text, each as its lines (notice lines, `htlc-tail: …`, are not part of one). */
function summaries(stderr: string): string[][] {
  const out: string[][] = [];
  let cur: string[] | undefined;
  for (const line of stderr.split('\n')) {
    if (line.startsWith(HEADER)) out.push((cur = [line]));
    else if (line.startsWith('htlc-tail: ')) cur = undefined;
    else if (line !== '' && cur) cur.push(line);
  }
  return out;
}

function expectPureJsonl(stdout: string, n: number): void {
  const lines = stdout.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(n);
  for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  expect(stdout).not.toContain(HEADER);
}

/** Runs the tail until `n` stdout lines arrived (and `more()` says so), then sends SIGINT. */
function tailThenInterrupt(
  args: readonly string[],
  n: number,
  more: (stderr: () => string) => Promise<void> = async () => {},
): Promise<CliResult> {
  let child: ChildProcess | undefined;
  let lines = 0;
  let stderr = '';
  let sent = false;
  const opts: CliOptions = {
    timeoutMs: 20_000,
    onSpawn: (c) => {
      child = c;
      c.stderr!.on('data', (d: Buffer | string) => (stderr += d.toString()));
    },
    onStdout: (chunk) => {
      lines += chunk.split('\n').length - 1;
      if (lines >= n && !sent) {
        sent = true;
        void more(() => stderr).then(() => child!.kill('SIGINT'));
      }
    },
  };
  return runCli([...base, ...args], opts);
}

let t0: bigint;

beforeAll(async () => {
  sim = await startSimNode({ seed: 51, scenario: { steps: [] }, hostileAliases: true });
  [A, B, C, D, E] = sim.node.channels.slice(0, 5).map((c) => c.chanId.toString()) as [
    string,
    string,
    string,
    string,
    string,
  ];
  height = sim.node.blockHeight;
  dir = await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-summary-'));
  await sim.writeLndDir(dir);
  base = ['--lnddir', dir, '--network', 'regtest'];
});

beforeEach(() => {
  // 1 h 30 min 30 s ago: the stuck HTLCs' ages print as 1h30m while a test takes < 10 s.
  t0 = (BigInt(Date.now()) / 1000n - 5430n) * 1_000_000_000n;
  sim.setScenario({ steps: script(t0) });
});

afterAll(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('--stats against a scripted stream', () => {
  test('at exit via --count: the summary on stderr, exactly; stdout pure jsonl', async () => {
    const r = await runCli([...base, '-f', 'jsonl', '--stats', '--stuck-after', '1', '--count', String(PRINTED)]);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expectPureJsonl(r.stdout, PRINTED);
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.split('\n').slice(0, -1)).toEqual(expectedSummary());
  });

  test('at exit via SIGINT: the same summary', async () => {
    const r = await tailThenInterrupt(['-f', 'jsonl', '--stats', '--stuck-after', '1'], PRINTED);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expectPureJsonl(r.stdout, PRINTED);
    expect(summaries(r.stderr)).toEqual([expectedSummary()]);
  });

  test('--stats-interval 1: periodic summaries while tailing, and one at exit', async () => {
    const r = await tailThenInterrupt(
      ['-f', 'jsonl', '--stats-interval', '1', '--stuck-after', '1'],
      PRINTED,
      async (stderr) => {
        // Every event is out; a periodic summary printed meanwhile may still be on its way
        // (stdout and stderr are separate pipes), so wait for the second one after this point.
        const before = summaries(stderr()).length;
        for (let waited = 0; summaries(stderr()).length < before + 2 || !stderr().endsWith('\n'); waited += 50) {
          if (waited > 10_000) throw new Error('no periodic summary');
          await new Promise((res) => setTimeout(res, 50));
        }
      },
    );
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expectPureJsonl(r.stdout, PRINTED);
    const all = summaries(r.stderr);
    expect(all.length).toBeGreaterThanOrEqual(2);
    // The last periodic one and the final one both have every figure.
    expect(all.slice(-2)).toEqual([expectedSummary(), expectedSummary()]);
    expect(r.stderr.split('\n').filter((l) => l !== '' && !all.flat().includes(l))).toEqual([]);
  });

  test('--stuck-after defaults to 60 s: an HTLC in flight for 1 h 30 min is listed, one that is younger is not', async () => {
    const now = BigInt(Date.now()) * MS;
    sim.setScenario({
      steps: [
        fwd('FORWARD', [A, '1', B, '1'], t0, {
          incoming_timelock: height + 10,
          outgoing_timelock: height - 30,
          incoming_amt_msat: '1000',
          outgoing_amt_msat: '1000',
        }),
        fwd('FORWARD', [A, '2', B, '2'], now, {
          incoming_timelock: height + 144,
          incoming_amt_msat: '2000',
          outgoing_amt_msat: '1000',
        }),
      ],
    });
    const r = await runCli([...base, '-f', 'jsonl', '--stats', '--count', '2']);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    const s = summaries(r.stderr);
    expect(s).toHaveLength(1);
    expect(s[0]).toContain('Forwards      settled 0 · failed downstream 0 · failed here 0 · in flight 2');
    expect(s[0]).toContain('Success rate  n/a (no forward resolved)');
    expect(s[0]).toContain('Fees earned   0 sat');
    expect(s[0]).toContain('Stuck: 1 HTLC in flight for more than 60 s');
    expect(s[0]).toContain(
      `  1h30m  FORWARD  ${scid(A)} (ACINQ) #1 → ${scid(B)} (WalletOfSatoshi.com) #1  1 sat  10 blocks left`,
    );
  });

  test('a macaroon without info:read: the summary has no block height, one warning (GetNodeInfo), no other', async () => {
    const mac = path.join(dir, 'offchain-only.macaroon');
    await writeFile(mac, sim.mintMacaroon([{ entity: 'offchain', action: 'read' }]));
    const r = await runCli([
      ...base,
      '-f',
      'jsonl',
      '--stats',
      '--stuck-after',
      '1',
      '--count',
      String(PRINTED),
      '--macaroonpath',
      mac,
    ]);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expectPureJsonl(r.stdout, PRINTED);
    expect(summaries(r.stderr)).toEqual([expectedSummary({ height: false })]);
    const others = r.stderr.split('\n').filter((l) => l !== '' && !expectedSummary({ height: false }).includes(l));
    expect(others).toHaveLength(1);
    expect(others[0]).toMatch(/^htlc-tail: warning: .*GetNodeInfo.*info:read/);
  });

  test('stderr not a terminal: no summary unless asked (--stats is off by default)', async () => {
    const r = await runCli([...base, '-f', 'jsonl', '--count', String(PRINTED)]);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expectPureJsonl(r.stdout, PRINTED);
    expect(r.stderr).toBe('');
  });

  test('at the end of the stream (--no-reconnect): the error line, and the summary', async () => {
    // The stream ends right after the burst, maybe before the node answered the lookups:
    // no aliases, and nothing whose text needs the block height.
    sim.setScenario({ steps: script(t0), then: 'end' });
    const r = await runCli([
      ...base,
      '-f',
      'jsonl',
      '--stats',
      '--no-aliases',
      '--stuck-after',
      '86400',
      '--no-reconnect',
    ]);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 6 });
    expectPureJsonl(r.stdout, PRINTED);
    const want = expectedSummary({ aliases: false, stuck: false });
    expect(summaries(r.stderr)).toEqual([want]);
    const others = r.stderr.split('\n').filter((l) => l !== '' && !want.includes(l));
    expect(others).toHaveLength(1);
    expect(others[0]).toMatch(/^htlc-tail: .*stream ended.*--no-reconnect/);
  });
});
