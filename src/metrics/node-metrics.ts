/**
 * One node's metrics: the MetricsSink the pipeline calls per event, gap and
 * stream state change. It keeps plain running values in series records that
 * are created once per label set (per channel, pair of channels or failure
 * reason, never per HTLC); the registry's collect callbacks (families.ts)
 * copy them into prom-client at scrape time. So an event costs a few Map
 * lookups and additions: no label strings are built, hashed or validated per
 * event (prom-client's own `inc(labels)` does all three on every call).
 *
 * What is counted (SPEC "Metrics"; the README's Monitoring section says the same):
 * - htlc_tail_events_total: every event received (replays and `subscribed`
 *   included), by `event` and the event's own event_type name (a number when
 *   lnd sends one this tool does not know).
 * - Replays (`ev.corr.replayed`) count there only: nothing below counts them again.
 * - A forward is an event whose own event_type is FORWARD, or UNKNOWN with a
 *   FORWARD first event (as in the summary). Its outcome is counted once, when
 *   it arrives: `settle` → settled, `link_fail` → failed_here, `forward_fail` →
 *   failed_downstream, by incoming and outgoing channel.
 * - A settled forward adds its outgoing amount to forwarded_msat and its fee
 *   (incoming − outgoing) to fees_earned, from the forward event it follows
 *   (`ev.corr.info`); a settle whose forward this run did not see (it began
 *   before the run or in a gap) counts as settled with no amounts.
 * - A forward that failed here adds the fee it offered (its own HtlcInfo) to fees_missed.
 * - htlc_tail_link_failures_total: every `link_fail` (any event_type: receives'
 *   invoice failures too, under out_channel "0"), by lnd's codes' names.
 * - htlc_tail_settle_seconds: `settle` events that follow their `forward`
 *   (forwards and sends), the duration on lnd's clock.
 * - htlc_tail_in_flight: `forward` events (forwards and sends) not yet followed
 *   by their settle or forward_fail. A gap resets it to 0: HTLCs forwarded
 *   before it may have resolved unseen, and their later outcomes do not
 *   count against the new figure (told apart by lnd's timestamps).
 * - htlc_tail_last_event_timestamp_seconds: the last HTLC event's timestamp_ns
 *   (every kind but `subscribed`, whose timestamp is 0).
 */
import type { AliasBook } from '../events/aliases.js';
import { EVENT_TYPE, eventTypeName, failureCodeName, failureDetailName } from '../events/enums.js';
import { splitNs } from '../events/htlc-table.js';
import type { EventKind, HtlcEvent } from '../events/model.js';
import { ChannelLabels } from './channel-labels.js';
import { labelKey, seriesPrefix } from './exposition.js';
import { HistogramSeries } from './histogram.js';
import { MsatSplitter, MsatSum } from './msat-sum.js';
import { METRICS, OTHER_CHANNEL, OUTCOMES, SETTLE_BUCKETS, type Labels, type MetricDef } from './names.js';
import type { MetricsSink } from './sink.js';

/** A series: its labels and its line up to the value (both made once), and its running value. */
export interface Series {
  readonly labels: Labels;
  /** `name{node="…",…} ` (exposition.ts) */
  readonly prefix: Buffer;
  value: number;
}

const series = (d: MetricDef, labels: Labels): Series => ({ labels, prefix: seriesPrefix(d.name, labels), value: 0 });

/** The forwards of one (in, out) channel pair, by outcome, each series made when first counted. */
interface Pair {
  readonly inLabel: string;
  readonly outLabel: string;
  readonly byOutcome: Array<Series | undefined>;
}

/** Default bound on channel pairs per node (see `outcome`). */
export const DEFAULT_MAX_PAIRS = 10_000;

