/**
 * The environment without the variables that describe a local lnd (lncli's
 * LNCLI_*, HTLC_TAIL_LNDCONNECT): for the commands whose node is not the
 * user's (demo's simulated node, replay's none), so a shell set up for lncli
 * changes nothing there.
 */
import type { Env } from './paths.js';

export function withoutLndEnvironment(env: Env): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('LNCLI_') && k !== 'HTLC_TAIL_LNDCONNECT') out[k] = v;
  return out;
}
