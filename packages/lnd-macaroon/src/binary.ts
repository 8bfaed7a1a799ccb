/**
 * The libmacaroons v2 binary format, as gopkg.in/macaroon.v2 reads and writes it:
 *
 *   0x02
 *   [location packet] identifier packet EOS          (the macaroon's header section)
 *   ( [location] identifier [verification id] EOS )* (one section per caveat)
 *   EOS
 *   signature packet (32 bytes)
 *
 * A packet is `uvarint fieldType, uvarint length, data`; EOS is a single 0 byte.
 * Within a section the field types must increase. Error messages follow
 * go-macaroon's wording (lnd returns those texts to clients).
 */
import { MacaroonError } from './errors.js';
import { appendUvarint, readUvarint } from './varint.js';

export const FIELD_EOS: number = 0;
export const FIELD_LOCATION: number = 1;
export const FIELD_IDENTIFIER: number = 2;
export const FIELD_VERIFICATION_ID: number = 4;
export const FIELD_SIGNATURE: number = 6;

export const SIGNATURE_LENGTH = 32;

export interface RawCaveat {
  /** The caveat id: for a first-party caveat, its condition text as bytes. */
  readonly id: Uint8Array;
  /** Present only on third-party caveats (lnd never creates those). */
  readonly verificationId?: Uint8Array;
  readonly location?: string;
}

export interface RawMacaroon {
  readonly location: string;
  readonly identifier: Uint8Array;
  readonly caveats: readonly RawCaveat[];
  readonly signature: Uint8Array;
}

interface Packet {
  type: number;
  data: Uint8Array;
}

const utf8 = new TextDecoder('utf-8');

class Cursor {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
  ) {}

  packet(): Packet {
    const [type, p1] = readUvarint(this.buf, this.pos, this.buf.length, 'packet type');
    if (type === FIELD_EOS) {
      this.pos = p1;
      return { type, data: new Uint8Array(0) };
    }
    const [len, p2] = readUvarint(this.buf, p1, this.buf.length, 'packet length');
    if (p2 + len > this.buf.length) throw new MacaroonError('field data extends past end of buffer');
    this.pos = p2 + len;
    return { type, data: this.buf.subarray(p2, p2 + len) };
  }

  section(): Packet[] {
    const packets: Packet[] = [];
    let prev = -1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new MacaroonError('section extends past end of buffer');
      const p = this.packet();
      if (p.type === FIELD_EOS) return packets;
      if (p.type <= prev) throw new MacaroonError('fields out of order');
      packets.push(p);
      prev = p.type;
    }
  }
}

function parseV2(buf: Uint8Array): RawMacaroon {
  const c = new Cursor(buf, 1);
  let header = c.section();
  let location = '';
  if (header[0]?.type === FIELD_LOCATION) {
    location = utf8.decode(header[0].data);
    header = header.slice(1);
  }
  if (header.length !== 1 || header[0]!.type !== FIELD_IDENTIFIER) throw new MacaroonError('invalid macaroon header');
  const identifier = header[0]!.data;
  const caveats: RawCaveat[] = [];
  for (;;) {
    let section = c.section();
    if (section.length === 0) break;
    let cavLocation: string | undefined;
    if (section[0]!.type === FIELD_LOCATION) {
      cavLocation = utf8.decode(section[0]!.data);
      section = section.slice(1);
    }
    if (section.length === 0 || section[0]!.type !== FIELD_IDENTIFIER)
      throw new MacaroonError('no identifier in caveat');
    const id = section[0]!.data;
    section = section.slice(1);
    if (section.length === 0) {
      if (cavLocation !== undefined && cavLocation !== '') {
        throw new MacaroonError('location not allowed in first party caveat');
      }
      caveats.push({ id });
      continue;
    }
    if (section.length !== 1) throw new MacaroonError('extra fields found in caveat');
    const vid: Packet = section[0]!;
    if (vid.type !== FIELD_VERIFICATION_ID) throw new MacaroonError('invalid field found in caveat');
    caveats.push({ id, verificationId: vid.data, location: cavLocation });
  }
  if (c.pos >= buf.length) throw new MacaroonError('signature extends past end of buffer');
  const sig = c.packet();
  if (sig.type !== FIELD_SIGNATURE) throw new MacaroonError('unexpected field found instead of signature');
  if (sig.data.length !== SIGNATURE_LENGTH) throw new MacaroonError('signature has unexpected length');
  return { location, identifier, caveats, signature: sig.data };
}

function isAsciiHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);
}

/**
 * Decodes a binary macaroon. Data after the signature is ignored, as lnd does.
 * Throws MacaroonError with go-macaroon's wording:
 * `empty macaroon data`, `unmarshal v2: <reason>`, or
 * `cannot determine data format of binary-encoded macaroon`.
 * The returned byte arrays are views into `bytes`.
 */
export function decodeMacaroonV2(bytes: Uint8Array): RawMacaroon {
  if (bytes.length === 0) throw new MacaroonError('empty macaroon data');
  const v = bytes[0]!;
  if (v === 2) {
    try {
      return parseV2(bytes);
    } catch (err) {
      if (err instanceof MacaroonError) throw new MacaroonError(`unmarshal v2: ${err.message}`);
      throw err;
    }
  }
  if (isAsciiHex(v)) {
    // go-macaroon would try the v1 format here; lnd has only ever written v2.
    throw new MacaroonError('unmarshal v1: the libmacaroons v1 format is not supported (lnd writes v2)');
  }
  throw new MacaroonError('cannot determine data format of binary-encoded macaroon');
}

function appendPacket(out: number[], type: number, data: Uint8Array): void {
  appendUvarint(out, type);
  appendUvarint(out, data.length);
  for (const b of data) out.push(b);
}

const utf8enc = new TextEncoder();

/** Encodes a macaroon in the v2 binary format, byte for byte as go-macaroon does. */
export function encodeMacaroonV2(m: RawMacaroon): Buffer {
  if (m.signature.length !== SIGNATURE_LENGTH) throw new MacaroonError('signature has unexpected length');
  const out: number[] = [2];
  if (m.location.length > 0) appendPacket(out, FIELD_LOCATION, utf8enc.encode(m.location));
  appendPacket(out, FIELD_IDENTIFIER, m.identifier);
  out.push(FIELD_EOS);
  for (const cav of m.caveats) {
    if (cav.location) appendPacket(out, FIELD_LOCATION, utf8enc.encode(cav.location));
    appendPacket(out, FIELD_IDENTIFIER, cav.id);
    if (cav.verificationId && cav.verificationId.length > 0)
      appendPacket(out, FIELD_VERIFICATION_ID, cav.verificationId);
    out.push(FIELD_EOS);
  }
  out.push(FIELD_EOS);
  appendPacket(out, FIELD_SIGNATURE, m.signature);
  return Buffer.from(out);
}
