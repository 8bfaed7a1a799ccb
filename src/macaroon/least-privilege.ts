/**
 * Least privilege: what a macaroon grants beyond what htlc-tail uses.
 *
 * The tail reads: SubscribeHtlcEvents (offchain:read), and for aliases and
 * the block height GetInfo, ListChannels, GetNodeInfo (info:read,
 * offchain:read). Anything that can change the node (an action other than
 * `read`: write, generate; admin.macaroon, router.macaroon) or a `uri:`
 * permission for a method the tail never calls is more than it needs, and a
 * leaked copy of such a macaroon is worth more to an attacker. lnd's
 * readonly.macaroon (every entity, read only) is not flagged: it cannot change
 * anything and is the documented default. Pure: permissions in, names out.
 */
import { URI_ENTITY, type MacaroonOp } from '@htlc-tail/lnd-macaroon';

/** The methods htlc-tail calls (State/GetState needs no macaroon). */
export const TAIL_METHODS: readonly string[] = [
  '/routerrpc.Router/SubscribeHtlcEvents',
  '/lnrpc.Lightning/GetInfo',
  '/lnrpc.Lightning/ListChannels',
  '/lnrpc.Lightning/GetNodeInfo',
  '/lnrpc.State/GetState',
];

/** The command that bakes a macaroon with just what the tail needs. */
export const BAKE_MINIMAL = 'lncli bakemacaroon offchain:read info:read';

/** `entity:action` of each permission beyond what the tail needs, in the macaroon's order. */
export function excessPermissions(ops: readonly MacaroonOp[]): string[] {
  const out: string[] = [];
  for (const op of ops) {
    for (const action of op.actions) {
      if (op.entity === URI_ENTITY) {
        if (!TAIL_METHODS.includes(action)) out.push(`${op.entity}:${action}`);
      } else if (action !== 'read') {
        out.push(`${op.entity}:${action}`);
      }
    }
  }
  return out;
}

/** "a, b, c and 9 more" */
export function shortList(items: readonly string[], shown = 4): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

/** The advice, for `check` and the tail's start-up warning alike. */
export function excessAdvice(source: string, excess: readonly string[]): string {
  return (
    `the macaroon ${source} grants more than htlc-tail needs (${shortList(excess)}): a copy of it could change the node or move funds; ` +
    `use readonly.macaroon (--macaroonpath), or bake one with only what the tail needs: ${BAKE_MINIMAL}`
  );
}
