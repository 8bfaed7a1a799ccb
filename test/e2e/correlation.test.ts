/**
 * Correlation end to end: the built CLI tails the simulated node over real gRPC
 * + TLS + macaroon, the node sends a scripted stream with exact timestamps, and
 * every jsonl line must carry exactly the amounts, timelocks, fee_msat,
 * duration_ms and replayed flag that SPEC.md defines for it.
 *
 * Numbers are checked on the raw text of each line (JSON.parse would round
 * values above 2^53), so "exact decimal digits" is what is tested.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startSimNode, type SimNodeHandle, type HtlcEventObject } from '@htlc-tail/lnd-sim';
import { runCli, type CliResult } from './run-cli.js';

/** lnd's clock at the start of the script: 2023-11-14T22:13:20Z. */
const T0 = 1_700_000_000_000_000_000n;
const MS = 1_000_000n;
const SEC = 1_000_000_000n;

let sim: SimNodeHandle;
let dir: string;
let A: string; // ACINQ
let B: string; // WalletOfSatoshi.com
let C: string; // ⚡ Zürich-node
let D: string; // LNBiG (alias from GetNodeInfo)

type Info = {
  incoming_timelock?: number;
  outgoing_timelock?: number;
  incoming_amt_msat?: string;
  outgoing_amt_msat?: string;
};

function ev(
  kind: 'forward' | 'forward_fail' | 'settle' | 'link_fail' | 'final_htlc',
  type: 'SEND' | 'RECEIVE' | 'FORWARD' | 'UNKNOWN',
  ids: [string, string, string, string],
  ts: bigint,
  extra: { info?: Info; settled?: boolean; wire?: string; detail?: string; text?: string; preimage?: string } = {},
): { send: HtlcEventObject } {
  const e: HtlcEventObject = {
    incoming_channel_id: ids[0],
    incoming_htlc_id: ids[1],
    outgoing_channel_id: ids[2],
    outgoing_htlc_id: ids[3],
    timestamp_ns: ts.toString(),
    event_type: type,
  };
  if (kind === 'forward') e.forward_event = { info: extra.info ?? null };
  if (kind === 'forward_fail') e.forward_fail_event = {};
  if (kind === 'settle') e.settle_event = { preimage: Buffer.from(extra.preimage ?? '11'.repeat(32), 'hex') };
  if (kind === 'link_fail') {
    e.link_fail_event = {
      info: extra.info ?? null,
      wire_failure: extra.wire ?? 'TEMPORARY_CHANNEL_FAILURE',
      failure_detail: extra.detail ?? 'INSUFFICIENT_BALANCE',
      failure_string: extra.text ?? 'insufficient bandwidth to route htlc',
    };
  }
  if (kind === 'final_htlc') e.final_htlc_event = { settled: extra.settled ?? false, offchain: true };
  return { send: e };
}

/** What one jsonl line must say: `has` keys with exact raw values, `absent` keys left out. */
interface Expect {
  readonly what: string;
  readonly event: string;
  readonly has: Record<string, string>;
  readonly absent: readonly string[];
}

const AMOUNT_KEYS = ['incoming_amt_msat', 'outgoing_amt_msat', 'incoming_timelock', 'outgoing_timelock', 'fee_msat'];

/** The HtlcInfo fields as they must appear in jsonl (raw JSON text). */
function infoKeys(i: Info, fee?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (i.incoming_amt_msat !== undefined) out.incoming_amt_msat = i.incoming_amt_msat;
  if (i.outgoing_amt_msat !== undefined) out.outgoing_amt_msat = i.outgoing_amt_msat;
  if (i.incoming_timelock !== undefined) out.incoming_timelock = String(i.incoming_timelock);
  if (i.outgoing_timelock !== undefined) out.outgoing_timelock = String(i.outgoing_timelock);
  if (fee !== undefined) out.fee_msat = fee;
  return out;
}

// Flow A: forward settled, with a replayed forward (must not restart the clock) and a replayed settle.
const infoA: Info = {
  incoming_timelock: 800_184,
  outgoing_timelock: 800_144,
  incoming_amt_msat: '1000500123',
  outgoing_amt_msat: '1000000000',
};
// Flow B: failed downstream; amounts above 2^53 (fee is exact only without floats).
const infoB: Info = {
  incoming_timelock: 800_300,
  outgoing_timelock: 800_260,
  incoming_amt_msat: '9007199254740993',
  outgoing_amt_msat: '9007199254740000',
};
// Flow C: failed here (link_fail carries the info).
const infoC: Info = {
  incoming_timelock: 800_500,
  outgoing_timelock: 800_460,
  incoming_amt_msat: '250000777',
  outgoing_amt_msat: '250000000',
};
// Flow E: out of order (final before settle).
const infoE: Info = {
  incoming_timelock: 800_700,
  outgoing_timelock: 800_660,
  incoming_amt_msat: '42000042',
  outgoing_amt_msat: '42000000',
};
// Flow F: a send (outgoing side only; no fee).
const infoF: Info = { outgoing_timelock: 800_900, outgoing_amt_msat: '5000000' };
// Flow G: forward, then a settle with other outgoing ids: not the same HTLC.
const infoG: Info = {
  incoming_timelock: 801_000,
  outgoing_timelock: 800_960,
  incoming_amt_msat: '3001',
  outgoing_amt_msat: '3000',
};

