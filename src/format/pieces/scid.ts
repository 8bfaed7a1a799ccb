/**
 * `BLOCKxTXxOUT` for a decimal channel id, memoized: a node has few channels,
 * and real channel ids are above 2^53 (BigInt math), so the cache keeps the
 * per-event cost at one Map lookup. The cache is bounded.
 */
import { scidFromChannelId } from '../../events/scid.js';

const MAX = 4096;
const cache = new Map<string, string>();

export function scidOf(channelId: string): string {
  let s = cache.get(channelId);
  if (s === undefined) {
    s = scidFromChannelId(channelId);
    if (cache.size >= MAX) cache.clear();
    cache.set(channelId, s);
  }
  return s;
}