/** The per-outgoing-channel sums and link failures. */
export interface OutChannel {
  readonly labels: Labels;
  readonly earned: MsatSum;
  readonly missed: MsatSum;
  readonly forwarded: MsatSum;
  /** The three series' lines up to their values. */
  readonly prefixes: { readonly earned: Buffer; readonly missed: Buffer; readonly forwarded: Buffer };
  /** A forward's outcome touched this channel: its three msat series are exposed. */
  forwards: boolean;
  /** wire_failure → failure_detail → series */
  readonly failures: Map<number, Map<number, Series>>;
}

/** The (event, type) pairs lnd sends, exposed as 0 from the start so rate() sees their first increment. */
const EXPECTED_EVENTS: ReadonlyArray<readonly [EventKind, number]> = [
  ['forward', EVENT_TYPE.SEND],
  ['forward', EVENT_TYPE.FORWARD],
  ['forward_fail', EVENT_TYPE.SEND],
  ['forward_fail', EVENT_TYPE.FORWARD],
  ['settle', EVENT_TYPE.SEND],
  ['settle', EVENT_TYPE.RECEIVE],
  ['settle', EVENT_TYPE.FORWARD],
  ['link_fail', EVENT_TYPE.SEND],
  ['link_fail', EVENT_TYPE.RECEIVE],
  ['link_fail', EVENT_TYPE.FORWARD],
  ['final_htlc', EVENT_TYPE.UNKNOWN],
  ['subscribed', EVENT_TYPE.UNKNOWN],
];
/** The types of HTLCs that have a `forward` event, so can be in flight and have a settle time. */
const TRACKED_TYPES = [EVENT_TYPE.SEND, EVENT_TYPE.FORWARD];

const SETTLED = 0;
const FAILED_HERE = 1;
const FAILED_DOWNSTREAM = 2;

const typeName = (t: number): string => eventTypeName(t) ?? String(t);

function isForward(ev: HtlcEvent): boolean {
  return ev.eventType === EVENT_TYPE.FORWARD || (ev.eventType === EVENT_TYPE.UNKNOWN && ev.corr?.firstEventType === EVENT_TYPE.FORWARD);
}

export class NodeMetrics implements MetricsSink {
  readonly nodeLabels: Labels;
  readonly nodeKey: string;
  /** Every series, in creation order, for the collect callbacks. */
  readonly eventSeries: Series[] = [];
  readonly forwardSeries: Series[] = [];
  readonly linkFailureSeries: Series[] = [];
  readonly outChannels: OutChannel[] = [];
  readonly inFlightSeries: Series[] = [];
  readonly settleSeries: HistogramSeries[] = [];
  /** htlc_tail_stream_up */
  streamUp = 0;
  reconnects = 0;
  gaps = 0;
  /** timestamp_ns of the last HTLC event, as lnd sent it. */
  lastEventNs: string | undefined;
  aliases: AliasBook | undefined;

  private readonly events = new Map<EventKind, Map<number, Series>>();
  /** in channel id → its label and (out channel id → the pair's series) */
  private readonly forwards = new Map<string, { readonly label: string; readonly byOut: Map<string, Pair> }>();
  private pairs = 0;
  private readonly outs = new Map<string, OutChannel>();
  private readonly inFlight = new Map<number, Series>();
  private readonly settles = new Map<number, HistogramSeries>();
  private readonly channels: ChannelLabels;
  private readonly msat = new MsatSplitter();
  private readonly ts = new Float64Array(2);
  /** lnd's timestamp (sec, ns) of the last event before the latest gap; sec < 0: no gap yet. */
  private epochSec = -1;
  private epochNs = 0;

  constructor(
    readonly node: string,
    channels: ChannelLabels = new ChannelLabels(),
    private readonly maxPairs = DEFAULT_MAX_PAIRS,
  ) {
    this.channels = channels;
    this.nodeLabels = { node };
    this.nodeKey = labelKey(this.nodeLabels);
    for (const [kind, type] of EXPECTED_EVENTS) this.eventSeriesFor(kind, type);
    for (const t of TRACKED_TYPES) {
      this.inFlightFor(t);
      this.settleFor(t);
    }
  }