function script(): { send: HtlcEventObject }[] {
  const a: [string, string, string, string] = [A, '10', B, '20'];
  const b: [string, string, string, string] = [A, '11', C, '21'];
  const c: [string, string, string, string] = [B, '12', C, '0'];
  const d: [string, string, string, string] = [D, '13', '0', '0'];
  const e: [string, string, string, string] = [C, '14', A, '24'];
  const f: [string, string, string, string] = ['0', '0', B, '30'];
  const g: [string, string, string, string] = [A, '15', B, '25'];
  const fin = (x: [string, string, string, string]): [string, string, string, string] => [x[0], x[1], '0', '0'];
  const tB = T0 + 1n * SEC;
  const tC = T0 + 2n * SEC;
  const tD = T0 + 3n * SEC;
  const tE = T0 + 4n * SEC;
  const tF = T0 + 5n * SEC;
  const tG = T0 + 6n * SEC;
  return [
    ev('forward', 'FORWARD', a, T0, { info: infoA }),
    ev('forward', 'FORWARD', a, T0 + 5n * MS, { info: infoA }), // replay
    ev('settle', 'FORWARD', a, T0 + 9_412_353n, { preimage: 'ab'.repeat(32) }),
    ev('settle', 'FORWARD', a, T0 + 50n * MS, { preimage: 'ab'.repeat(32) }), // replay
    ev('final_htlc', 'UNKNOWN', fin(a), T0 + 12_000_001n, { settled: true }),

    ev('forward', 'FORWARD', b, tB, { info: infoB }),
    ev('forward_fail', 'FORWARD', b, tB + 250n * MS),
    ev('final_htlc', 'UNKNOWN', fin(b), tB + 300_500_000n, { settled: false }),

    ev('link_fail', 'FORWARD', c, tC, { info: infoC }),
    ev('final_htlc', 'UNKNOWN', fin(c), tC + 1n, { settled: false }),

    ev('settle', 'RECEIVE', d, tD, { preimage: 'cd'.repeat(32) }),
    ev('final_htlc', 'UNKNOWN', fin(d), tD + 1_500_000n, { settled: true }),

    ev('forward', 'FORWARD', e, tE, { info: infoE }),
    ev('final_htlc', 'UNKNOWN', fin(e), tE + 7n * MS, { settled: true }),
    ev('settle', 'FORWARD', e, tE + 5n * MS),
    ev('final_htlc', 'UNKNOWN', fin(e), tE + 9n * MS, { settled: true }), // replay

    ev('forward', 'SEND', f, tF, { info: infoF }),
    ev('settle', 'SEND', f, tF + 123_456_789n),

    ev('forward', 'FORWARD', g, tG, { info: infoG }),
    ev('settle', 'FORWARD', [A, '15', B, '26'], tG + 1n * MS),
  ];
}

