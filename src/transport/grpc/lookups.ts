/**
 * The node's unary lookups over gRPC (GetInfo, ListChannels with
 * peer_alias_lookup, GetNodeInfo, and State.GetState for `check`) over the
 * project's own HTTP/2 client (unary.ts), so every connection to the node goes
 * through dial.ts. GetInfo, asked once per connection to name the node, has a
 * hand-written decoder (codec/wire/decode-get-info.ts) and never loads
 * protobufjs; the other calls use protobufjs messages (messages.ts), loaded on
 * their first use. Nothing is loaded or dialed until the first call.
 */
import { channelsOf, nodeAliasOf, nodeInfoOf, type NodeLookups } from '../lookups.js';
import { decodeGetInfoWire, GET_INFO_REQUEST } from '../../codec/wire/decode-get-info.js';
import { GrpcCode, isCallStatus } from '../status.js';
import type { LndTarget } from '../target.js';
import { loadUnaryMethods, type UnaryMethod, type UnaryMethods } from './messages.js';
import { GrpcUnaryClient } from './unary.js';

export const GET_INFO = '/lnrpc.Lightning/GetInfo';

export interface GrpcLookups extends NodeLookups {
  /** lnrpc.State/GetState: the wallet state name (no macaroon needed). */
  getState(): Promise<string>;
}

export function grpcLookups(target: LndTarget, timeoutMs: number = target.connectTimeoutMs): GrpcLookups {
  const client = new GrpcUnaryClient(target, timeoutMs);
  let methods: Promise<UnaryMethods> | undefined;
  const call = async (
    pick: (m: UnaryMethods) => UnaryMethod,
    request: Record<string, unknown>,
    withMacaroon = true,
  ) => {
    const method = (methods ??= loadUnaryMethods()).then(pick);
    const answer = await client.call(
      method.then((m) => ({ path: m.path, body: m.encode(request) })),
      withMacaroon,
    );
    return (await method).decode(answer);
  };
  return {
    getInfo: async () =>
      nodeInfoOf(
        decodeGetInfoWire(await client.call(Promise.resolve({ path: GET_INFO, body: GET_INFO_REQUEST }), true)),
      ),
    listChannels: async () => channelsOf(await call((m) => m.listChannels, { peer_alias_lookup: true })),
    async getNodeAlias(pubkey) {
      try {
        return nodeAliasOf(await call((m) => m.getNodeInfo, { pub_key: pubkey, include_channels: false }));
      } catch (e) {
        // lnd: NOT_FOUND `unable to find node` when the graph has no announcement for the peer
        // (a private peer): it has no alias, which is an answer, not a failure.
        if (isCallStatus(e) && e.code === GrpcCode.NOT_FOUND) return '';
        throw e;
      }
    },
    getState: async () => String((await call((m) => m.getState, {}, false)).state),
    close: () => client.close(),
  };
}
