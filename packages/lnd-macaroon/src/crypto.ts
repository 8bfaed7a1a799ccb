/**
 * Macaroon signatures, computed as gopkg.in/macaroon.v2 does (and lnd with it):
 *
 *   key  = HMAC-SHA256(key = "macaroons-key-generator", data = rootKey)
 *   sig0 = HMAC-SHA256(key, identifier)
 *   first-party caveat:  sig = HMAC-SHA256(sig, caveatId)
 *   third-party caveat:  sig = HMAC-SHA256(sig, HMAC-SHA256(sig, vid) || HMAC-SHA256(sig, cid))
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeMacaroonV2, encodeMacaroonV2, type RawMacaroon } from './binary.js';
import { encodeIdentifier } from './identifier.js';
import { canonicalOps, type Permission } from './permissions.js';

const KEY_GENERATOR = Buffer.from('macaroons-key-generator', 'utf8');

function hmac(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** The fixed-length signing key derived from a root key of any length. */
export function deriveKey(rootKey: Uint8Array): Buffer {
  return hmac(KEY_GENERATOR, rootKey);
}

function chainCaveat(sig: Uint8Array, id: Uint8Array, verificationId?: Uint8Array): Buffer {
  if (!verificationId || verificationId.length === 0) return hmac(sig, id);
  return hmac(sig, Buffer.concat([hmac(sig, verificationId), hmac(sig, id)]));
}

/** The signature that a macaroon with this identifier and these caveats must carry under `rootKey`. */
export function expectedSignature(rootKey: Uint8Array, m: Pick<RawMacaroon, 'identifier' | 'caveats'>): Buffer {
  let sig = hmac(deriveKey(rootKey), m.identifier);
  for (const c of m.caveats) sig = chainCaveat(sig, c.id, c.verificationId);
  return sig;
}

/** Whether the macaroon's signature chain is valid under `rootKey` (caveat conditions are not checked here). */
export function verifySignature(m: RawMacaroon, rootKey: Uint8Array): boolean {
  const expected = expectedSignature(rootKey, m);
  return m.signature.length === expected.length && timingSafeEqual(expected, m.signature);
}

export interface MintOptions {
  readonly rootKey: Uint8Array;
  readonly permissions: readonly Permission[];
  /** Defaults to `lnd`. */
  readonly location?: string;
  /** lnd's default root key id is the ASCII `0`. */
  readonly storageId?: Uint8Array;
  /** 16 random bytes by default (macaroon-bakery uses a UUID's bytes). */
  readonly nonce?: Uint8Array;
  /** First-party caveat conditions, e.g. `time-before 2030-01-01T00:00:00Z`. */
  readonly caveats?: readonly string[];
}

/** Mints a macaroon exactly as lnd bakes one: v2 binary, version 3 identifier, canonical ops. */
export function mintMacaroon(opts: MintOptions): Buffer {
  const identifier = encodeIdentifier({
    nonce: opts.nonce ?? randomBytes(16),
    storageId: opts.storageId ?? Buffer.from('0', 'ascii'),
    ops: canonicalOps(opts.permissions),
  });
  let sig = hmac(deriveKey(opts.rootKey), identifier);
  const caveats = (opts.caveats ?? []).map((c) => {
    const id = Buffer.from(c, 'utf8');
    sig = hmac(sig, id);
    return { id };
  });
  return encodeMacaroonV2({ location: opts.location ?? 'lnd', identifier, caveats, signature: sig });
}

/**
 * Adds a first-party caveat to an existing macaroon; like `lncli constrainmacaroon`,
 * this needs only the macaroon, not the root key.
 */
export function addFirstPartyCaveat(macaroon: Uint8Array, condition: string): Buffer {
  const m = decodeMacaroonV2(macaroon);
  const id = Buffer.from(condition, 'utf8');
  return encodeMacaroonV2({
    ...m,
    caveats: [...m.caveats, { id }],
    signature: hmac(m.signature, id),
  });
}
