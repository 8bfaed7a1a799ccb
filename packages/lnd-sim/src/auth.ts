/**
 * lnd's request authorization, transport-agnostic: the same function serves
 * gRPC (metadata `macaroon`) and REST/WebSocket (`Grpc-Metadata-Macaroon`).
 * It returns undefined when the call may proceed, else lnd's exact error text
 * (sent with gRPC status UNKNOWN).
 *
 * Order, as in lnd: the wallet/RPC state first, then the macaroon: count,
 * hex, binary format, identifier and root key, signature, then permissions and
 * caveats. Since lnd 0.13 a failed permission check is retried with the
 * `uri:<full method>` permission and that second answer is returned, so an
 * expired default macaroon yields `permission denied`; `legacyMacaroonErrors`
 * returns the first answer instead (older lnd: the caveat's own text).
 */
import {
  checkCaveat,
  decodeIdentifier,
  decodeMacaroonV2,
  MacaroonError,
  URI_ENTITY,
  verifySignature,
  type MacaroonOp,
  type Permission,
} from '@htlc-tail/lnd-macaroon';

export type WalletState = 'NON_EXISTING' | 'LOCKED' | 'UNLOCKED' | 'RPC_ACTIVE' | 'SERVER_ACTIVE' | 'WAITING_TO_START';

export const WALLET_STATES: readonly WalletState[] = [
  'NON_EXISTING',
  'LOCKED',
  'UNLOCKED',
  'RPC_ACTIVE',
  'SERVER_ACTIVE',
  'WAITING_TO_START',
];

export const LND_ERRORS = {
  noWallet: 'wallet not created, create one to enable full RPC access',
  locked: 'wallet locked, unlock it to enable full RPC access',
  waitingToStart: 'waiting to start, RPC services not available',
  starting: 'the RPC server is in the process of starting up, but not yet ready to accept calls',
  signatureMismatch: 'verification failed: signature mismatch after caveat verification',
  permissionDenied: 'permission denied',
  subscriptionTerminated: 'htlc event subscription terminated',
  routerShuttingDown: 'routerrpc server shutting down',
} as const;

/** The permissions lnd requires per method (only the methods the simulator serves). */
export const METHOD_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  '/routerrpc.Router/SubscribeHtlcEvents': [{ entity: 'offchain', action: 'read' }],
  '/lnrpc.Lightning/GetInfo': [{ entity: 'info', action: 'read' }],
  '/lnrpc.Lightning/ListChannels': [{ entity: 'offchain', action: 'read' }],
  '/lnrpc.Lightning/GetNodeInfo': [{ entity: 'info', action: 'read' }],
};

/** Methods lnd serves without a macaroon, in any state. */
export const OPEN_METHODS: ReadonlySet<string> = new Set(['/lnrpc.State/GetState', '/lnrpc.State/SubscribeState']);

/** lnd's error for calls made in this wallet state, or undefined when RPCs are served. */
export function walletStateError(state: WalletState): string | undefined {
  switch (state) {
    case 'NON_EXISTING':
      return LND_ERRORS.noWallet;
    case 'LOCKED':
      return LND_ERRORS.locked;
    case 'WAITING_TO_START':
      return LND_ERRORS.waitingToStart;
    case 'UNLOCKED':
      return LND_ERRORS.starting;
    default:
      return undefined;
  }
}

export interface AuthConfig {
  readonly walletState: WalletState;
  /** Root keys by storage id (lnd's default id is `0`). */
  readonly rootKeys: ReadonlyMap<string, Uint8Array>;
  /** lnd started with `no-macaroons`: no macaroon is checked. */
  readonly noMacaroons?: boolean;
  /** Return the first permission check's error (lnd before 0.13), see above. */
  readonly legacyMacaroonErrors?: boolean;
}

export interface AuthRequest {
  /** Full method name, e.g. `/routerrpc.Router/SubscribeHtlcEvents`. */
  readonly method: string;
  /** Every value of the `macaroon` metadata (hex text). */
  readonly macaroons: readonly string[];
  readonly peerIp?: string;
  readonly now?: Date;
}

