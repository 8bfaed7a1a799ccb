/**
 * End-to-end fixture: a simulated lnd node (real gRPC over real TLS, real
 * macaroons) with a scripted scenario, and an lnd-like directory written for
 * it in a temp dir, so the built CLI connects with `--lnddir DIR --network
 * regtest` exactly as to a real node. Also helpers the e2e files share: the
 * short channel id written independently of src/, and the checks every run
 * must pass (no macaroon hex anywhere, no Node warnings).
 */
import { expect } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  startSimNode,
  type Scenario,
  type SimNode,
  type SimNodeHandle,
  type SimNodeOptions,
  type LndDirPaths,
} from '@htlc-tail/lnd-sim';
import { runCli, type CliOptions, type CliResult } from './run-cli.js';

export interface SimFixtureOptions extends Omit<SimNodeOptions, 'scenario'> {
  /** A scenario, or a function of the node (its channel ids) that makes one. */
  readonly scenario?: Scenario | ((node: SimNode) => Scenario);
  /** The network directory written (default regtest). */
  readonly network?: string;
}

export interface SimFixture {
  readonly node: SimNodeHandle;
  /** The temp dir that holds the lnddir and anything else a test writes. */
  readonly tmp: string;
  readonly paths: LndDirPaths;
  /** `--lnddir DIR --network regtest` */
  readonly args: readonly string[];
  /** Hex of every macaroon of this node (lower and upper case), which must never be printed. */
  readonly secrets: readonly string[];
  /** The node's channels by index (seeded; see packages/lnd-sim/src/node-state.ts). */
  chan(i: number): string;
  cleanup(): Promise<void>;
}

