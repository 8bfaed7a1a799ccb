/**
 * htlc_tail_channel_info rows from the alias book: one per channel id the
 * node's ListChannels listed (alias scids of a channel included, since events
 * may name them), with its short channel id, the peer's pubkey and the peer's
 * alias ('' when none is known: Prometheus then leaves the label out).
 *
 * Aliases are untrusted network text: control characters and bidi controls are
 * shown escaped (as in pretty output), so a label value can never break a
 * dashboard's layout. Pure: reads the book, builds label sets.
 */
import type { AliasBook } from '../events/aliases.js';
import { scidFromChannelId } from '../events/scid.js';
import { sanitize } from '../format/sanitize.js';
import type { Labels } from './names.js';

/** What channel_info needs of the alias book. */
export type ChannelInfoSource = Pick<AliasBook, 'channelIds' | 'pubkeyOf' | 'aliasOf'>;

export function channelInfoLabels(node: string, book: ChannelInfoSource): Labels[] {
  const rows: Labels[] = [];
  for (const id of book.channelIds()) {
    rows.push({
      node,
      channel: id,
      scid: /^\d{1,20}$/.test(id) ? scidFromChannelId(id) : '',
      peer_pubkey: book.pubkeyOf(id) ?? '',
      peer_alias: sanitize(book.aliasOf(id) ?? ''),
    });
  }
  return rows;
}
