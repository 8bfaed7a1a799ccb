/**
 * lnd macaroons: the libmacaroons v2 binary format, lnd's identifier, signatures
 * as gopkg.in/macaroon.v2 computes them, caveat checks and lnd's default
 * permission sets. Pure (node built-ins only, no I/O); used by the simulated node
 * (minting, verifying) and by htlc-tail (reading, least privilege). Nothing here
 * logs or prints macaroon bytes.
 */
export { MacaroonError } from './errors.js';
export { decodeMacaroonV2, encodeMacaroonV2, SIGNATURE_LENGTH, type RawCaveat, type RawMacaroon } from './binary.js';
export {
  decodeIdentifier,
  encodeIdentifier,
  IDENTIFIER_VERSION,
  type MacaroonIdentifier,
  type MacaroonOp,
} from './identifier.js';
export {
  addFirstPartyCaveat,
  deriveKey,
  expectedSignature,
  mintMacaroon,
  verifySignature,
  type MintOptions,
} from './crypto.js';
export {
  allowsMethod,
  canonicalOps,
  DEFAULT_MACAROON_NAMES,
  DEFAULT_MACAROON_PERMISSIONS,
  flattenOps,
  formatPermission,
  hasPermission,
  URI_ENTITY,
  type DefaultMacaroonName,
  type Permission,
} from './permissions.js';
export {
  caveatExpiry,
  checkCaveat,
  COND_IPADDR,
  COND_IPRANGE,
  COND_TIME_BEFORE,
  parseCaveat,
  parseRfc3339,
  timeBeforeCaveat,
  type CaveatContext,
  type ParsedCaveat,
} from './caveats.js';
export { looksLikeHexText, parseMacaroon, type ParsedMacaroon } from './parse.js';