export async function startSimFixture(opts: SimFixtureOptions = {}): Promise<SimFixture> {
  const { scenario, ...nodeOpts } = opts;
  const network = opts.network ?? 'regtest';
  // The escape-test alias is on in the tests (the demo shows it only when asked for).
  const node = await startSimNode({ hostileAliases: true, ...nodeOpts, network });
  if (scenario !== undefined) node.setScenario(typeof scenario === 'function' ? scenario(node.node) : scenario);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-e2e-'));
  const paths = await node.writeLndDir(path.join(tmp, 'lnd'));
  return {
    node,
    tmp,
    paths,
    args: ['--lnddir', paths.lnddir, '--network', network],
    secrets: macaroonSecrets(Object.values(node.macaroons)),
    chan: (i) => node.node.channels[i]!.chanId.toString(),
    async cleanup() {
      await node.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** The hex forms of macaroons, as they would leak (metadata value, debug dumps). */
export function macaroonSecrets(macaroons: readonly Buffer[]): string[] {
  return macaroons.flatMap((m) => [m.toString('hex'), m.toString('hex').toUpperCase(), m.toString('base64')]);
}

/** Short channel id `BLOCKxTXxOUT`, written here from LND-FACTS (not from src/). */
export function scid(id: string | bigint): string {
  const n = BigInt(id);
  return `${n >> 40n}x${(n >> 16n) & 0xffffffn}x${n & 0xffffn}`;
}

/** No macaroon hex (or base64) in stdout or stderr. */
export function expectNoSecrets(r: CliResult, secrets: readonly string[]): void {
  for (const s of secrets) {
    // Compare a long prefix too: a truncated dump is still a leak.
    const probe = s.slice(0, 40);
    expect(r.stdout.includes(probe)).toBe(false);
    expect(r.stderr.includes(probe)).toBe(false);
  }
}

/** stderr has no Node warnings (DEP0123 for a TLS server name that is an IP, or any other). */
export function expectNoNodeWarnings(stderr: string): void {
  expect(stderr).not.toMatch(/DEP0\d+|\bWarning:|\(node:\d+\)/);
}

/** A failure: exactly one non-empty stderr line, prefixed, no stack trace; returns it. */
export function oneErrorLine(r: CliResult): string {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  const line = lines[0]!;
  expect(line).toMatch(/^htlc-tail: /);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?/); // stack frames
  return line;
}

/**
 * How long one CLI run may take before it is killed (a hang then fails the
 * test). Generous: CI machines can be slow and several runs share 2 cores.
 */
export const RUN_TIMEOUT_MS = 60_000;

/** runCli with RUN_TIMEOUT_MS. */
export function cli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  return runCli(args, { timeoutMs: RUN_TIMEOUT_MS, ...opts });
}

// ---------------------------------------------------------------------------
// The core scenario: all seven flows of LND-FACTS ("Typical orders") plus the
// edge cases, on the seeded node's channels, with fixed timestamps. Step k
// (1-based) has timestamp T(k); the subscribed_event comes first.
// ---------------------------------------------------------------------------

/** 2024-05-06T07:08:09.123456789Z */
export const T0 = 1714979289123456789n;
/** Events are 1.00025 ms apart, so durations have fractions. */
export const STEP_NS = 1_000_250n;
export const ts = (k: number): string => (T0 + BigInt(k) * STEP_NS).toString();
/** RFC 3339 with nine fraction digits, written here independently of src/. */
export function rfc3339(ns: string): string {
  const n = BigInt(ns);
  const s = new Date(Number(n / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
  return `${s}.${(n % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}
/** duration_ms between steps a and b, as lnd's clock says: exact decimal text. */
export function durationText(a: number, b: number): string {
  const ns = BigInt(ts(b)) - BigInt(ts(a));
  const int = ns / 1_000_000n;
  const frac = (ns % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return frac === '' ? int.toString() : `${int}.${frac}`;
}

export const U64_MAX = '18446744073709551615';
export const U32_MAX = 4294967295;
export const PREIMAGE_1 = Buffer.from([...Array(32).keys()]); // 00 01 .. 1f
export const PREIMAGE_2 = Buffer.alloc(32, 0xaa);
export const PREIMAGE_3 = Buffer.alloc(32, 0xbb);
/** Multi-line, non-ASCII, with an ESC sequence inside the first line. */
export const NASTY_FAILURE =
  'Gebühr zu niedrig ⚡ für Kanal \u001b[31mrot\nChannelUpdate(chan_id=845602:1538:3, fee_rate=1000)\n\tbase_fee=1000 ✓';
export const NASTY_FIRST_LINE_SHOWN = 'Gebühr zu niedrig ⚡ für Kanal \\x1b[31mrot';

/** Which flow each step belongs to (for readers and failure messages). */
export const STEP_NAMES: Readonly<Record<number, string>> = {
  1: 'forward ok: forward',
  2: 'forward ok: settle',
  3: 'forward ok: final settled',
  4: 'forward failed downstream: forward',
  5: 'forward failed downstream: forward_fail',
  6: 'forward failed downstream: final not settled',
  7: 'forward failed here: link_fail',
  8: 'forward failed here: final not settled',
  9: 'receive ok: settle',
  10: 'receive ok: final settled',
  11: 'receive failed: link_fail',
  12: 'receive failed: final not settled',
  13: 'send ok: forward',
  14: 'send ok: settle',
  15: 'send failed: forward',
  16: 'send failed: forward_fail',
  17: 'send failed here: link_fail alone',
  18: 'edge: event_type 7',
  19: 'edge: link_fail wire 1234 detail 99, no info, multi-line text',
  20: 'edge: final on chain',
  21: 'edge: no oneof member, timestamp 0',
  22: 'edge: max uint64 ids and amount',
  23: 'edge: settle with empty preimage',
};
export const STEP_COUNT = 23;

/** The steps' HtlcEvents in proto-loader form. Channels: A..F = the node's channels 0..5. */
export function coreEvents(node: SimNode): Array<Record<string, unknown>> {
  const [A, B, C, D, E, F] = node.channels.map((c) => c.chanId.toString()) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const ev = (
    k: number,
    type: string | number,
    inCh: string,
    inH: string,
    outCh: string,
    outH: string,
    member: Record<string, unknown>,
  ) => ({
    incoming_channel_id: inCh,
    outgoing_channel_id: outCh,
    incoming_htlc_id: inH,
    outgoing_htlc_id: outH,
    timestamp_ns: k === 21 ? '0' : ts(k),
    event_type: type,
    ...member,
  });
  const info = (itl: number, otl: number, iamt: string, oamt: string) => ({
    info: { incoming_timelock: itl, outgoing_timelock: otl, incoming_amt_msat: iamt, outgoing_amt_msat: oamt },
  });
  const final = (settled: boolean, offchain: boolean) => ({ final_htlc_event: { settled, offchain } });
  return [
    ev(1, 'FORWARD', A, '101', B, '201', { forward_event: info(870200, 870160, '1000500', '1000000') }),
    ev(2, 'FORWARD', A, '101', B, '201', { settle_event: { preimage: PREIMAGE_1.toString('base64') } }),
    ev(3, 'UNKNOWN', A, '101', '0', '0', final(true, true)),
    ev(4, 'FORWARD', C, '102', D, '202', { forward_event: info(870300, 870260, '50000123', '50000000') }),
    ev(5, 'FORWARD', C, '102', D, '202', { forward_fail_event: {} }),
    ev(6, 'UNKNOWN', C, '102', '0', '0', final(false, true)),
    ev(7, 'FORWARD', A, '103', B, '0', {
      link_fail_event: {
        ...info(870400, 870360, '2500000000', '2499750000'),
        wire_failure: 'TEMPORARY_CHANNEL_FAILURE',
        failure_detail: 'INSUFFICIENT_BALANCE',
        failure_string: 'insufficient bandwidth to route htlc',
      },
    }),
    ev(8, 'UNKNOWN', A, '103', '0', '0', final(false, true)),
    ev(9, 'RECEIVE', E, '104', '0', '0', { settle_event: { preimage: PREIMAGE_2.toString('base64') } }),
    ev(10, 'UNKNOWN', E, '104', '0', '0', final(true, true)),
    ev(11, 'RECEIVE', C, '105', '0', '0', {
      link_fail_event: {
        ...info(870500, 0, '21000000', '0'),
        wire_failure: 'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS',
        failure_detail: 'UNKNOWN_INVOICE',
        failure_string: 'invoice not found',
      },
    }),
    ev(12, 'UNKNOWN', C, '105', '0', '0', final(false, true)),
    ev(13, 'SEND', '0', '0', B, '203', { forward_event: info(0, 870600, '0', '75000000') }),
    ev(14, 'SEND', '0', '0', B, '203', { settle_event: { preimage: PREIMAGE_3.toString('base64') } }),
    ev(15, 'SEND', '0', '0', D, '204', { forward_event: info(0, 870700, '0', '1234567') }),
    ev(16, 'SEND', '0', '0', D, '204', { forward_fail_event: {} }),
    ev(17, 'SEND', '0', '0', F, '0', {
      link_fail_event: {
        ...info(0, 870800, '0', '999000'),
        wire_failure: 'UNKNOWN_NEXT_PEER',
        failure_detail: 'LINK_NOT_ELIGIBLE',
        failure_string: 'link not eligible for forwarding',
      },
    }),
    ev(18, 7, A, '106', C, '206', { forward_event: info(870900, 870860, '3000', '2000') }),
    ev(19, 'FORWARD', D, '107', E, '0', {
      link_fail_event: { info: null, wire_failure: 1234, failure_detail: 99, failure_string: NASTY_FAILURE },
    }),
    ev(20, 'UNKNOWN', D, '107', '0', '0', final(false, false)),
    ev(21, 'FORWARD', B, '108', C, '208', {}),
    ev(22, 'FORWARD', U64_MAX, U64_MAX, U64_MAX, U64_MAX, {
      forward_event: info(U32_MAX, U32_MAX, U64_MAX, '9007199254740993001'),
    }),
    ev(23, 'FORWARD', U64_MAX, U64_MAX, U64_MAX, U64_MAX, { settle_event: {} }),
  ];
}

/** The core scenario; `then` "hold" (use --count) or "end" (use --no-reconnect, exit 6). */
export function coreScenario(node: SimNode, then: 'hold' | 'end'): Scenario {
  return { steps: coreEvents(node).map((send) => ({ send })), then };
}

/** The step number of a jsonl line (0 for the subscribed event). */
export function stepOf(line: { event: string; timestamp_ns: string }): number {
  if (line.event === 'subscribed') return 0;
  if (line.timestamp_ns === '0') return 21;
  return Number((BigInt(line.timestamp_ns) - T0) / STEP_NS);
}

/** Runs the thunks with at most `limit` at once (CLI processes are CPU-bound at start). */
export function pooled<T>(limit: number): (job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return (job) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active++;
        job()
          .then(resolve, reject)
          .finally(() => {
            active--;
            queue.shift()?.();
          });
      };
      if (active < limit) start();
      else queue.push(start);
    });
}

/** The lines of stderr that are not warnings (`htlc-tail: warning: ...`). */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !/^htlc-tail: warning: /.test(l));
}

/** The exit code must be `code`; otherwise fail showing stderr and the start of stdout. */
export function expectExit(r: CliResult, code: number): void {
  if (r.code === code) return;
  const head = r.stdout.split('\n').slice(0, 3).join('\n');
  throw new Error(
    `expected exit ${code}, got ${r.code ?? r.signal}\n--- stderr:\n${r.stderr}--- stdout (${r.stdout.split('\n').length - 1} lines), first lines:\n${head}`,
  );
}