  setAliases(book: AliasBook | undefined): void {
    this.aliases = book;
    this.channels.setDirectory(book);
  }

  subscribed(reconnected: boolean): void {
    this.streamUp = 1;
    if (reconnected) this.reconnects++;
  }

  streamLost(): void {
    this.streamUp = 0;
  }

  gap(_fromMs: number, _toMs: number, _reason: string): void {
    this.gaps++;
    if (this.lastEventNs !== undefined) {
      splitNs(this.lastEventNs, this.ts, 0);
      this.epochSec = this.ts[0]!;
      this.epochNs = this.ts[1]!;
    }
    for (const s of this.inFlightSeries) s.value = 0;
  }

  event(ev: HtlcEvent): void {
    const kind = ev.event;
    const byType = this.events.get(kind);
    const s = byType?.get(ev.eventType) ?? this.eventSeriesFor(kind, ev.eventType);
    s.value++;
    if (kind === 'subscribed') return;
    if (ev.timestampNs !== '0') this.lastEventNs = ev.timestampNs;
    if (ev.corr?.replayed) return;
    switch (kind) {
      case 'forward':
        this.inFlightFor(ev.eventType).value++;
        break;
      case 'settle':
        this.resolved(ev, true);
        if (isForward(ev)) this.settled(ev);
        break;
      case 'forward_fail':
        this.resolved(ev, false);
        if (isForward(ev)) this.outcome(ev, FAILED_DOWNSTREAM);
        break;
      case 'link_fail':
        this.linkFailed(ev);
        break;
      default:
        break;
    }
  }

  private settled(ev: HtlcEvent): void {
    this.outcome(ev, SETTLED);
    const info = ev.corr?.info;
    const out = this.outChannel(ev.outgoingChannelId);
    out.forwards = true;
    if (!info) return;
    const m = this.msat;
    if (m.amount(info.outgoingAmtMsat)) out.forwarded.add(m.out[0]!, m.out[1]!);
    if (m.difference(info.incomingAmtMsat, info.outgoingAmtMsat)) out.earned.add(m.out[0]!, m.out[1]!);
  }

  private linkFailed(ev: HtlcEvent): void {
    const out = this.outChannel(ev.outgoingChannelId);
    const wire = ev.wireFailure ?? 0;
    const detail = ev.failureDetail ?? 0;
    let byDetail = out.failures.get(wire);
    if (byDetail === undefined) {
      byDetail = new Map();
      out.failures.set(wire, byDetail);
    }
    let s = byDetail.get(detail);
    if (s === undefined) {
      s = series(METRICS.linkFailures, {
        ...out.labels,
        wire_failure: failureCodeName(wire) ?? String(wire),
        failure_detail: failureDetailName(detail) ?? String(detail),
      });
      byDetail.set(detail, s);
      this.linkFailureSeries.push(s);
    }
    s.value++;
    if (!isForward(ev)) return;
    this.outcome(ev, FAILED_HERE);
    out.forwards = true;
    const info = ev.info ?? ev.corr?.info;
    if (info && this.msat.difference(info.incomingAmtMsat, info.outgoingAmtMsat)) out.missed.add(this.msat.out[0]!, this.msat.out[1]!);
  }

  /** A settle or forward_fail: its forward is no longer in flight; a settle's duration is observed. */
  private resolved(ev: HtlcEvent, settle: boolean): void {
    const corr = ev.corr;
    const dur = corr?.durationNs;
    if (dur === undefined) return; // it follows no forward this run saw
    const type = corr!.firstEventType ?? ev.eventType;
    const durNs = Number(dur);
    if (settle && durNs >= 0) this.settleFor(type).observe(durNs / 1e9);
    if (this.epochSec >= 0) {
      // The forward's time (event time − duration) after the last event before the gap?
      splitNs(ev.timestampNs, this.ts, 0);
      if ((this.ts[0]! - this.epochSec) * 1e9 + (this.ts[1]! - this.epochNs) - durNs <= 0) return;
    }
    const s = this.inFlightFor(type);
    if (s.value > 0) s.value--;
  }

