/** The gRPC event source: the session loop over the gRPC connector, with unary lookups to the same node. */
import type { Config } from '../config/types.js';
import { grpcConnector } from '../lnd/grpc-connector.js';
import { StreamSession } from '../lnd/session.js';
import type { TargetSource } from '../lnd/target-source.js';
import type { SourceHooks } from './run-tail.js';
import type { EventSource } from './source.js';

export function grpcSource(source: TargetSource, config: Config, hooks: SourceHooks): EventSource {
  const connector = grpcConnector(source);
  hooks.notify(`connecting to lnd at ${connector.address}`, 'info');
  return new StreamSession(connector, {
    wait: config.connection.wait,
    reconnect: config.connection.reconnect,
    notify: hooks.notify,
    onEvent: (ev) => hooks.onEvent(ev),
    onGap: (from, to, reason) => hooks.onGap(from, to, reason),
    onSubscribed: ({ lookups, reconnected }) => hooks.onSubscribed(lookups, reconnected),
  });
}
