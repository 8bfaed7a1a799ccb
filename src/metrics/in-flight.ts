/**
 * htlc_tail_in_flight of one node: `forward` events (forwards and sends) not
 * yet followed by their settle or forward_fail, per event_type.
 *
 * A gap resets the figures to 0: HTLCs forwarded before it may have resolved
 * while the stream was down, unseen, and would otherwise stay counted for the
 * whole run. An outcome that arrives after the gap for a forward from before
 * it must then not count against the new figure: it is told apart by lnd's
 * own clock, the forward's time (the outcome's timestamp minus the duration
 * the correlator measured) against the last event received before the gap.
 * Outcomes the correlator cannot match (their forward came before the run, or
 * it dropped it at its caps) are not counted either way.
 */
import { splitNs } from '../events/decimal-split.js';
import { series, typeName, type Series } from './series.js';

export class InFlight {
  readonly series: Series[] = [];
  private readonly byType = new Map<number, Series>();
  private readonly ts = new Float64Array(2);
  /** lnd's timestamp (sec, ns) of the last event before the latest gap; sec < 0: no gap yet. */
  private epochSec = -1;
  private epochNs = 0;

  constructor(
    /** The node label of the series made from now on. */
    public node: string,
  ) {}

  /** A forward event of this type (not a replay). */
  started(type: number): void {
    this.of(type).value++;
  }

  /** Its settle or forward_fail: `tsNs` the outcome's timestamp, `durNs` the time since its forward. */
  resolved(type: number, tsNs: string, durNs: number): void {
    if (this.epochSec >= 0) {
      splitNs(tsNs, this.ts, 0);
      // The forward (tsNs − durNs) is not after the last event before the gap: not counted now.
      if ((this.ts[0]! - this.epochSec) * 1e9 + (this.ts[1]! - this.epochNs) - durNs <= 0) return;
    }
    const s = this.of(type);
    if (s.value > 0) s.value--;
  }

  /** A gap; `lastEventNs` is the timestamp of the last event received before it. */
  gap(lastEventNs: string | undefined): void {
    if (lastEventNs !== undefined) {
      splitNs(lastEventNs, this.ts, 0);
      this.epochSec = this.ts[0]!;
      this.epochNs = this.ts[1]!;
    }
    for (const s of this.series) s.value = 0;
  }

  of(type: number): Series {
    let s = this.byType.get(type);
    if (s === undefined) {
      s = series({ node: this.node, type: typeName(type) });
      this.byType.set(type, s);
      this.series.push(s);
    }
    return s;
  }
}