  /**
   * Counts a forward's outcome under its (in, out) channel pair. Pairs are
   * bounded too (channels² of them could exist): beyond `maxPairs` pairs per
   * node, a new pair is counted under in_channel "other", so the sums per
   * outgoing channel stay whole.
   */
  private outcome(ev: HtlcEvent, which: number): void {
    const entry = this.forwards.get(ev.incomingChannelId) ?? this.inEntry(this.channels.label(ev.incomingChannelId));
    const pair = entry.byOut.get(ev.outgoingChannelId) ?? this.newPair(entry, this.channels.label(ev.outgoingChannelId));
    let s = pair.byOutcome[which];
    if (s === undefined) {
      s = series(METRICS.forwards, { node: this.node, outcome: OUTCOMES[which]!, in_channel: pair.inLabel, out_channel: pair.outLabel });
      pair.byOutcome[which] = s;
      this.forwardSeries.push(s);
    }
    s.value++;
  }

  private inEntry(label: string): { readonly label: string; readonly byOut: Map<string, Pair> } {
    let entry = this.forwards.get(label);
    if (entry === undefined) {
      entry = { label, byOut: new Map() };
      this.forwards.set(label, entry);
    }
    return entry;
  }

  private newPair(entry: { readonly label: string; readonly byOut: Map<string, Pair> }, outLabel: string): Pair {
    const known = entry.byOut.get(outLabel);
    if (known !== undefined) return known;
    if (this.pairs >= this.maxPairs && entry.label !== OTHER_CHANNEL) return this.newPair(this.inEntry(OTHER_CHANNEL), outLabel);
    const pair: Pair = { inLabel: entry.label, outLabel, byOutcome: [undefined, undefined, undefined] };
    entry.byOut.set(outLabel, pair);
    this.pairs++;
    return pair;
  }

  private outChannel(id: string): OutChannel {
    const hit = this.outs.get(id);
    if (hit !== undefined) return hit;
    const label = this.channels.label(id);
    let out = this.outs.get(label);
    if (out === undefined) {
      const labels = { node: this.node, out_channel: label };
      out = {
        labels,
        prefixes: {
          earned: seriesPrefix(METRICS.feesEarned.name, labels),
          missed: seriesPrefix(METRICS.feesMissed.name, labels),
          forwarded: seriesPrefix(METRICS.forwarded.name, labels),
        },
        earned: new MsatSum(),
        missed: new MsatSum(),
        forwarded: new MsatSum(),
        forwards: false,
        failures: new Map(),
      };
      this.outs.set(label, out);
      this.outChannels.push(out);
    }
    return out;
  }

  private eventSeriesFor(kind: EventKind, type: number): Series {
    let byType = this.events.get(kind);
    if (byType === undefined) {
      byType = new Map();
      this.events.set(kind, byType);
    }
    let s = byType.get(type);
    if (s === undefined) {
      s = series(METRICS.events, { node: this.node, event: kind, type: typeName(type) });
      byType.set(type, s);
      this.eventSeries.push(s);
    }
    return s;
  }

  private inFlightFor(type: number): Series {
    let s = this.inFlight.get(type);
    if (s === undefined) {
      s = series(METRICS.inFlight, { node: this.node, type: typeName(type) });
      this.inFlight.set(type, s);
      this.inFlightSeries.push(s);
    }
    return s;
  }

  private settleFor(type: number): HistogramSeries {
    let h = this.settles.get(type);
    if (h === undefined) {
      h = new HistogramSeries({ node: this.node, type: typeName(type) }, SETTLE_BUCKETS);
      this.settles.set(type, h);
      this.settleSeries.push(h);
    }
    return h;
  }
}
