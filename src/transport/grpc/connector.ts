/**
 * The gRPC transport as a StreamConnector for the session loop: the TLS probe
 * (which must agree on h2), then routerrpc.Router/SubscribeHtlcEvents over
 * node:http2 on a fresh connection per attempt, each on the target as it is
 * now (its files read again before each reconnect).
 */
import { classifyStreamStatus, subscribeContext } from '../classify.js';
import type { Clock } from '../clock.js';
import type { StreamConnector } from '../connector.js';
import { GRPC_PORT } from '../port-words.js';
import { addressOf } from '../target.js';
import type { TargetSource } from '../target-source.js';
import { ProbeError, probeTls } from '../tls-probe.js';
import { subscribeHtlcEvents } from './htlc-stream.js';
import type { KeepalivePolicy } from './keepalive.js';

/** The gRPC transport: TLS probe, then routerrpc.Router/SubscribeHtlcEvents on a fresh HTTP/2 connection. */
export function grpcConnector(source: TargetSource, keepalive: KeepalivePolicy, clock?: Clock): StreamConnector {
  const address = addressOf(source.current);
  return {
    address,
    target: source,
    async probe(signal) {
      const r = await probeTls(source.current, { signal, words: GRPC_PORT });
      // gRPC needs HTTP/2; a server that does not pick h2 (lnd's REST port ignores ALPN) cannot serve it.
      if (r.alpn !== 'h2') {
        throw new ProbeError(
          'tls',
          `${address} does not speak HTTP/2 (no h2 in the TLS handshake): is that lnd's REST port? --rpcserver wants lnd's gRPC port (rpclisten, default 10009), or use --transport rest`,
          false,
        );
      }
    },
    // One keepalive policy for the run, so a longer keepalive that lnd asked for outlives a reconnect.
    subscribe: (handlers) => subscribeHtlcEvents(source.current, handlers, keepalive, clock),
    classify: (status, answered) => classifyStreamStatus(status, subscribeContext(source.current, GRPC_PORT), answered),
  };
}
