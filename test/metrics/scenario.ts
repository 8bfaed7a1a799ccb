/**
 * A seeded routing scenario for the metrics tests: HTLC flows as lnd reports
 * them (the test builders), with the figures each metric must show tallied
 * from the flows themselves (what happened to each HTLC), not from the
 * metrics code.
 */
import type { HtlcEvent } from '../../src/events/model.js';
import {
  CH,
  MS,
  final,
  forward,
  forwardFail,
  fwdIds,
  htlcInfo,
  linkFail,
  recvIds,
  sendIds,
  settle,
} from '../builders.js';
import { mulberry32 } from '../prng.js';

export const CHANNELS = [CH.A, CH.B, CH.C, CH.D] as const;
const TYPE_NAMES = ['UNKNOWN', 'SEND', 'RECEIVE', 'FORWARD'];

export const FAILURES = {
  noLiquidity: { wire: 15, detail: 6, wireName: 'TEMPORARY_CHANNEL_FAILURE', detailName: 'INSUFFICIENT_BALANCE' },
  feeTooLow: { wire: 12, detail: 1, wireName: 'FEE_INSUFFICIENT', detailName: 'NO_DETAIL' },
} as const;

export interface Tally {
  /** `event|type` → events received (replays included) */
  readonly events: Map<string, number>;
  /** `outcome|in|out` → forwards */
  readonly forwards: Map<string, number>;
  /** `out|wire|detail` → link failures */
  readonly linkFailures: Map<string, number>;
  /** out channel → msat */
  readonly earned: Map<string, bigint>;
  readonly missed: Map<string, bigint>;
  readonly forwarded: Map<string, bigint>;
  /** type → settles timed (count, sum of seconds) */
  readonly settleCount: Map<string, number>;
  readonly settleSumMs: Map<string, number>;
  inFlightForwards: number;
}

export function emptyTally(): Tally {
  return {
    events: new Map(),
    forwards: new Map(),
    linkFailures: new Map(),
    earned: new Map(),
    missed: new Map(),
    forwarded: new Map(),
    settleCount: new Map(),
    settleSumMs: new Map(),
    inFlightForwards: 0,
  };
}

const add = <K>(m: Map<K, number>, k: K, v = 1) => m.set(k, (m.get(k) ?? 0) + v);
const addBig = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);

/**
 * `flows` HTLC flows from `seed`, starting at lnd time `startMs` (ms after the
 * builders' T0) with HTLC ids from `firstId`; the events in stream order, and
 * the tally added to `t`. The last `openAtEnd` forwards are left in flight.
 */
export function routingEvents(
  seed: number,
  flows: number,
  startMs: number,
  firstId: number,
  t: Tally,
  openAtEnd = 0,
): HtlcEvent[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: HtlcEvent[] = [];
  const emit = (ev: HtlcEvent) => {
    out.push(ev);
    add(t.events, `${ev.event}|${TYPE_NAMES[ev.eventType]}`);
  };
  let ms = BigInt(startMs);
  for (let i = 0; i < flows; i++) {
    const id = firstId + i;
    ms += BigInt(1 + Math.floor(rnd() * 50));
    const at = ms * MS;
    const inCh = pick(CHANNELS);
    const outCh = pick(CHANNELS.filter((c) => c !== inCh));
    const outAmt = BigInt(10_000 + Math.floor(rnd() * 5_000_000));
    const fee = BigInt(1 + Math.floor(rnd() * 3_000));
    const info = htlcInfo(String(outAmt + fee), String(outAmt));
    const ids = fwdIds(inCh, id, outCh, id);
    const settleMs = 20 + Math.floor(rnd() * 3_000);
    const roll = i >= flows - openAtEnd ? -1 : rnd();
    if (roll < 0) {
      emit(forward(ids, at, info));
      t.inFlightForwards++;
    } else if (roll < 0.45) {
      emit(forward(ids, at, info));
      emit(settle(ids, at + BigInt(settleMs) * MS));
      emit(final(inCh, id, at + BigInt(settleMs + 5) * MS, true));
      add(t.forwards, `settled|${inCh}|${outCh}`);
      addBig(t.earned, outCh, fee);
      addBig(t.forwarded, outCh, outAmt);
      add(t.settleCount, 'FORWARD');
      add(t.settleSumMs, 'FORWARD', settleMs);
      if (rnd() < 0.2) {
        // lnd replays the settle after a restart: same four ids, a new timestamp
        emit(settle(ids, at + BigInt(settleMs + 100) * MS));
      }
    } else if (roll < 0.6) {
      emit(forward(ids, at, info));
      emit(forwardFail(ids, at + BigInt(settleMs) * MS));
      emit(final(inCh, id, at + BigInt(settleMs + 5) * MS, false));
      add(t.forwards, `failed_downstream|${inCh}|${outCh}`);
    } else if (roll < 0.85) {
      const f = rnd() < 0.7 ? FAILURES.noLiquidity : FAILURES.feeTooLow;
      const lf = linkFail(fwdIds(inCh, id, outCh, 0), at, info, f.wire, f.detail);
      emit(lf);
      if (rnd() < 0.2) emit({ ...lf, timestampNs: (BigInt(lf.timestampNs) + 1n).toString() });
      emit(final(inCh, id, at + 1n * MS, false));
      add(t.forwards, `failed_here|${inCh}|${outCh}`);
      add(t.linkFailures, `${outCh}|${f.wireName}|${f.detailName}`);
      addBig(t.missed, outCh, fee);
    } else if (roll < 0.93) {
      const r = recvIds(inCh, id);
      emit(settle(r, at));
      emit(final(inCh, id, at + 1n * MS, true));
    } else {
      const s = sendIds(outCh, id);
      emit(forward(s, at, htlcInfo(0, String(outAmt))));
      emit(settle(s, at + BigInt(settleMs) * MS));
      add(t.settleCount, 'SEND');
      add(t.settleSumMs, 'SEND', settleMs);
    }
  }
  return out;
}
