/** The REST and WebSocket event sources: the one session loop over lnd's REST port, with alias lookups over REST. */
import type { Config } from '../config/types.js';
import { targetSpecOf } from '../config/target-spec.js';
import { StreamSession } from '../lnd/session.js';
import type { LndTarget } from '../lnd/target.js';
import { TargetSource } from '../lnd/target-source.js';
import { restConnector, type RestTransportName } from '../rest/connector.js';
import { grpcSource } from './grpc-source.js';
import type { SourceFactory, SourceHooks } from './run-tail.js';
import type { EventSource } from './source.js';

export function restSource(source: TargetSource, config: Config, hooks: SourceHooks): EventSource {
  const transport: RestTransportName = config.connection.transport === 'ws' ? 'ws' : 'rest';
  const connector = restConnector(source, transport);
  hooks.notify(`connecting to lnd's REST port at ${connector.address}${transport === 'ws' ? ' (WebSocket)' : ''}`, 'info');
  return new StreamSession(connector, {
    wait: config.connection.wait,
    reconnect: config.connection.reconnect,
    notify: hooks.notify,
    onEvent: (ev) => hooks.onEvent(ev),
    onGap: (from, to, reason) => hooks.onGap(from, to, reason),
    onSubscribed: ({ lookups, reconnected }) => hooks.onSubscribed(lookups, reconnected),
  });
}

/**
 * The event source of the configured transport (--transport): gRPC, REST or
 * WebSocket. `target` is what was read at start; the cert and macaroon files
 * behind it are read again before each reconnect attempt.
 */
export function sourceFor(config: Config, target: LndTarget): SourceFactory {
  const source = new TargetSource(targetSpecOf(config), target);
  return config.connection.transport === 'grpc' ? (hooks) => grpcSource(source, config, hooks) : (hooks) => restSource(source, config, hooks);
}
