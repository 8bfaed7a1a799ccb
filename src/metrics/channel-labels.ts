/**
 * Bounded cardinality of the channel labels (`in_channel`, `out_channel`).
 *
 * Series are per channel, never per HTLC. Most channel ids in events are the
 * node's own channels, but not all: a `link_fail` with UNKNOWN_NEXT_PEER names
 * whatever outgoing channel the sender's onion asked for, so a prober could
 * mint a new series per attempt. So:
 *
 * - `0` (no channel: the incoming side of a send, the outgoing side of a
 *   receive) and every channel the alias book lists (the node's channels, from
 *   ListChannels) always get their own label.
 * - Other ids (not listed, or no alias book with `--no-aliases`) get their own
 *   label while fewer than `maxUnlisted` of them have one (1,000 with an alias
 *   book, 10,000 without, since then every channel is unlisted); beyond that
 *   they are counted under `other`.
 *
 * An id once given a label keeps it for the run (counters never move). An id
 * counted under `other` is asked about again on its next event, so a new
 * channel that a later alias refresh lists gets its own label from then on.
 */
import { OTHER_CHANNEL } from './names.js';

export const MAX_UNLISTED_WITH_BOOK = 1_000;
export const MAX_UNLISTED_WITHOUT_BOOK = 10_000;

/** What the labels need of the alias book: whether it lists a channel id. */
export interface ChannelDirectory {
  pubkeyOf(channelId: string): string | undefined;
}

export class ChannelLabels {
  private readonly admitted = new Set<string>();
  private unlisted = 0;
  private directory: ChannelDirectory | undefined;
  private maxUnlisted = MAX_UNLISTED_WITHOUT_BOOK;

  constructor(
    private readonly limits: { readonly withBook: number; readonly withoutBook: number } = {
      withBook: MAX_UNLISTED_WITH_BOOK,
      withoutBook: MAX_UNLISTED_WITHOUT_BOOK,
    },
  ) {
    this.maxUnlisted = limits.withoutBook;
  }

  /** The alias book that lists the node's channels (undefined: none, e.g. --no-aliases). */
  setDirectory(d: ChannelDirectory | undefined): void {
    this.directory = d;
    this.maxUnlisted = d ? this.limits.withBook : this.limits.withoutBook;
  }

  /** The label value for a channel id: the id itself, or `other` beyond the bound. */
  label(id: string): string {
    if (this.admitted.has(id)) return id;
    if (id === '0' || this.directory?.pubkeyOf(id) !== undefined) {
      this.admitted.add(id);
      return id;
    }
    if (this.unlisted < this.maxUnlisted) {
      this.unlisted++;
      this.admitted.add(id);
      return id;
    }
    return OTHER_CHANNEL;
  }

  /** Channel ids with a label of their own. */
  get size(): number {
    return this.admitted.size;
  }
}
