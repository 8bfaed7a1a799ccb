/**
 * The REST and WebSocket transports as StreamConnectors for the one session
 * loop (session.ts): the same TLS probe before each attempt, the same
 * classification of what lnd said (classify.ts), so exit codes, --wait,
 * reconnection and gap lines behave exactly as over gRPC. Messages name
 * --restserver and lnd's REST port (REST_PORT words).
 */
import { HtlcTailError } from '../../errors.js';
import { classifyStreamStatus, subscribeContext, type Classified } from '../classify.js';
import type { StreamConnector } from '../connector.js';
import { REST_PORT } from '../port-words.js';
import { addressOf } from '../target.js';
import type { TargetSource } from '../target-source.js';
import { probeTls, ProbeError } from '../tls-probe.js';
import { subscribeRest } from './http-stream.js';
import { NOT_HTTP1 } from './request.js';
import { subscribeWs } from './ws-stream.js';

export type RestTransportName = 'rest' | 'ws';

export function restConnector(source: TargetSource, transport: RestTransportName): StreamConnector {
  const address = addressOf(source.current);
  return {
    address,
    target: source,
    async probe(signal) {
      try {
        await probeTls(source.current, { signal, words: REST_PORT });
      } catch (e) {
        // The probe offers ALPN h2 (gRPC's protocol); a REST server that speaks only
        // HTTP/1.1 may refuse that offer. TLS is up, then: the request itself verifies the certificate.
        if (e instanceof ProbeError && e.stage === 'tls' && /no application protocol/i.test(e.message)) return;
        throw e;
      }
    },
    subscribe(handlers) {
      const target = source.current;
      const stream = transport === 'ws' ? subscribeWs(target, handlers) : subscribeRest(target, handlers);
      return { stream, close: () => stream.close() };
    },
    classify(status, answered): Classified {
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
      return classifyStreamStatus(status, subscribeContext(source.current, REST_PORT), answered);
    },
  };
}