/** Go's encoding/hex DecodeString, with its error texts. */
export function goHexDecode(s: string): Buffer | string {
  const valid = (c: string) => /[0-9a-fA-F]/.test(c);
  const invalid = (c: string) =>
    `encoding/hex: invalid byte: U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ${JSON.stringify(c).replace(/^"|"$/g, "'")}`;
  const even = s.length - (s.length % 2);
  for (let i = 0; i < even; i++) if (!valid(s[i]!)) return invalid(s[i]!);
  if (s.length % 2 === 1)
    return valid(s[s.length - 1]!) ? 'encoding/hex: odd length hex string' : invalid(s[s.length - 1]!);
  return Buffer.from(s, 'hex');
}

function has(ops: readonly MacaroonOp[], p: Permission): boolean {
  return ops.some((op) => op.entity === p.entity && op.actions.includes(p.action));
}

/** One bakery Allow(): undefined when every op is granted and the caveats hold, else the error text. */
function allow(
  ops: readonly MacaroonOp[],
  caveats: readonly string[],
  wanted: readonly Permission[],
  req: AuthRequest,
): string | undefined {
  let firstCaveatError: string | undefined;
  let missing = false;
  for (const p of wanted) {
    if (!has(ops, p)) {
      missing = true;
      continue;
    }
    for (const c of caveats) {
      const err = checkCaveat(c, { now: req.now ?? new Date(), peerIp: req.peerIp });
      if (err) {
        firstCaveatError ??= err;
        missing = true;
        break;
      }
    }
  }
  if (!missing) return undefined;
  return firstCaveatError ?? LND_ERRORS.permissionDenied;
}

/** The macaroon part of lnd's check. */
export function checkMacaroon(cfg: AuthConfig, req: AuthRequest, required: readonly Permission[]): string | undefined {
  if (req.macaroons.length !== 1) return `expected 1 macaroon, got ${req.macaroons.length}`;
  const bytes = goHexDecode(req.macaroons[0]!);
  if (typeof bytes === 'string') return bytes;
  let raw;
  try {
    raw = decodeMacaroonV2(bytes);
  } catch (err) {
    if (err instanceof MacaroonError) return err.message;
    throw err;
  }
  let ops: readonly MacaroonOp[] = [];
  let storageId = '';
  if (raw.identifier.length > 0 && raw.identifier[0] === 3) {
    try {
      const id = decodeIdentifier(raw.identifier);
      ops = id.ops;
      storageId = Buffer.from(id.storageId).toString('utf8');
    } catch (err) {
      if (err instanceof MacaroonError) return `cannot retrieve macaroon: cannot unmarshal macaroon id: ${err.message}`;
      throw err;
    }
    if (ops.length === 0 || ops[0]!.actions.length === 0)
      return 'cannot retrieve macaroon: no operations found in macaroon';
  }
  const rootKey = cfg.rootKeys.get(storageId);
  if (!rootKey) return `cannot retrieve macaroon: cannot get macaroon: root key with id ${storageId} doesn't exist`;
  if (raw.caveats.some((c) => c.verificationId && c.verificationId.length > 0)) {
    return 'verification failed: cannot find discharge macaroon for third-party caveat';
  }
  if (!verifySignature(raw, rootKey)) return LND_ERRORS.signatureMismatch;
  const caveats = raw.caveats.map((c) => Buffer.from(c.id).toString('utf8'));
  const first = allow(ops, caveats, required, req);
  if (first === undefined || cfg.legacyMacaroonErrors) return first;
  return allow(ops, caveats, [{ entity: URI_ENTITY, action: req.method }], req);
}

/** The whole check for one call: undefined to proceed, else lnd's error text. */
export function authorize(cfg: AuthConfig, req: AuthRequest): string | undefined {
  if (OPEN_METHODS.has(req.method)) return undefined;
  const stateErr = walletStateError(cfg.walletState);
  if (stateErr) return stateErr;
  if (cfg.noMacaroons) return undefined;
  const required = METHOD_PERMISSIONS[req.method];
  if (!required) return `${req.method}: unknown permissions required for method`;
  return checkMacaroon(cfg, req, required);
}
