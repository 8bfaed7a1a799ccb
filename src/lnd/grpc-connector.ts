/**
 * The gRPC transport as a StreamConnector for the session loop: the TLS probe
 * (which must agree on h2), then routerrpc.Router/SubscribeHtlcEvents over
 * node:http2 on a fresh connection per attempt, each on the target as it is
 * now (its files read again before each reconnect).
 */
import { classifyStatus, subscribeContext } from './classify.js';
import { keepalivePolicy, subscribeHtlcEvents } from './htlc-stream.js';
import { classifyStepTimeout } from './reasons.js';
import type { StreamConnector } from './session.js';
import { addressOf } from './target.js';
import type { TargetSource } from './target-source.js';
import { ProbeError, probeTls } from './tls-probe.js';
import { lazyUnaryClient, type UnaryClient } from './unary.js';

/** What the gRPC transport hands to `onSubscribed`: unary calls to the same node (connecting when first used). */
export interface GrpcContext {
  readonly lookups: UnaryClient & { close(): void };
}

/** The gRPC transport: TLS probe, then routerrpc.Router/SubscribeHtlcEvents on a fresh HTTP/2 connection. */
export function grpcConnector(source: TargetSource): StreamConnector<GrpcContext> {
  const address = addressOf(source.current);
  // Unary calls have a connection of their own, made when first used; a new one only when the
  // credentials changed (the old one is closed once its calls are done). Whoever took one from
  // onSubscribed closes the last when done with it.
  let lookupsTarget = source.current;
  let lookups = lazyUnaryClient(lookupsTarget, lookupsTarget.connectTimeoutMs);
  // One for the run, so a longer keepalive that lnd asked for outlives a reconnect.
  const keepalive = keepalivePolicy();
  return {
    address,
    target: source,
    async probe(signal) {
      const r = await probeTls(source.current, signal);
      // gRPC needs HTTP/2; a server that does not pick h2 (lnd's REST port ignores ALPN) cannot serve it.
      if (r.alpn !== 'h2') {
        throw new ProbeError(
          'tls',
          `${address} does not speak HTTP/2 (no h2 in the TLS handshake): is that lnd's REST port? --rpcserver wants lnd's gRPC port (rpclisten, default 10009), or use --transport rest`,
          false,
        );
      }
    },
    subscribe(handlers) {
      const target = source.current;
      if (target !== lookupsTarget) {
        const old = lookups;
        lookupsTarget = target;
        lookups = lazyUnaryClient(target, target.connectTimeoutMs);
        old.close();
      }
      const connection = subscribeHtlcEvents(target, handlers, keepalive);
      return { stream: connection.stream, context: { lookups }, close: () => connection.close() };
    },
    classify: (status) =>
      status.cause === 'timeout' ? classifyStepTimeout(status) : classifyStatus(status.code, status.details, subscribeContext(source.current)),
  };
}
