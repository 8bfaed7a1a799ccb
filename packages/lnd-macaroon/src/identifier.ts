/**
 * The identifier of a macaroon minted by lnd (macaroon-bakery's version 3 id):
 * one version byte 0x03, then the protobuf message
 *
 *   MacaroonId { bytes nonce = 1; bytes storageId = 2; repeated Op ops = 3; }
 *   Op { string entity = 1; repeated string actions = 2; }
 *
 * The few protobuf bytes are encoded and decoded here by hand.
 */
import { MacaroonError } from './errors.js';
import { appendUvarint, readUvarint } from './varint.js';

export const IDENTIFIER_VERSION = 3;

export interface MacaroonOp {
  readonly entity: string;
  readonly actions: readonly string[];
}

export interface MacaroonIdentifier {
  readonly version: number;
  readonly nonce: Uint8Array;
  /** lnd's root key id; `0` (the ASCII digit) for the default root key. */
  readonly storageId: Uint8Array;
  readonly ops: readonly MacaroonOp[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8enc = new TextEncoder();

function field(out: number[], num: number, data: Uint8Array): void {
  appendUvarint(out, (num << 3) | 2);
  appendUvarint(out, data.length);
  for (const b of data) out.push(b);
}

export function encodeIdentifier(id: Omit<MacaroonIdentifier, 'version'> & { version?: number }): Buffer {
  const out: number[] = [id.version ?? IDENTIFIER_VERSION];
  if (id.nonce.length > 0) field(out, 1, id.nonce);
  if (id.storageId.length > 0) field(out, 2, id.storageId);
  for (const op of id.ops) {
    const sub: number[] = [];
    if (op.entity.length > 0) field(sub, 1, utf8enc.encode(op.entity));
    for (const a of op.actions) field(sub, 2, utf8enc.encode(a));
    field(out, 3, Uint8Array.from(sub));
  }
  return Buffer.from(out);
}

/** Iterates the fields of one protobuf message in buf[start, end). */
function* fields(buf: Uint8Array, start: number, end: number): Generator<[number, number, number, number]> {
  let pos = start;
  while (pos < end) {
    const [tag, p1] = readUvarint(buf, pos, end, 'identifier');
    const num = Math.floor(tag / 8);
    const wt = tag % 8;
    if (wt === 2) {
      const [len, p2] = readUvarint(buf, p1, end, 'identifier');
      if (p2 + len > end) throw new MacaroonError('identifier: field extends past its end');
      yield [num, wt, p2, p2 + len];
      pos = p2 + len;
    } else if (wt === 0) {
      const [, p2] = readUvarint(buf, p1, end, 'identifier');
      pos = p2;
    } else if (wt === 1 || wt === 5) {
      pos = p1 + (wt === 1 ? 8 : 4);
      if (pos > end) throw new MacaroonError('identifier: field extends past its end');
    } else {
      throw new MacaroonError(`identifier: unsupported protobuf wire type ${wt}`);
    }
  }
}

function text(buf: Uint8Array, s: number, e: number): string {
  try {
    return utf8.decode(buf.subarray(s, e));
  } catch {
    throw new MacaroonError('identifier: an operation name is not valid UTF-8');
  }
}

/** Decodes lnd's macaroon identifier. Throws MacaroonError when it is not a version 3 identifier. */
export function decodeIdentifier(bytes: Uint8Array): MacaroonIdentifier {
  if (bytes.length === 0) throw new MacaroonError('identifier is empty');
  const version = bytes[0]!;
  if (version !== IDENTIFIER_VERSION) {
    throw new MacaroonError(`identifier version ${version} is not the one lnd uses (${IDENTIFIER_VERSION})`);
  }
  let nonce: Uint8Array = new Uint8Array(0);
  let storageId: Uint8Array = new Uint8Array(0);
  const ops: MacaroonOp[] = [];
  for (const [num, , s, e] of fields(bytes, 1, bytes.length)) {
    if (num === 1) nonce = bytes.subarray(s, e);
    else if (num === 2) storageId = bytes.subarray(s, e);
    else if (num === 3) {
      let entity = '';
      const actions: string[] = [];
      for (const [n2, , s2, e2] of fields(bytes, s, e)) {
        if (n2 === 1) entity = text(bytes, s2, e2);
        else if (n2 === 2) actions.push(text(bytes, s2, e2));
      }
      ops.push({ entity, actions });
    }
  }
  return { version, nonce, storageId, ops };
}
