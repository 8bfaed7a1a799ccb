/**
 * One node's metrics: what the node's sink (node-sink.ts) calls per event,
 * gap and stream state change. Counters and gauges are plain running values
 * in series records made once per label set (per channel, pair of channels
 * or failure reason, never per HTLC); prom-client gets them at scrape time
 * (families.ts). So an event costs a few Map lookups and additions: no label
 * strings are built, hashed or validated per event. Settle times go to the
 * node's own fixed-bucket histogram series (settle-histogram.ts), as they
 * would to prom-client's Histogram.
 *
 * What is counted (SPEC "Metrics"; the README's Monitoring section says the same):
 * - htlc_tail_events_total: every event received (replays and `subscribed`
 *   included), by `event` and the event's own event_type name (a number when
 *   lnd sends one this tool does not know).
 * - Replays (`ev.corr.replayed`) count there only: nothing below counts them again.
 * - A forward is an event whose own event_type is FORWARD, or UNKNOWN with a
 *   FORWARD first event (as in the summary). Its outcome is counted once, when
 *   it arrives: `settle` → settled, `link_fail` → failed_here, `forward_fail` →
 *   failed_downstream, by incoming and outgoing channel (forward-pairs.ts).
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
 *   by their settle or forward_fail; a gap resets it (in-flight.ts).
 * - htlc_tail_last_event_timestamp_seconds: the last HTLC event's timestamp_ns
 *   (every kind but `subscribed`, whose timestamp is 0).
 *
 * Longer than most files (about 350 lines): every metric's per-event rule is here side by side, so
 * that the counting rules above can be checked against one place.
 */
import type { AliasBook } from '../events/aliases.js';
import { EVENT_TYPE, failureCodeName, failureDetailName } from '../events/enums.js';
import type { EventKind, HtlcEvent } from '../events/model.js';
import { ChannelLabels } from './channel-labels.js';
import { DEFAULT_MAX_PAIRS, FAILED_DOWNSTREAM, FAILED_HERE, ForwardPairs, SETTLED } from './forward-pairs.js';
import { InFlight } from './in-flight.js';
import { MsatSplitter, MsatSum } from './msat-sum.js';
import { SETTLE_BUCKETS } from './names.js';
import { relabel, series, typeName, type Series } from './series.js';
import { histogramSeries, observe, type HistogramSeries } from './settle-histogram.js';

export type { Series } from './series.js';

/** Settle times held for a provisional label beyond this many (×2 numbers): observed under it. */
const MAX_HELD_SETTLES = 2 * 20_000;

/** The per-outgoing-channel sums (exact msat) and their series, and the link failures. */
export interface OutChannel {
  readonly earned: MsatSum;
  readonly missed: MsatSum;
  readonly forwarded: MsatSum;
  /** The three sums' series (their values set from the sums at scrape time). */
  readonly series: { readonly earned: Series; readonly missed: Series; readonly forwarded: Series };
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

function isForward(ev: HtlcEvent): boolean {
  return (
    ev.eventType === EVENT_TYPE.FORWARD ||
    (ev.eventType === EVENT_TYPE.UNKNOWN && ev.corr?.firstEventType === EVENT_TYPE.FORWARD)
  );
}

export class NodeMetrics {
  /** Series by family, in creation order. */
  readonly eventSeries: Series[] = [];
  readonly linkFailureSeries: Series[] = [];
  readonly outChannels: OutChannel[] = [];
  /** htlc_tail_settle_seconds, by event_type */
  readonly settleSeries: HistogramSeries[] = [];
  /** htlc_tail_stream_up, _reconnects_total, _gaps_total */
  readonly streamUp: Series;
  readonly reconnects: Series;
  readonly gaps: Series;
  /** htlc_tail_last_event_timestamp_seconds (exposed once an HTLC event came). */
  readonly lastEvent: Series;
  /** timestamp_ns of the last HTLC event, as lnd sent it. */
  lastEventNs: string | undefined;
  aliases: AliasBook | undefined;

  private readonly events = new Map<EventKind, Map<number, Series>>();
  private readonly forwards: ForwardPairs;
  private readonly inFlight: InFlight;
  private readonly outs = new Map<string, OutChannel>();
  /** event_type → its settle-time series */
  private readonly settles = new Map<number, HistogramSeries>();
  private readonly msat = new MsatSplitter();
  /**
   * Settle times observed while the node's label is provisional (holdSettles()):
   * event_type and seconds, flat; observed once the label is final, so that a
   * scrape in between shows no settle times under the provisional label.
   */
  private held: number[] | undefined;

  constructor(
    private name: string,
    private readonly channels: ChannelLabels = new ChannelLabels(),
    maxPairs = DEFAULT_MAX_PAIRS,
  ) {
    this.forwards = new ForwardPairs(name, channels, maxPairs);
    this.inFlight = new InFlight(name);
    this.streamUp = series({ node: name });
    this.reconnects = series({ node: name });
    this.gaps = series({ node: name });
    this.lastEvent = series({ node: name });
    for (const [kind, type] of EXPECTED_EVENTS) this.eventSeriesFor(kind, type);
    for (const t of TRACKED_TYPES) {
      this.inFlight.of(t);
      this.settleFor(t);
    }
  }

  /** The `node` label. */
  get node(): string {
    return this.name;
  }

  get forwardSeries(): readonly Series[] {
    return this.forwards.series;
  }

  get inFlightSeries(): readonly Series[] {
    return this.inFlight.series;
  }

