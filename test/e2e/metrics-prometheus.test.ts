/**
 * `--metrics-listen` end to end: a real Prometheus server scrapes the built
 * CLI tailing the simulated node (real gRPC, TLS, macaroons) through a
 * scripted scenario with a lost stream, a reconnect and lnd's replays; the
 * figures are queried from Prometheus's HTTP API and checked against what the
 * scenario sent (tallied here, independently of src/). `promtool check
 * metrics` checks the CLI's exposition. Skips where prometheus/promtool are
 * not installed (`.ci/run` installs them).
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import type { Scenario, SimNode } from '@htlc-tail/lnd-sim';
import {
  describeIf,
  freePort,
  PROMETHEUS_MISSING,
  promtool,
  PROMTOOL_MISSING,
  startPrometheus,
  type RunningPrometheus,
} from '../helpers/prometheus.js';
import { jsonLines, runCli, type CliResult } from './run-cli.js';
import { expectExit, expectNoSecrets, RUN_TIMEOUT_MS, startSimFixture, type SimFixture } from './sim-fixture.js';

const MS = 1_000_000n;
/** lnd's clock of the scenario: a minute ago, so the last-event gauge is a plausible time. */
const T0 = (BigInt(Date.now()) - 60_000n) * MS;
const at = (ms: number) => (T0 + BigInt(ms) * MS).toString();

type Ev = Record<string, unknown>;
const info = (inAmt: string, outAmt: string) => ({
  info: { incoming_timelock: 900, outgoing_timelock: 860, incoming_amt_msat: inAmt, outgoing_amt_msat: outAmt },
});
const ev = (ms: number, type: string, inCh: string, inH: string, outCh: string, outH: string, member: Ev): Ev => ({
  incoming_channel_id: inCh,
  outgoing_channel_id: outCh,
  incoming_htlc_id: inH,
  outgoing_htlc_id: outH,
  timestamp_ns: at(ms),
  event_type: type,
  ...member,
});
const final = (settled: boolean) => ({ final_htlc_event: { settled, offchain: true } });
const preimage = { settle_event: { preimage: Buffer.alloc(32, 7).toString('base64') } };
const linkFail = (wire: string, detail: string, inAmt: string, outAmt: string) => ({
  link_fail_event: { ...info(inAmt, outAmt), wire_failure: wire, failure_detail: detail, failure_string: 'no' },
});

/** The scenario's two connections (the first ends with an error: the tail reconnects) and the figures they make. */
function scenario(node: SimNode) {
  const [A, B, C, D, E] = node.channels.map((c) => c.chanId.toString()) as [string, string, string, string, string];
  const first: Ev[] = [
    ev(0, 'FORWARD', A, '1', B, '1', { forward_event: info('1001000', '1000000') }),
    ev(250, 'FORWARD', A, '1', B, '1', preimage),
    ev(260, 'UNKNOWN', A, '1', '0', '0', final(true)),
    ev(300, 'FORWARD', C, '2', D, '2', { forward_event: info('2000500', '2000000') }),
    ev(800, 'FORWARD', C, '2', D, '2', { forward_fail_event: {} }),
    ev(810, 'UNKNOWN', C, '2', '0', '0', final(false)),
    ev(
      900,
      'FORWARD',
      A,
      '3',
      B,
      '0',
      linkFail('TEMPORARY_CHANNEL_FAILURE', 'INSUFFICIENT_BALANCE', '3000700', '3000000'),
    ),
    ev(901, 'UNKNOWN', A, '3', '0', '0', final(false)),
    ev(1000, 'RECEIVE', E, '4', '0', '0', preimage),
    ev(1001, 'UNKNOWN', E, '4', '0', '0', final(true)),
    ev(1100, 'SEND', '0', '0', B, '5', { forward_event: info('0', '500000') }),
    ev(3100, 'SEND', '0', '0', B, '5', preimage),
    // lnd replays the forward's settle: counted as an event, not as a second settled forward
    ev(3200, 'FORWARD', A, '1', B, '1', preimage),
    // in flight when the stream is lost
    ev(3300, 'FORWARD', A, '6', C, '6', { forward_event: info('400040', '400000') }),
  ];
  const second: Ev[] = [
    // after the reconnect, lnd replays the settle again
    ev(250, 'FORWARD', A, '1', B, '1', preimage),
    ev(5000, 'FORWARD', B, '7', D, '7', { forward_event: info('7000900', '7000000') }),
    ev(5040, 'FORWARD', B, '7', D, '7', preimage),
    ev(5050, 'UNKNOWN', B, '7', '0', '0', final(true)),
    ev(6000, 'FORWARD', B, '8', C, '0', linkFail('FEE_INSUFFICIENT', 'NO_DETAIL', '8000010', '8000000')),
    ev(6001, 'UNKNOWN', B, '8', '0', '0', final(false)),
    // in flight at the end
    ev(7000, 'FORWARD', D, '9', A, '9', { forward_event: info('100100', '100000') }),
  ];
  const s: Scenario = {
    connections: [
      [...first.map((send) => ({ send })), { sleep: 500 }, { error: 'htlc event subscription terminated', code: 2 }],
      second.map((send) => ({ send })),
    ],
    then: 'hold',
  };
  // What each metric must show, from the scenario above.
  const want = {
    htlcEvents: first.length + second.length,
    events: {
      'forward|FORWARD': 5,
      'settle|FORWARD': 4,
      'forward_fail|FORWARD': 1,
      'link_fail|FORWARD': 2,
      'final_htlc|UNKNOWN': 6,
      'settle|RECEIVE': 1,
      'forward|SEND': 1,
      'settle|SEND': 1,
      'subscribed|UNKNOWN': 2,
    } as Record<string, number>,
    forwards: {
      [`settled|${A}|${B}`]: 1,
      [`settled|${B}|${D}`]: 1,
      [`failed_downstream|${C}|${D}`]: 1,
      [`failed_here|${A}|${B}`]: 1,
      [`failed_here|${B}|${C}`]: 1,
    } as Record<string, number>,
    linkFailures: {
      [`${B}|TEMPORARY_CHANNEL_FAILURE|INSUFFICIENT_BALANCE`]: 1,
      [`${C}|FEE_INSUFFICIENT|NO_DETAIL`]: 1,
    } as Record<string, number>,
    earned: { [B]: 1000, [D]: 900 } as Record<string, number>,
    missed: { [B]: 700, [C]: 10 } as Record<string, number>,
    forwarded: { [B]: 1_000_000, [D]: 7_000_000 } as Record<string, number>,
    settle: { FORWARD: { count: 2, sum: 0.25 + 0.04 }, SEND: { count: 1, sum: 2 } },
    lastEventSeconds: Number(BigInt(at(7000)) / 1000n) / 1e6,
  };
  return { scenario: s, want };
}

