/**
 * htlc_tail_forwards_total of one node: forwards by outcome and (in, out)
 * channel pair. A pair's outcome series is made when that outcome is first
 * counted. Pairs are bounded too (channels² of them could exist): beyond
 * `maxPairs` pairs, a new pair is counted under in_channel "other", so the
 * sums per outgoing channel stay whole.
 */
import type { ChannelLabels } from './channel-labels.js';
import { OTHER_CHANNEL, OUTCOMES } from './names.js';
import { series, type Series } from './series.js';

/** Default bound on channel pairs per node. */
export const DEFAULT_MAX_PAIRS = 5_000;

/** Indexes into OUTCOMES. */
export const SETTLED = 0;
export const FAILED_HERE = 1;
export const FAILED_DOWNSTREAM = 2;

interface Pair {
  readonly inLabel: string;
  readonly outLabel: string;
  readonly byOutcome: Array<Series | undefined>;
}

interface InEntry {
  readonly label: string;
  /** out channel id (or label) → pair */
  readonly byOut: Map<string, Pair>;
}

export class ForwardPairs {
  readonly series: Series[] = [];
  /** in channel id (or label) → entry */
  private readonly byIn = new Map<string, InEntry>();
  private pairs = 0;

  constructor(
    /** The node label of the series made from now on. */
    public node: string,
    private readonly channels: ChannelLabels,
    private readonly maxPairs = DEFAULT_MAX_PAIRS,
  ) {}

  /** One forward of outcome `which` (SETTLED, FAILED_HERE, FAILED_DOWNSTREAM) from `inId` to `outId`. */
  count(inId: string, outId: string, which: number): void {
    const entry = this.byIn.get(inId) ?? this.entry(this.channels.label(inId));
    const pair = entry.byOut.get(outId) ?? this.pair(entry, this.channels.label(outId));
    let s = pair.byOutcome[which];
    if (s === undefined) {
      s = series({ node: this.node, outcome: OUTCOMES[which]!, in_channel: pair.inLabel, out_channel: pair.outLabel });
      pair.byOutcome[which] = s;
      this.series.push(s);
    }
    s.value++;
  }

  private entry(label: string): InEntry {
    let e = this.byIn.get(label);
    if (e === undefined) {
      e = { label, byOut: new Map() };
      this.byIn.set(label, e);
    }
    return e;
  }

  private pair(entry: InEntry, outLabel: string): Pair {
    const known = entry.byOut.get(outLabel);
    if (known !== undefined) return known;
    if (this.pairs >= this.maxPairs && entry.label !== OTHER_CHANNEL)
      return this.pair(this.entry(OTHER_CHANNEL), outLabel);
    const p: Pair = { inLabel: entry.label, outLabel, byOutcome: [undefined, undefined, undefined] };
    entry.byOut.set(outLabel, p);
    this.pairs++;
    return p;
  }
}
