/** The REST and WebSocket event sources: the one session loop over lnd's REST port, with alias lookups over REST. */
import type { Config } from '../config/types.js';
import { StreamSession } from '../lnd/session.js';
import type { LndTarget } from '../lnd/target.js';
import { addressOf } from '../lnd/target.js';
import { restConnector, type RestTransportName } from '../rest/connector.js';
import { grpcSource } from './grpc-source.js';
import type { SourceFactory, SourceHooks } from './run-tail.js';
import type { EventSource } from './source.js';

export function restSource(target: LndTarget, config: Config, hooks: SourceHooks): EventSource {
  const transport: RestTransportName = config.connection.transport === 'ws' ? 'ws' : 'rest';
  hooks.notify(`connecting to lnd's REST port at ${addressOf(target)}${transport === 'ws' ? ' (WebSocket)' : ''}`, 'info');
  return new StreamSession(restConnector(target, transport), {
    wait: config.connection.wait,
    reconnect: config.connection.reconnect,
    notify: hooks.notify,
    onEvent: (ev) => hooks.onEvent(ev),
    onGap: (from, to, reason) => hooks.onGap(from, to, reason),
    onSubscribed: ({ lookups, reconnected }) => hooks.onSubscribed(lookups, reconnected),
  });
}

/** The event source of the configured transport (--transport): gRPC, REST or WebSocket. */
export function sourceFor(config: Config, target: LndTarget): SourceFactory {
  return config.connection.transport === 'grpc' ? (hooks) => grpcSource(target, config, hooks) : (hooks) => restSource(target, config, hooks);
}