function byKey(
  r: { metric: Record<string, string>; value: [number, string] }[],
  key: (m: Record<string, string>) => string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of r) if (Number(s.value[1]) !== 0) out[key(s.metric)] = Number(s.value[1]);
  return out;
}

describeIf(
  PROMETHEUS_MISSING ?? PROMTOOL_MISSING,
  'a real Prometheus scrapes htlc-tail --metrics-listen tailing the simulated node',
  () => {
    let sim: SimFixture;
    let prom: RunningPrometheus;
    let want: ReturnType<typeof scenario>['want'];
    let child: ChildProcess | undefined;
    let done: Promise<CliResult>;
    let address: string;
    let node: string;
    const q = (expr: string) => prom.query(expr);

    beforeAll(async () => {
      let made: ReturnType<typeof scenario> | undefined;
      sim = await startSimFixture({ scenario: (n) => (made = scenario(n)).scenario });
      want = made!.want;
      node = sim.node.node.pubkey;
      address = `127.0.0.1:${await freePort()}`;
      prom = await startPrometheus({ targets: [address] });
      done = runCli([...sim.args, '-f', 'jsonl', '--metrics-listen', address], {
        timeoutMs: 5 * RUN_TIMEOUT_MS,
        onSpawn: (c) => (child = c),
      });
      await prom.waitFor(
        `sum(htlc_tail_events_total{node="${node}",event!="subscribed"})`,
        (r) => Number(r[0]?.value[1]) === want.htlcEvents,
        90_000,
      );
      await prom.waitFor(`htlc_tail_stream_up{node="${node}"}`, (r) => r[0]?.value[1] === '1');
    }, 180_000);

    afterAll(async () => {
      child?.kill('SIGKILL');
      await prom?.stop();
      await sim?.cleanup();
    });

    test('events by event and type, subscribed included, replays counted as received', async () => {
      expect(byKey(await q(`htlc_tail_events_total{node="${node}"}`), (m) => `${m.event}|${m.type}`)).toEqual(
        want.events,
      );
    });

    test('forwards by outcome and channel pair: each outcome once, replayed settles not again', async () => {
      expect(
        byKey(
          await q(`htlc_tail_forwards_total{node="${node}"}`),
          (m) => `${m.outcome}|${m.in_channel}|${m.out_channel}`,
        ),
      ).toEqual(want.forwards);
    });

    test('link failures, fees earned and missed, amounts forwarded', async () => {
      expect(
        byKey(
          await q(`htlc_tail_link_failures_total{node="${node}"}`),
          (m) => `${m.out_channel}|${m.wire_failure}|${m.failure_detail}`,
        ),
      ).toEqual(want.linkFailures);
      expect(byKey(await q(`htlc_tail_fees_earned_msat_total{node="${node}"}`), (m) => m.out_channel!)).toEqual(
        want.earned,
      );
      expect(byKey(await q(`htlc_tail_fees_missed_msat_total{node="${node}"}`), (m) => m.out_channel!)).toEqual(
        want.missed,
      );
      expect(byKey(await q(`htlc_tail_forwarded_msat_total{node="${node}"}`), (m) => m.out_channel!)).toEqual(
        want.forwarded,
      );
    });

    test('settle times, in flight, last event', async () => {
      expect(byKey(await q(`htlc_tail_settle_seconds_count{node="${node}"}`), (m) => m.type!)).toEqual({
        FORWARD: 2,
        SEND: 1,
      });
      const sums = byKey(await q(`htlc_tail_settle_seconds_sum{node="${node}"}`), (m) => m.type!);
      expect(sums.FORWARD).toBeCloseTo(want.settle.FORWARD.sum, 6);
      expect(sums.SEND).toBeCloseTo(want.settle.SEND.sum, 6);
      expect(byKey(await q(`htlc_tail_settle_seconds_bucket{node="${node}",le="0.25"}`), (m) => m.type!)).toEqual({
        FORWARD: 2,
      });
      // the forward in flight when the stream was lost belongs to the old subscription (a gap resets the figure)
      expect(byKey(await q(`htlc_tail_in_flight{node="${node}"}`), (m) => m.type!)).toEqual({ FORWARD: 1 });
      const last = await q(`htlc_tail_last_event_timestamp_seconds{node="${node}"}`);
      expect(Number(last[0]!.value[1])).toBeCloseTo(want.lastEventSeconds, 3);
    });

    test('stream health: up, one reconnect, one gap; counters did not go backwards', async () => {
      expect((await q(`htlc_tail_stream_up{node="${node}"}`))[0]!.value[1]).toBe('1');
      expect((await q(`htlc_tail_reconnects_total{node="${node}"}`))[0]!.value[1]).toBe('1');
      expect((await q(`htlc_tail_gaps_total{node="${node}"}`))[0]!.value[1]).toBe('1');
      // Prometheus sees a counter reset as resets() > 0 over the run.
      const resets = await q(`resets(htlc_tail_events_total{node="${node}"}[10m]) > 0`);
      expect(resets).toEqual([]);
    });

    test('channel_info: one series per channel with scid, peer pubkey and alias; aliases on no other series', async () => {
      const rows = await q(`htlc_tail_channel_info{node="${node}"}`);
      expect(rows.map((r) => r.metric.channel).sort()).toEqual(
        sim.node.node.channels.map((c) => c.chanId.toString()).sort(),
      );
      const a = sim.node.node.channels[0]!;
      const rowA = rows.find((r) => r.metric.channel === a.chanId.toString())!;
      expect(rowA.metric.peer_pubkey).toBe(a.peer.pubkey);
      expect(rowA.metric.peer_alias).toBe(a.peer.listAlias);
      expect(rowA.value[1]).toBe('1');
      const withAlias = await q(`count({__name__=~"htlc_tail_.*",peer_alias!=""}) by (__name__)`);
      expect(withAlias.map((r) => r.metric.__name__)).toEqual(['htlc_tail_channel_info']);
    });

    test('the process metrics come with them, and promtool accepts the exposition', async () => {
      expect((await q(`process_resident_memory_bytes{instance="${address}"}`)).length).toBe(1);
      const res = await fetch(`http://${address}/metrics`);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      const own = text
        .split('\n')
        .filter((l) => /^(# (HELP|TYPE) )?htlc_tail_/.test(l))
        .join('\n');
      const r = promtool(['check', 'metrics'], `${own}\n`);
      expect({ code: r.code, out: r.stdout + r.stderr }).toEqual({ code: 0, out: '' });
      // The whole exposition parses (exit 1 would be a parse error); the only lint notes (exit 3) are
      // prom-client's own default metrics (it names gauges nodejs_active_*_total), not ours to rename.
      const all = promtool(['check', 'metrics'], text);
      expect([0, 3]).toContain(all.code);
      for (const p of (all.stdout + all.stderr).split('\n').filter((l) => l !== ''))
        expect(p).toMatch(/^nodejs_active_[a-z_]+_total non-counter/);
    });

    test('SIGTERM: exit 0, every event written, no secret anywhere', async () => {
      child!.kill('SIGTERM');
      const r = await done;
      expectExit(r, 0);
      expect(jsonLines(r.stdout).filter((l) => l.event !== 'gap')).toHaveLength(want.htlcEvents);
      expectNoSecrets(r, sim.secrets);
    });
  },
);
