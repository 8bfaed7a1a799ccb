/**
 * lnd's `lnrpc.GetInfoResponse` in protobuf wire format (the answer of
 * Lightning/GetInfo over gRPC), decoded by hand: the tail asks GetInfo once
 * per connection to name the node (metrics, history, summaries), and loading
 * protobufjs and lnd's protos for it cost about 0.2 s of a run that needs no
 * other unary call (README, Monitoring: Cost). The other unary calls stay on
 * protobufjs (transport/grpc/messages.ts).
 *
 * Input: the bytes of one GetInfoResponse. Output: the fields the tail reads
 * (transport/lookups.ts nodeInfoOf), named and shaped as protobufjs gives them
 * (keepCase; uint32 as a number; `chains` as a list of {chain, network}), so
 * one mapping serves this decoder, protobufjs and lnd's REST JSON. Unknown
 * fields, and known fields of an unexpected wire type, are skipped; the last
 * of a field given twice wins. Throws WireError on truncated or malformed input.
 * Field numbers: protos/lightning.proto.
 */
import { tag, WireCursor, WireType } from './cursor.js';

export { WireError } from './cursor.js';

/** lnrpc.GetInfoResponse: the fields the tail reads. */
export const GetInfoResponseField = {
  IDENTITY_PUBKEY: 1,
  ALIAS: 2,
  BLOCK_HEIGHT: 6,
  SYNCED_TO_CHAIN: 9,
  VERSION: 14,
  CHAINS: 16,
} as const;

/** lnrpc.Chain */
export const ChainField = { CHAIN: 1, NETWORK: 2 } as const;

export interface GetInfoChain {
  chain: string;
  network: string;
}

/** The GetInfo fields the tail reads, in protobufjs's names and defaults. */
export interface GetInfoWire {
  identity_pubkey: string;
  alias: string;
  block_height: number;
  synced_to_chain: boolean;
  version: string;
  chains: GetInfoChain[];
}

const { VARINT, LEN } = WireType;
const F = GetInfoResponseField;
const IDENTITY_PUBKEY = tag(F.IDENTITY_PUBKEY, LEN);
const ALIAS = tag(F.ALIAS, LEN);
const BLOCK_HEIGHT = tag(F.BLOCK_HEIGHT, VARINT);
const SYNCED_TO_CHAIN = tag(F.SYNCED_TO_CHAIN, VARINT);
const VERSION = tag(F.VERSION, LEN);
const CHAINS = tag(F.CHAINS, LEN);
const CHAIN_CHAIN = tag(ChainField.CHAIN, LEN);
const CHAIN_NETWORK = tag(ChainField.NETWORK, LEN);

/** An empty GetInfoRequest (it has no fields). */
export const GET_INFO_REQUEST = new Uint8Array(0);

export function decodeGetInfoWire(bytes: Uint8Array): GetInfoWire {
  const c = new WireCursor(bytes);
  const r: GetInfoWire = {
    identity_pubkey: '',
    alias: '',
    block_height: 0,
    synced_to_chain: false,
    version: '',
    chains: [],
  };
  while (c.more()) {
    const t = c.u32();
    if (t === IDENTITY_PUBKEY) r.identity_pubkey = c.text();
    else if (t === ALIAS) r.alias = c.text();
    else if (t === BLOCK_HEIGHT) r.block_height = c.u32();
    else if (t === SYNCED_TO_CHAIN) r.synced_to_chain = c.bool();
    else if (t === VERSION) r.version = c.text();
    else if (t === CHAINS) r.chains.push(chainOf(c));
    else c.skip(t & 7);
  }
  return r;
}

function chainOf(c: WireCursor): GetInfoChain {
  const outer = c.pushLimit();
  const chain: GetInfoChain = { chain: '', network: '' };
  while (c.more()) {
    const t = c.u32();
    if (t === CHAIN_CHAIN) chain.chain = c.text();
    else if (t === CHAIN_NETWORK) chain.network = c.text();
    else c.skip(t & 7);
  }
  c.popLimit(outer);
  return chain;
}
