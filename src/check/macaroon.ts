/**
 * The macaroon step's pure part: the permissions a macaroon's identifier
 * grants, its caveats, and whether it lets htlc-tail subscribe
 * (`offchain:read`, or a `uri:` permission for SubscribeHtlcEvents) and look
 * up aliases and the block height (`info:read`). Only permissions and caveats
 * are ever shown: never the macaroon's bytes, hex, nonce, root key id or
 * signature.
 */
import {
  allowsMethod,
  BAKE_MINIMAL,
  excessPermissions,
  shortList,
  caveatExpiry,
  COND_IPADDR,
  COND_IPRANGE,
  COND_TIME_BEFORE,
  hasPermission,
  MacaroonError,
  parseCaveat,
  parseMacaroon,
  type MacaroonOp,
  type ParsedMacaroon,
} from '../macaroon/index.js';
import { configError, ExitCode } from '../errors.js';
import { fail, ok, warn, type StepOutcome } from './types.js';

export const SUBSCRIBE_METHOD = '/routerrpc.Router/SubscribeHtlcEvents';
const DAY_MS = 86_400_000;
/** A macaroon expiring sooner than this gets a warning. */
export const MACAROON_WARN_DAYS = 7;

/**
 * Permissions in a compact form: entities with the same actions share one
 * `entity,entity:action,action` group, e.g. readonly.macaroon's nine
 * `…:read` become `address,info,invoices,macaroon,message,offchain,onchain,peers,signer:read`.
 */
export function compactPermissions(ops: readonly MacaroonOp[]): string {
  const groups = new Map<string, string[]>();
  for (const op of ops) {
    const actions = [...new Set(op.actions)].sort().join(',');
    if (actions === '') continue;
    const list = groups.get(actions);
    if (list) {
      if (!list.includes(op.entity)) list.push(op.entity);
    } else {
      groups.set(actions, [op.entity]);
    }
  }
  if (groups.size === 0) return 'no permissions';
  return [...groups].map(([actions, entities]) => `${[...entities].sort().join(',')}:${actions}`).join(' ');
}

/** Parses macaroon bytes; a malformed one is a configuration error (exit 3) naming `source` and `option`. */
export function parseMacaroonFile(bytes: Uint8Array, source: string, option: string): ParsedMacaroon {
  try {
    return parseMacaroon(bytes);
  } catch (err) {
    if (err instanceof MacaroonError) {
      throw configError(
        `macaroon ${source} is not an lnd macaroon (${err.message}); set ${option} to readonly.macaroon`,
      );
    }
    throw err;
  }
}

function timeLeft(ms: number): string {
  if (ms >= 2 * DAY_MS) return `${Math.floor(ms / DAY_MS)} days`;
  if (ms >= 7_200_000) return `${Math.floor(ms / 3_600_000)} hours`;
  return `${Math.max(0, Math.floor(ms / 60_000))} min`;
}

/** The caveats in a few words (their texts are conditions, not secrets). */
export function describeCaveats(caveats: readonly string[], thirdParty: number, now: Date): string {
  const parts = caveats.map((c) => {
    const p = parseCaveat(c);
    if (p?.condition === COND_TIME_BEFORE) {
      const t = caveatExpiry([c]);
      if (!t) return `${c} (unreadable time)`;
      const left = t.getTime() - now.getTime();
      return left > 0 ? `${c} (in ${timeLeft(left)})` : `${c} (expired)`;
    }
    return c;
  });
  if (thirdParty > 0) parts.push(`${thirdParty} third-party caveat${thirdParty === 1 ? '' : 's'}`);
  return parts.length === 0 ? 'no caveats' : `caveats: ${parts.join(', ')}`;
}

const KNOWN_CONDITIONS = new Set([COND_TIME_BEFORE, COND_IPADDR, COND_IPRANGE, 'lnd-custom']);

/**
 * The step's outcome: fail (exit 5) when expired, when it carries caveats lnd
 * never accepts, or when it lacks `offchain:read`; warn when it lacks
 * `info:read`, expires within MACAROON_WARN_DAYS, has a caveat this tool
 * does not know, or grants more than the tail needs (least privilege: any
 * write or generate permission, e.g. admin.macaroon; see
 * macaroon/least-privilege.ts). Warnings do not fail the check.
 */
export function macaroonOutcome(m: ParsedMacaroon, source: string, now: Date): StepOutcome {
  const ops = m.identifier.ops;
  const perms = compactPermissions(ops);
  const caveats = describeCaveats(m.caveats, m.thirdPartyCaveats, now);
  const canSubscribe = allowsMethod(ops, SUBSCRIBE_METHOD, [{ entity: 'offchain', action: 'read' }]);
  const canInfo = hasPermission(ops, 'info', 'read');
  const grants = [
    hasPermission(ops, 'offchain', 'read') ? 'offchain:read' : canSubscribe ? `uri:${SUBSCRIBE_METHOD}` : undefined,
    canInfo ? 'info:read' : undefined,
  ].filter(Boolean);
  const base = `${source}: ${perms}; ${caveats}`;
  const expiry = caveatExpiry(m.caveats);

  if (expiry && expiry.getTime() <= now.getTime()) {
    return fail(
      ExitCode.REFUSED,
      `${base}; expired ${expiry.toISOString()}`,
      'bake a new one (lncli bakemacaroon offchain:read info:read, or lncli constrainmacaroon with a later timeout) or use readonly.macaroon (--macaroonpath)',
    );
  }
  if (m.thirdPartyCaveats > 0) {
    return fail(
      ExitCode.REFUSED,
      `${base}; lnd refuses macaroons with third-party caveats`,
      'use readonly.macaroon (--macaroonpath)',
    );
  }
  if (!canSubscribe) {
    return fail(
      ExitCode.REFUSED,
      `${base}; it lacks offchain:read, which SubscribeHtlcEvents needs`,
      'use readonly.macaroon (or admin.macaroon, router.macaroon) with --macaroonpath; invoice.macaroon does not have it',
    );
  }
  const detail = `${base}; grants ${grants.join(', ')}`;
  const problems: string[] = [];
  const remedies: string[] = [];
  const unknown = m.caveats.map((c) => parseCaveat(c)?.condition ?? c).filter((c) => !KNOWN_CONDITIONS.has(c));
  if (unknown.length > 0) {
    problems.push(`caveat ${unknown.join(', ')} is unknown here`);
    remedies.push('lnd may refuse it; the subscription step below tells');
  }
  if (!canInfo) {
    problems.push('it lacks info:read: no peer aliases or block height');
    remedies.push(`use readonly.macaroon for them (--macaroonpath), or ${BAKE_MINIMAL}`);
  }
  const excess = excessPermissions(ops);
  if (excess.length > 0) {
    problems.push(
      `it grants more than htlc-tail needs (${shortList(excess)}): a copy of it could change the node or move funds`,
    );
    remedies.push(
      `least privilege: use readonly.macaroon (--macaroonpath), or bake one with only what the tail needs: ${BAKE_MINIMAL}`,
    );
  }
  if (expiry && expiry.getTime() - now.getTime() < MACAROON_WARN_DAYS * DAY_MS) {
    problems.push(`expires in ${timeLeft(expiry.getTime() - now.getTime())}`);
    remedies.push('bake a new one before then (lncli bakemacaroon)');
  }
  if (problems.length > 0) return warn(`${detail}; ${problems.join('; ')}`, remedies.join('; '));
  return ok(detail);
}