  /** Every counter and gauge series of this node (and the settle-time series). */
  allSeries(): Array<Series | HistogramSeries> {
    const out = [
      ...this.eventSeries,
      ...this.forwards.series,
      ...this.linkFailureSeries,
      ...this.inFlight.series,
      this.streamUp,
      this.reconnects,
      this.gaps,
      this.lastEvent,
      ...this.settleSeries,
    ];
    for (const o of this.outChannels) out.push(o.series.earned, o.series.missed, o.series.forwarded);
    return out;
  }

  /**
   * A new `node` label for every series of this node (the node's sink names
   * it by its address until GetInfo tells its pubkey; see node-sink.ts). The
   * next scrape removes the old label sets and exposes the values under the new.
   */
  rename(name: string): void {
    if (name !== this.name) {
      this.name = name;
      this.forwards.node = name;
      this.inFlight.node = name;
      for (const s of this.allSeries()) relabel(s, name);
    }
    this.releaseSettles();
  }

  /** The label is provisional (see node-sink.ts): settle times wait for rename() or releaseSettles(). */
  holdSettles(): void {
    this.held ??= [];
  }

  /** The label is final: the settle times held are observed under it. */
  releaseSettles(): void {
    const held = this.held;
    this.held = undefined;
    if (held) for (let i = 0; i < held.length; i += 2) observe(this.settleFor(held[i]!), SETTLE_BUCKETS, held[i + 1]!);
  }

  setAliases(book: AliasBook | undefined): void {
    this.aliases = book;
    this.channels.setDirectory(book);
  }

  subscribed(reconnected: boolean): void {
    this.streamUp.value = 1;
    if (reconnected) this.reconnects.value++;
  }

  streamLost(): void {
    this.streamUp.value = 0;
  }

  gap(): void {
    this.gaps.value++;
    this.inFlight.gap(this.lastEventNs);
  }

  event(ev: HtlcEvent): void {
    // Printed from the history store (--since/--tail) before going live: history, not traffic.
    if (ev.recorded) return;
    const kind = ev.event;
    const s = this.events.get(kind)?.get(ev.eventType) ?? this.eventSeriesFor(kind, ev.eventType);
    s.value++;
    if (kind === 'subscribed') return;
    if (ev.timestampNs !== '0') this.lastEventNs = ev.timestampNs;
    if (ev.corr?.replayed) return;
    switch (kind) {
      case 'forward':
        this.inFlight.started(ev.eventType);
        break;
      case 'settle':
        this.resolved(ev, true);
        if (isForward(ev)) this.settled(ev);
        break;
      case 'forward_fail':
        this.resolved(ev, false);
        if (isForward(ev)) this.forwards.count(ev.incomingChannelId, ev.outgoingChannelId, FAILED_DOWNSTREAM);
        break;
      case 'link_fail':
        this.linkFailed(ev);
        break;
      default:
        break;
    }
  }

  private settled(ev: HtlcEvent): void {
    this.forwards.count(ev.incomingChannelId, ev.outgoingChannelId, SETTLED);
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
      s = series({
        ...out.series.earned.labels,
        wire_failure: failureCodeName(wire) ?? String(wire),
        failure_detail: failureDetailName(detail) ?? String(detail),
      });
      byDetail.set(detail, s);
      this.linkFailureSeries.push(s);
    }
    s.value++;
    if (!isForward(ev)) return;
    this.forwards.count(ev.incomingChannelId, ev.outgoingChannelId, FAILED_HERE);
    out.forwards = true;
    const info = ev.info ?? ev.corr?.info;
    if (info && this.msat.difference(info.incomingAmtMsat, info.outgoingAmtMsat))
      out.missed.add(this.msat.out[0]!, this.msat.out[1]!);
  }

  /** A settle or forward_fail: its forward is no longer in flight; a settle's duration is observed. */
  private resolved(ev: HtlcEvent, settle: boolean): void {
    const corr = ev.corr;
    const dur = corr?.durationNs;
    if (dur === undefined) return; // it follows no forward this run saw
    const type = corr!.firstEventType ?? ev.eventType;
    const durNs = Number(dur);
    if (settle && durNs >= 0) {
      if (this.held === undefined) observe(this.settleFor(type), SETTLE_BUCKETS, durNs / 1e9);
      else if (this.held.push(type, durNs / 1e9) >= MAX_HELD_SETTLES) this.releaseSettles();
    }
    this.inFlight.resolved(type, ev.timestampNs, durNs);
  }

  private outChannel(id: string): OutChannel {
    const hit = this.outs.get(id);
    if (hit !== undefined) return hit;
    const label = this.channels.label(id);
    let out = this.outs.get(label);
    if (out === undefined) {
      const labels = { node: this.name, out_channel: label };
      out = {
        earned: new MsatSum(),
        missed: new MsatSum(),
        forwarded: new MsatSum(),
        series: { earned: series(labels), missed: series(labels), forwarded: series(labels) },
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
      s = series({ node: this.name, event: kind, type: typeName(type) });
      byType.set(type, s);
      this.eventSeries.push(s);
    }
    return s;
  }

  private settleFor(type: number): HistogramSeries {
    let s = this.settles.get(type);
    if (s === undefined) {
      s = histogramSeries({ node: this.name, type: typeName(type) }, SETTLE_BUCKETS);
      this.settles.set(type, s);
      this.settleSeries.push(s);
    }
    return s;
  }
}
