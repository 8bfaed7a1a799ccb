/**
 * The hand-written GetInfoResponse decoder (src/codec/wire/decode-get-info.ts)
 * against protobufjs loading protos/lightning.proto and decoding the same
 * bytes (keepCase, as transport/grpc/messages.ts did for GetInfo): the fields
 * the tail reads agree, and so does what nodeInfoOf makes of both answers.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import protobuf from 'protobufjs';
import { decodeGetInfoWire, GET_INFO_REQUEST, WireError } from '../../src/codec/wire/decode-get-info.js';
import { nodeInfoOf } from '../../src/transport/lookups.js';

const PROTOS = fileURLToPath(new URL('../../protos/', import.meta.url));
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTOS, target));
root.loadSync('lightning.proto', { keepCase: true });
const Response = root.lookupType('lnrpc.GetInfoResponse');
const Request = root.lookupType('lnrpc.GetInfoRequest');
const TO_OBJECT = { longs: String, enums: String, defaults: true, oneofs: true } as const;

const READ = ['identity_pubkey', 'alias', 'block_height', 'synced_to_chain', 'version', 'chains'] as const;

function viaProtobufjs(bytes: Uint8Array): Record<string, unknown> {
  const o = Response.toObject(Response.decode(bytes), TO_OBJECT);
  return Object.fromEntries(READ.map((k) => [k, o[k]]));
}

const PUBKEY = '02' + 'ab'.repeat(32);
const FULL = {
  version: '0.18.3-beta commit=v0.18.3-beta',
  commit_hash: 'f6e5b6f0e4b0a8f0',
  identity_pubkey: PUBKEY,
  alias: 'alice ⚡ node',
  color: '#3399ff',
  num_pending_channels: 2,
  num_active_channels: 500,
  num_inactive_channels: 3,
  num_peers: 120,
  block_height: 871_234,
  block_hash: '00000000000000000001'.padEnd(64, '0'),
  best_header_timestamp: '1733450000',
  synced_to_chain: true,
  synced_to_graph: true,
  testnet: false,
  chains: [{ chain: 'bitcoin', network: 'mainnet' }],
  uris: [`${PUBKEY}@203.0.113.7:9735`, `${PUBKEY}@abcdefghijklmnop.onion:9735`],
};

const encode = (o: Record<string, unknown>): Uint8Array => Response.encode(Response.fromObject(o)).finish();

/** Raw wire bytes (for what protobufjs's encoder does not write: unknown fields, repeats, order). */
const bytesOf = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());
const varint = (v: number): number[] => (v < 0x80 ? [v] : [(v & 0x7f) | 0x80, ...varint(v >>> 7)]);
/** A string field (shorter than 128 bytes). */
const str = (field: number, s: string): number[] => {
  const b = [...Buffer.from(s)];
  return [...varint((field << 3) | 2), b.length, ...b];
};

describe('decodeGetInfoWire agrees with protobufjs', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['a full answer (every field of GetInfoResponse set)', encode(FULL)],
    ['an empty answer (every field its default)', encode({})],
    ['only the pubkey (a node without alias)', encode({ identity_pubkey: PUBKEY })],
    ['block height at uint32 max', encode({ block_height: 4294967295 })],
    [
      'two chains (the first names the network)',
      encode({
        chains: [
          { chain: 'bitcoin', network: 'testnet' },
          { chain: 'litecoin', network: 'x' },
        ],
      }),
    ],
    ['a chain with only its network', encode({ chains: [{ network: 'regtest' }] })],
    ['a long non-ASCII alias', encode({ alias: 'ノード'.repeat(20) })],
    [
      'fields out of order and the alias given twice (the last wins)',
      bytesOf(str(2, 'first'), [0x30, 0x07], str(1, PUBKEY), str(2, 'second')),
    ],
    [
      'unknown fields of every wire type (skipped)',
      bytesOf(
        [0xc8, 0x06, 0x96, 0x01],
        [0xd1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8],
        str(99, 'x'),
        [0xdd, 0x06, 1, 2, 3, 4],
        str(2, 'ok'),
      ),
    ],
    ['an unknown field inside a chain', bytesOf([0x82, 0x01, 10, 0x18, 0x05, ...str(2, 'signet')])],
  ];
  test.each(cases)('%s', (_name, bytes) => {
    const mine = decodeGetInfoWire(bytes);
    expect(mine).toEqual(viaProtobufjs(bytes));
    expect(nodeInfoOf(mine)).toEqual(nodeInfoOf(Response.toObject(Response.decode(bytes), TO_OBJECT)));
  });
});

test('the request is an empty GetInfoRequest', () => {
  expect(GET_INFO_REQUEST).toEqual(Request.encode(Request.fromObject({})).finish());
});

describe('malformed answers are a WireError', () => {
  const full = encode(FULL);
  test.each([
    ['cut inside a string', full.subarray(0, 20)],
    ['cut inside a varint', bytesOf([0x30, 0x80])],
    ['a length past the end', bytesOf([0x12, 0x7f, 0x41])],
    ['a group wire type', bytesOf([0x0b])],
  ])('%s', (_name, bytes) => {
    expect(() => decodeGetInfoWire(bytes)).toThrow(WireError);
  });
});
