/**
 * `BLOCKxTXxOUT` for a decimal channel id, memoized: a node has few channels,
 * and real channel ids are above 2^53 (BigInt math), so the cache keeps the
 * per-event cost at one Map lookup. The cache is bounded.
 */
import { scidFromChannelId } from '../../events/scid.js';
import { BoundedMap } from '../../util/bounded-map.js';

const cache = new BoundedMap<string, string>(4096);

export function scidOf(channelId: string): string {
  return cache.getOrSet(channelId, scidFromChannelId);
}
