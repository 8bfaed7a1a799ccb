/**
 * lncli's encrypted macaroon jar entries: `snacl:<key>:<ciphertext>`, both
 * standard base64 (lnd cmd/lncli macaroon_jar.go, storeMacaroon /
 * decryptMacaroon), in btcwallet's snacl format (btcwallet snacl/snacl.go):
 *
 * - `<key>` is SecretKey.Marshal(): salt (32) | digest (32) | N | R | P, the
 *   last three uint64 little-endian (88 bytes). The key is
 *   scrypt(password, salt, N, R, P, 32); digest = SHA-256(key) tells a wrong
 *   password from a corrupt box (DeriveKey compares them).
 * - `<ciphertext>` is CryptoKey.Encrypt(): a 24-byte nonce, then NaCl
 *   secretbox.Seal(macaroon, nonce, key) (XSalsa20-Poly1305, 16 bytes of tag).
 *
 * Errors are SnaclErrors with a reason and no secret; the profile layer turns
 * them into messages naming the profile. Never log the password, the key or
 * the plaintext.
 */
import { createHash, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const SNACL_PREFIX = 'snacl:';
const SALT_LEN = 32;
const DIGEST_LEN = 32;
const KEY_LEN = 32;
const PARAMS_LEN = SALT_LEN + DIGEST_LEN + 3 * 8;
const NONCE_LEN = 24;
/** secretbox.Overhead */
const TAG_LEN = 16;
/** scrypt needs about 128·N·r bytes; beyond this a file is refused rather than obeyed. */
export const SCRYPT_MAX_MEMORY = 256 * 1024 * 1024;

export type SnaclFailure =
  /** Not `snacl:<base64>:<base64>`, or a key that is not 88 bytes, or a ciphertext shorter than nonce + tag. */
  | 'malformed'
  /** scrypt parameters that are invalid or would need more than SCRYPT_MAX_MEMORY. */
  | 'unsupported-params'
  /** SHA-256 of the derived key is not the stored digest. */
  | 'wrong-password'
  /** The password is right but the box does not open (data damaged). */
  | 'corrupt';

export class SnaclError extends Error {
  constructor(
    readonly reason: SnaclFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SnaclError';
  }
}

export interface SnaclParams {
  readonly salt: Buffer;
  readonly digest: Buffer;
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export interface SnaclBox {
  readonly params: SnaclParams;
  /** nonce (24) | sealed box */
  readonly ciphertext: Buffer;
}

/** Whether a jar entry's data is encrypted (else it is the macaroon in hex). */
export function isSnacl(data: string): boolean {
  return data.startsWith(SNACL_PREFIX);
}

/** Go's base64.StdEncoding.DecodeString: standard alphabet, padding required. */
function decodeStdBase64(s: string): Buffer | undefined {
  if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return Buffer.from(s, 'base64');
}

function readSmallUint64(buf: Buffer, offset: number): number | undefined {
  const v = buf.readBigUInt64LE(offset);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
}

/** SecretKey.Unmarshal. */
export function unmarshalParams(key: Buffer): SnaclParams {
  if (key.length !== PARAMS_LEN) {
    throw new SnaclError('malformed', `the key part is ${key.length} bytes, not ${PARAMS_LEN}`);
  }
  const N = readSmallUint64(key, SALT_LEN + DIGEST_LEN);
  const r = readSmallUint64(key, SALT_LEN + DIGEST_LEN + 8);
  const p = readSmallUint64(key, SALT_LEN + DIGEST_LEN + 16);
  if (N === undefined || r === undefined || p === undefined) {
    throw new SnaclError('unsupported-params', 'scrypt parameters out of range');
  }
  return {
    salt: Buffer.from(key.subarray(0, SALT_LEN)),
    digest: Buffer.from(key.subarray(SALT_LEN, SALT_LEN + DIGEST_LEN)),
    N,
    r,
    p,
  };
}

/** Splits and decodes `snacl:<key>:<ciphertext>` (lncli splits on ':' and wants exactly three parts). */
export function parseSnacl(data: string): SnaclBox {
  const parts = data.split(':');
  if (parts.length !== 3 || parts[0] !== 'snacl') {
    throw new SnaclError('malformed', 'expected snacl:<key base64>:<encrypted macaroon base64>');
  }
  const key = decodeStdBase64(parts[1]!);
  const ciphertext = decodeStdBase64(parts[2]!);
  if (!key) throw new SnaclError('malformed', 'the key part is not standard base64');
  if (!ciphertext) throw new SnaclError('malformed', 'the encrypted macaroon is not standard base64');
  if (ciphertext.length < NONCE_LEN + TAG_LEN) {
    throw new SnaclError(
      'malformed',
      `the encrypted macaroon is ${ciphertext.length} bytes, shorter than nonce and tag`,
    );
  }
  return { params: unmarshalParams(key), ciphertext };
}

/** Node's scrypt checks its own limits; this refuses what a hostile file could ask for, and sets maxmem to what lncli's parameters need. */
export function scryptOptions(params: SnaclParams): ScryptOptions {
  const { N, r, p } = params;
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0 && N <= 2 ** 30;
  if (!powerOfTwo || r < 1 || p < 1 || r * p >= 2 ** 30) {
    throw new SnaclError('unsupported-params', `invalid scrypt parameters N=${N}, r=${r}, p=${p}`);
  }
  const need = 128 * N * r + 128 * r * p;
  if (need > SCRYPT_MAX_MEMORY) {
    throw new SnaclError(
      'unsupported-params',
      `scrypt parameters N=${N}, r=${r}, p=${p} need ${Math.ceil(need / 2 ** 20)} MiB, more than the ${SCRYPT_MAX_MEMORY / 2 ** 20} MiB allowed`,
    );
  }
  // Node counts a little more than 128·N·r; leave room for it.
  return { N, r, p, maxmem: need + 2 * 1024 * 1024 };
}

function deriveKey(password: Buffer, params: SnaclParams): Promise<Buffer> {
  const opts = scryptOptions(params);
  return new Promise((resolve, reject) => {
    scryptCb(password, params.salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Decrypts an encrypted jar entry with the password (which the caller may
 * zero afterwards). Throws a SnaclError: `wrong-password` when the key's
 * digest does not match, `corrupt` when the box does not open.
 */
export async function decryptSnacl(data: string, password: Buffer): Promise<Buffer> {
  const box = parseSnacl(data);
  const key = await deriveKey(password, box.params);
  try {
    const digest = createHash('sha256').update(key).digest();
    if (!timingSafeEqual(digest, box.params.digest)) {
      throw new SnaclError('wrong-password', 'the password does not derive the stored key');
    }
    const { default: nacl } = await import('tweetnacl');
    const nonce = box.ciphertext.subarray(0, NONCE_LEN);
    const sealed = box.ciphertext.subarray(NONCE_LEN);
    const opened = nacl.secretbox.open(sealed, nonce, key);
    if (!opened) throw new SnaclError('corrupt', 'the encrypted macaroon does not open with the derived key');
    return Buffer.from(opened.buffer, opened.byteOffset, opened.byteLength);
  } finally {
    key.fill(0);
  }
}
