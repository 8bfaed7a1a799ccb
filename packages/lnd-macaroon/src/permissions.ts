/**
 * Macaroon permissions (entity/action pairs) and lnd's default macaroons.
 *
 * The lists below restate, in this project's words, the permission sets lnd
 * bakes on first start (rpcserver.go `readPermissions`, `writePermissions`,
 * `invoicePermissions`; admin = read + write; routerrpc's `macaroonOps`).
 * In the identifier they are stored canonically: sorted by entity then action,
 * without duplicates, grouped per entity.
 */
import type { MacaroonOp } from './identifier.js';

export interface Permission {
  readonly entity: string;
  readonly action: string;
}

/** The entity of a permission that grants one RPC by its full method name. */
export const URI_ENTITY = 'uri';

const ENTITIES = ['onchain', 'offchain', 'address', 'message', 'peers', 'info', 'invoices', 'signer', 'macaroon'];

const READ: Permission[] = ENTITIES.map((entity) => ({ entity, action: 'read' }));

const WRITE: Permission[] = [
  ...['onchain', 'offchain', 'address', 'message', 'peers', 'info', 'invoices'].map((entity) => ({
    entity,
    action: 'write',
  })),
  { entity: 'signer', action: 'generate' },
  { entity: 'macaroon', action: 'generate' },
  { entity: 'macaroon', action: 'write' },
];

const INVOICE: Permission[] = [
  { entity: 'invoices', action: 'read' },
  { entity: 'invoices', action: 'write' },
  { entity: 'address', action: 'read' },
  { entity: 'address', action: 'write' },
  { entity: 'onchain', action: 'read' },
];

const ROUTER: Permission[] = [
  { entity: 'offchain', action: 'read' },
  { entity: 'offchain', action: 'write' },
];

export type DefaultMacaroonName = 'admin' | 'readonly' | 'invoice' | 'router';

export const DEFAULT_MACAROON_NAMES: readonly DefaultMacaroonName[] = ['admin', 'readonly', 'invoice', 'router'];

/** The permissions of each macaroon lnd writes to `<datadir>/chain/bitcoin/<network>/`. */
export const DEFAULT_MACAROON_PERMISSIONS: Readonly<Record<DefaultMacaroonName, readonly Permission[]>> = {
  admin: [...READ, ...WRITE],
  readonly: READ,
  invoice: INVOICE,
  router: ROUTER,
};

/** Sorts, de-duplicates and groups permissions per entity, as macaroon-bakery stores them. */
export function canonicalOps(perms: readonly Permission[]): MacaroonOp[] {
  const sorted = [...perms].sort((a, b) =>
    a.entity !== b.entity ? (a.entity < b.entity ? -1 : 1) : a.action < b.action ? -1 : a.action > b.action ? 1 : 0,
  );
  const ops: { entity: string; actions: string[] }[] = [];
  for (const p of sorted) {
    const last = ops[ops.length - 1];
    if (last && last.entity === p.entity) {
      if (last.actions[last.actions.length - 1] !== p.action) last.actions.push(p.action);
    } else {
      ops.push({ entity: p.entity, actions: [p.action] });
    }
  }
  return ops;
}

/** Flattens grouped ops back into entity/action pairs. */
export function flattenOps(ops: readonly MacaroonOp[]): Permission[] {
  return ops.flatMap((op) => op.actions.map((action) => ({ entity: op.entity, action })));
}

/** Whether the ops grant `entity:action`. */
export function hasPermission(ops: readonly MacaroonOp[], entity: string, action: string): boolean {
  return ops.some((op) => op.entity === entity && op.actions.includes(action));
}

/**
 * Whether the ops allow calling `fullMethod` (e.g. `/routerrpc.Router/SubscribeHtlcEvents`)
 * that requires `required`: either every required permission is present, or a
 * `uri:<fullMethod>` permission is.
 */
export function allowsMethod(ops: readonly MacaroonOp[], fullMethod: string, required: readonly Permission[]): boolean {
  if (required.every((p) => hasPermission(ops, p.entity, p.action))) return true;
  return hasPermission(ops, URI_ENTITY, fullMethod);
}

/** `entity:action` */
export function formatPermission(p: Permission): string {
  return `${p.entity}:${p.action}`;
}
