/**
 * The REST and WebSocket transports as StreamConnectors for the one session
 * loop (lnd/session.ts): the same TLS probe before each attempt, the same
 * classification of what lnd said (lnd/classify.ts), so exit codes, --wait,
 * reconnection and gap lines behave exactly as over gRPC. Messages name
 * --restserver and lnd's REST port instead of the gRPC ones.
 */
import { HtlcTailError } from '../errors.js';
import { classifyStatus, type Classified, subscribeContext } from '../lnd/classify.js';
import { classifyStepTimeout } from '../lnd/reasons.js';
import type { StreamConnector } from '../lnd/session.js';
import { addressOf } from '../lnd/target.js';
import type { TargetSource } from '../lnd/target-source.js';
import { probeTls, ProbeError } from '../lnd/tls-probe.js';
import type { AliasLookups } from '../pipeline/alias-loader.js';
import { subscribeRest } from './http-stream.js';
import { NOT_HTTP1 } from './request.js';
import { restLookups } from './unary.js';
import { subscribeWs } from './ws-stream.js';

export type RestTransportName = 'rest' | 'ws';

/** What `onSubscribed` receives: lookups over the same REST port. */
export interface RestContext {
  readonly lookups: AliasLookups;
}

/** The probe and classifier speak of gRPC's option and port; say REST's instead. */
export function restWording(msg: string): string {
  return msg
    .replace(/lnd's gRPC port \(rpclisten\), and not its REST port/g, "lnd's REST port (restlisten), and not its gRPC port")
    .replace(/lnd's gRPC port/g, "lnd's REST port")
    .replace(/--rpcserver/g, '--restserver');
}

function reworded(e: HtlcTailError): HtlcTailError {
  const msg = restWording(e.message);
  if (msg === e.message) return e;
  if (e instanceof ProbeError) return new ProbeError(e.stage, msg, e.retryable, e.credential);
  return new HtlcTailError(e.kind, msg, { cause: e.cause });
}

export function restConnector(source: TargetSource, transport: RestTransportName): StreamConnector<RestContext> {
  const address = addressOf(source.current);
  // Lookups over the same REST port, made again when the credentials changed.
  let lookupsTarget = source.current;
  let lookups = restLookups(lookupsTarget);
  return {
    address,
    target: source,
    async probe(signal) {
      try {
        await probeTls(source.current, signal);
      } catch (e) {
        // The probe offers ALPN h2 (gRPC's protocol); a REST server that speaks only
        // HTTP/1.1 may refuse that offer. TLS is up, then: the request itself verifies the certificate.
        if (e instanceof ProbeError && e.stage === 'tls' && /no application protocol/i.test(e.message)) return;
        throw e instanceof HtlcTailError ? reworded(e) : e;
      }
    },
    subscribe(handlers) {
      const target = source.current;
      if (target !== lookupsTarget) {
        lookupsTarget = target;
        lookups = restLookups(target);
      }
      const stream = transport === 'ws' ? subscribeWs(target, handlers) : subscribeRest(target, handlers);
      return { stream, context: { lookups }, close: () => stream.close() };
    },
    classify(status): Classified {
      if (status.details === NOT_HTTP1) {
        return {
          error: new HtlcTailError(
            'connection',
            `${address} ${NOT_HTTP1}: is that lnd's gRPC port? --restserver wants lnd's REST port (restlisten, default 8080)`,
          ),
          readiness: undefined,
          streamLost: false,
        };
      }
      const c = status.cause === 'timeout' ? classifyStepTimeout(status) : classifyStatus(status.code, status.details, subscribeContext(source.current));
      return { ...c, error: reworded(c.error), ...(c.notice ? { notice: restWording(c.notice) } : {}) };
    },
  };
}
