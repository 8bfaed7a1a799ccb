/**
 * lnd macaroons for htlc-tail: the shared codec (`@htlc-tail/lnd-macaroon`:
 * v2 binary format, identifier, signatures, caveats, lnd's default permission
 * sets; the simulated node mints and verifies with the same package) and
 * htlc-tail's own least-privilege advice. Nothing here logs or prints
 * macaroon bytes.
 */
export * from '@htlc-tail/lnd-macaroon';
export { BAKE_MINIMAL, excessAdvice, excessPermissions, shortList, TAIL_METHODS } from './least-privilege.js';
