/**
 * Reading a macaroon file's bytes into what a client wants to know: where it
 * is for, which permissions its identifier grants, and its caveats. No root key
 * is needed for this (and none is checked).
 */
import { decodeMacaroonV2 } from './binary.js';
import { MacaroonError } from './errors.js';
import { decodeIdentifier, type MacaroonIdentifier } from './identifier.js';

export interface ParsedMacaroon {
  /** `lnd` for every macaroon lnd bakes. */
  readonly location: string;
  readonly identifier: MacaroonIdentifier;
  /** First-party caveat conditions, as text (e.g. `time-before 2030-01-01T00:00:00Z`). */
  readonly caveats: readonly string[];
  /** Third-party caveats (lnd never creates them; lnd rejects macaroons that carry one). */
  readonly thirdPartyCaveats: number;
  /** The 32-byte signature. Secret-equivalent: never print it. */
  readonly signature: Uint8Array;
}

const utf8 = new TextDecoder('utf-8');

/**
 * Parses a binary (v2) macaroon, e.g. the bytes of `readonly.macaroon`.
 * Throws MacaroonError with a one-line reason on malformed input.
 */
export function parseMacaroon(bytes: Uint8Array): ParsedMacaroon {
  const raw = decodeMacaroonV2(bytes);
  let identifier: MacaroonIdentifier;
  try {
    identifier = decodeIdentifier(raw.identifier);
  } catch (err) {
    if (err instanceof MacaroonError) throw new MacaroonError(`not an lnd macaroon: ${err.message}`);
    throw err;
  }
  const caveats: string[] = [];
  let thirdPartyCaveats = 0;
  for (const c of raw.caveats) {
    if (c.verificationId && c.verificationId.length > 0) thirdPartyCaveats++;
    else caveats.push(utf8.decode(c.id));
  }
  return { location: raw.location, identifier, caveats, thirdPartyCaveats, signature: raw.signature };
}

/**
 * Whether the bytes look like a macaroon written as hex text (some tools and
 * guides store it that way) rather than the binary file lnd writes.
 */
export function looksLikeHexText(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes).toString('latin1').trim();
  return text.length >= 2 && text.length % 2 === 0 && /^02[0-9a-fA-F]+$/.test(text);
}
