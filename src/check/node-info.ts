/**
 * The GetInfo step's pure part: the node in one line. `expected` is the
 * network the config chose when it matters (the macaroon path is lnd's default
 * for that network); a node on another network then gets a warning.
 */
import type { NodeInfoSummary } from '../transport/lookups.js';
import { ok, warn, type StepOutcome } from './types.js';

export function nodeInfoOutcome(
  info: NodeInfoSummary,
  expected?: { readonly network: string; readonly source: string },
): StepOutcome {
  const parts = [
    info.alias ? `alias ${JSON.stringify(info.alias)}` : 'no alias',
    info.version ? `lnd ${info.version.split(' ')[0]}` : 'version unknown',
    info.syncedToChain ? 'synced to chain' : 'NOT synced to chain',
    `block ${info.blockHeight}`,
  ];
  if (info.network) parts.push(info.network);
  const detail = parts.join(', ');
  if (expected && info.network && info.network !== expected.network) {
    return warn(
      `${detail}; but the network here is ${expected.network} (${expected.source})`,
      `pass -n ${info.network} so the default macaroon path matches this node`,
    );
  }
  if (!info.syncedToChain) {
    return warn(detail, 'lnd is still catching up with the chain; HTLCs may be few until it has');
  }
  return ok(detail);
}
