/**
 * One side of an HTLC for people: the short channel id and, when known, the
 * peer alias (sanitized): "830412x1903x1 (ACINQ)". A channel id of 0 is
 * "this node" on the side where lnd leaves it 0 on purpose (a SEND's incoming
 * side, a RECEIVE's outgoing side), else "-".
 */
import { sanitize } from '../sanitize.js';
import { scidOf } from './scid.js';

export interface ChannelLabel {
  /** The scid, "this node" or "-". */
  readonly id: string;
  /** The sanitized alias, or undefined. */
  readonly alias: string | undefined;
}

export function channelLabel(channelId: string, alias: string | undefined, thisNode: boolean): ChannelLabel {
  if (channelId === '0') return { id: thisNode ? 'this node' : '-', alias: undefined };
  return { id: scidOf(channelId), alias: alias ? sanitize(alias) : undefined };
}

export function channelLabelText(l: ChannelLabel): string {
  return l.alias === undefined ? l.id : l.id + ' (' + l.alias + ')';
}