const none = [...AMOUNT_KEYS, 'duration_ms', 'replayed'];
const EXPECTED: Expect[] = [
  { what: 'A forward', event: 'forward', has: infoKeys(infoA, '500123'), absent: ['duration_ms', 'replayed'] },
  {
    what: 'A forward replayed',
    event: 'forward',
    has: { ...infoKeys(infoA, '500123'), replayed: 'true' },
    absent: ['duration_ms'],
  },
  {
    what: 'A settle: forward amounts, duration from the first forward',
    event: 'settle',
    has: { ...infoKeys(infoA, '500123'), duration_ms: '9.412353', preimage: `"${'ab'.repeat(32)}"` },
    absent: ['replayed'],
  },
  {
    what: 'A settle replayed',
    event: 'settle',
    has: { ...infoKeys(infoA, '500123'), replayed: 'true' },
    absent: ['duration_ms'],
  },
  {
    what: 'A final from the forward',
    event: 'final_htlc',
    has: { ...infoKeys(infoA, '500123'), duration_ms: '12.000001', settled: 'true' },
    absent: ['replayed'],
  },

  {
    what: 'B forward (> 2^53 msat)',
    event: 'forward',
    has: infoKeys(infoB, '993'),
    absent: ['duration_ms', 'replayed'],
  },
  {
    what: 'B forward_fail',
    event: 'forward_fail',
    has: { ...infoKeys(infoB, '993'), duration_ms: '250' },
    absent: ['replayed'],
  },
  {
    what: 'B final',
    event: 'final_htlc',
    has: { ...infoKeys(infoB, '993'), duration_ms: '300.5', settled: 'false' },
    absent: ['replayed'],
  },

  {
    what: 'C link_fail',
    event: 'link_fail',
    has: {
      ...infoKeys(infoC, '777'),
      wire_failure: '"TEMPORARY_CHANNEL_FAILURE"',
      failure_detail: '"INSUFFICIENT_BALANCE"',
    },
    absent: ['duration_ms', 'replayed'],
  },
  {
    what: 'C final from the link_fail (1 ns later)',
    event: 'final_htlc',
    has: { ...infoKeys(infoC, '777'), duration_ms: '0.000001', settled: 'false' },
    absent: ['replayed'],
  },

  { what: 'D receive settle', event: 'settle', has: { preimage: `"${'cd'.repeat(32)}"` }, absent: none },
  {
    what: 'D final from the receive settle',
    event: 'final_htlc',
    has: { duration_ms: '1.5', settled: 'true' },
    absent: [...AMOUNT_KEYS, 'replayed'],
  },

  { what: 'E forward', event: 'forward', has: infoKeys(infoE, '42'), absent: ['duration_ms', 'replayed'] },
  {
    what: 'E final before the settle',
    event: 'final_htlc',
    has: { ...infoKeys(infoE, '42'), duration_ms: '7' },
    absent: ['replayed'],
  },
  {
    what: 'E settle after its final',
    event: 'settle',
    has: { ...infoKeys(infoE, '42'), duration_ms: '5' },
    absent: ['replayed'],
  },
  {
    what: 'E final replayed',
    event: 'final_htlc',
    has: { ...infoKeys(infoE, '42'), replayed: 'true' },
    absent: ['duration_ms'],
  },

  { what: 'F send forward', event: 'forward', has: infoKeys(infoF), absent: ['fee_msat', 'duration_ms', 'replayed'] },
  {
    what: 'F send settle: amounts, no fee',
    event: 'settle',
    has: { ...infoKeys(infoF), duration_ms: '123.456789' },
    absent: ['fee_msat', 'replayed', 'incoming_amt_msat'],
  },

  { what: 'G forward', event: 'forward', has: infoKeys(infoG, '1'), absent: ['duration_ms', 'replayed'] },
  {
    what: 'G settle with other outgoing ids: not correlated',
    event: 'settle',
    has: { outgoing_htlc_id: '"26"' },
    absent: none,
  },
];

/** The raw JSON text of a top-level key's value in one jsonl line (values here are scalars). */
function rawValue(line: string, key: string): string | undefined {
  const m = new RegExp(`[{,]"${key}":("(?:[^"\\\\]|\\\\.)*"|[^,}]*)`).exec(line);
  return m ? m[1] : undefined;
}

let result: CliResult;
let lines: string[];

beforeAll(async () => {
  sim = await startSimNode({ seed: 31, scenario: { steps: [] } });
  [A, B, C, D] = sim.node.channels.slice(0, 4).map((c) => c.chanId.toString()) as [string, string, string, string];
  dir = await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-corr-'));
  await sim.writeLndDir(dir);
  sim.setScenario({ steps: script() });
  result = await runCli(['--lnddir', dir, '--network', 'regtest', '-f', 'jsonl', '--count', String(EXPECTED.length)]);
  lines = result.stdout.split('\n').filter((l) => l !== '');
});

afterAll(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('correlation in jsonl against a scripted stream', () => {
  test('the tail ends at --count with exactly the scripted events, stderr clean', () => {
    expect(result.stderr).toBe('');
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(lines).toHaveLength(EXPECTED.length);
    expect(lines.map((l) => JSON.parse(l).event)).toEqual(EXPECTED.map((e) => e.event));
  });

  test.each(EXPECTED.map((e, i) => [i, e.what, e] as const))('line %i: %s', (i, _what, e) => {
    const line = lines[i]!;
    expect(line).toBeDefined();
    expect(rawValue(line, 'event')).toBe(`"${e.event}"`);
    for (const [k, v] of Object.entries(e.has)) expect([k, rawValue(line, k)]).toEqual([k, v]);
    for (const k of e.absent) expect([k, rawValue(line, k)]).toEqual([k, undefined]);
  });

  test('timestamps pass through exactly, and time is RFC 3339 with nine fraction digits', () => {
    const first = JSON.parse(lines[0]!);
    expect(first.timestamp_ns).toBe(T0.toString());
    expect(first.time).toBe('2023-11-14T22:13:20.000000000Z');
    const settle = JSON.parse(lines[2]!);
    expect(settle.timestamp_ns).toBe((T0 + 9_412_353n).toString());
    expect(settle.time).toBe('2023-11-14T22:13:20.009412353Z');
  });
});
