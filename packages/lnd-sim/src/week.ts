/**
 * A realistic week of one node's HTLC traffic, generated fast and
 * deterministically (fixed seed, fixed end time → the same events), for the
 * history store, `report`, the demo and the tests: the simulated node's seven
 * flows (forwards settled and failed downstream, link failures with every
 * reason incl. insufficient balance with amounts, receives, sends, lnd's
 * replays) across its channels, timestamps spread over the days before
 * `endMs`, busier by day than by night (UTC), and `gaps` windows where the
 * recorder was not connected: their events are missing and a gap marker
 * stands in their place, as a live tail would have written it.
 *
 * Pure generation (no I/O): the events come out as lnd sends them (the
 * simulator's WireHtlcEvent: encodeHtlcEvent gives their protobuf bytes,
 * rest-json their REST JSON), in time order, with the gap windows between
 * them. htlc-tail fills its history store from this (src/history/fill-week.ts).
 */
import { buildNode, type SimNode } from './node-state.js';
import { Rng } from './rng.js';
import { TrafficGenerator } from './traffic.js';
import type { WireHtlcEvent } from './wire-event.js';

export interface WeekOptions {
  readonly seed?: number;
  /** About how many events to generate (default 100,000; the rate is set for it), fewer where gaps drop some. */
  readonly events?: number;
  readonly days?: number;
  /** Unix ms of the end of the week (default: now). */
  readonly endMs?: number;
  /** Windows without a recorder (default 2). */
  readonly gaps?: number;
  /** Give one peer the alias with a terminal escape (as `--hostile-aliases`). */
  readonly hostileAliases?: boolean;
}

/** A window where the recorder was not connected, as a live tail marks it (unix ms). */
export interface WeekGap {
  readonly event: 'gap';
  /** The last moment the lost connection was known alive. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly reason: string;
}

export type WeekItem = WireHtlcEvent | WeekGap;

export function isWeekGap(item: WeekItem): item is WeekGap {
  return 'event' in item && item.event === 'gap';
}

export interface Week {
  readonly node: SimNode;
  readonly startMs: number;
  readonly endMs: number;
  /** Events and gaps, in time order. */
  items(): Generator<WeekItem>;
}

const DAY_MS = 86_400_000;

/**
 * Maps uniform virtual time onto wall time with a daily cycle: traffic is
 * about three times as dense at 15:00 UTC as at 03:00.
 */
function diurnal(fraction: number, startMs: number, spanMs: number): number {
  // Invert the cumulative density of 1 + 0.5·sin(2π(t/day − 0.375)) by a few Newton steps.
  const target = fraction * spanMs;
  const k = (2 * Math.PI) / DAY_MS;
  const F = (t: number) =>
    t - (0.5 / k) * (Math.cos(k * (startMs + t) - 0.75 * Math.PI) - Math.cos(k * startMs - 0.75 * Math.PI));
  const f = (t: number) => 1 + 0.5 * Math.sin(k * (startMs + t) - 0.75 * Math.PI);
  let t = target;
  for (let i = 0; i < 6; i++) t = Math.min(spanMs, Math.max(0, t - (F(t) - target) / f(t)));
  return startMs + t;
}

export function generateWeek(opts: WeekOptions = {}): Week {
  const seed = opts.seed ?? 1;
  const total = opts.events ?? 100_000;
  const days = opts.days ?? 7;
  const endMs = Math.floor(opts.endMs ?? Date.now());
  const spanMs = days * DAY_MS;
  const startMs = endMs - spanMs;
  const node = buildNode(seed, 'mainnet', undefined, opts.hostileAliases === true);
  const rng = new Rng(seed ^ 0x7eec);
  const gapCount = opts.gaps ?? 2;
  // Gap windows: a short stream loss and a longer outage, at seeded places.
  const windows = Array.from({ length: gapCount }, (_, i) => {
    const at = startMs + spanMs * (0.2 + (0.6 * (i + rng.float())) / Math.max(1, gapCount));
    const len = i % 2 === 0 ? 60_000 + rng.int(0, 600_000) : 3_600_000 + rng.int(0, 3_600_000);
    return {
      fromMs: Math.round(at),
      toMs: Math.round(at) + len,
      reason: i % 2 === 0 ? 'htlc event subscription terminated' : 'lnd restarted (connection refused)',
    };
  });
  return {
    node,
    startMs,
    endMs,
    *items() {
      // Virtual time runs linearly over the week at the average rate; each flow's start is then
      // moved by the daily cycle, and its events keep their offsets from it (settle times stay real).
      const traffic = new TrafficGenerator({ seed, node, startNs: 0n, rate: total / (spanMs / 1000) });
      const flowStart = new Map<number, number>();
      let w = 0;
      let maxMs = startMs;
      // After a gap, events older than its end were lost with the connection (lnd does not resend them).
      let floorMs = -Infinity;
      for (;;) {
        const s = traffic.next();
        if (s.atMs > spanMs) break;
        let v0 = flowStart.get(s.flowId);
        if (v0 === undefined) {
          v0 = s.atMs;
          flowStart.set(s.flowId, v0);
          flowStart.delete(s.flowId - 10_000); // flow ids are sequential; old flows have ended
        }
        const wallMs = diurnal(v0 / spanMs, startMs, spanMs) + (s.atMs - v0);
        while (w < windows.length && wallMs >= windows[w]!.toMs) {
          const win = windows[w++]!;
          // `from`: the last moment the lost connection was known alive (its last event, or a keepalive after it).
          const gap: WeekGap = {
            event: 'gap',
            fromMs: Math.max(maxMs, win.fromMs - rng.int(1, 30_000)),
            toMs: win.toMs,
            reason: win.reason,
          };
          floorMs = win.toMs;
          yield gap;
        }
        if (wallMs < floorMs || (w < windows.length && wallMs >= windows[w]!.fromMs)) continue;
        maxMs = Math.max(maxMs, wallMs);
        const ns = BigInt(Math.floor(wallMs)) * 1_000_000n + BigInt(Math.round((wallMs % 1) * 1e6) % 1_000_000);
        yield { ...s.event, timestampNs: ns };
      }
    },
  };
}
