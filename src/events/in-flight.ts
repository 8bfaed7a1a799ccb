/**
 * The unresolved HTLCs of the correlator's table (`Correlator.inFlight`), for
 * the summary's "in flight" and "stuck" and the metrics.
 */
import type { Mutable } from '../util/mutable.js';
import { joinU64, nsBig } from './decimal-split.js';
import { type HtlcTable, NONE, OPEN } from './htlc-table.js';
import type { HtlcInfo } from './model.js';

/** An unresolved HTLC, as reported by `Correlator.inFlight`. */
export interface InFlightHtlc {
  /** event_type of its first event (SEND or FORWARD in practice). */
  readonly eventType: number;
  /** timestamp_ns of its first event (lnd's clock), decimal string. */
  readonly firstSeenNs: string;
  /** nowNs − firstSeenNs, decimal string (may be negative when the clocks disagree). */
  readonly ageNs: string;
  readonly incomingChannelId: string;
  readonly incomingHtlcId: string;
  readonly outgoingChannelId: string;
  readonly outgoingHtlcId: string;
  /** HtlcInfo of its first event, when it carried one (amounts, timelocks). */
  readonly info?: HtlcInfo;
}

/** The records of the table's unresolved list, oldest first; ages against `nowNs` (lnd's clock, Unix ns). */
export function listInFlight(t: HtlcTable, nowNs: bigint): InFlightHtlc[] {
  const out: InFlightHtlc[] = [];
  const ids = t.ids;
  for (let s = t.oldest(OPEN); s !== NONE; s = t.newer(s)) {
    const o = s * 8;
    const first = nsBig(t.ts[s * 2]!, t.ts[s * 2 + 1]!);
    const out1 = t.hasOut[s] === 1;
    const h: Mutable<InFlightHtlc> = {
      eventType: t.firstType[s]!,
      firstSeenNs: first.toString(),
      ageNs: (nowNs - first).toString(),
      incomingChannelId: joinU64(ids[o]!, ids[o + 1]!),
      incomingHtlcId: joinU64(ids[o + 2]!, ids[o + 3]!),
      outgoingChannelId: out1 ? joinU64(ids[o + 4]!, ids[o + 5]!) : '0',
      outgoingHtlcId: out1 ? joinU64(ids[o + 6]!, ids[o + 7]!) : '0',
    };
    const info = t.infoOf(s);
    if (info) h.info = info;
    out.push(h);
  }
  return out;
}
