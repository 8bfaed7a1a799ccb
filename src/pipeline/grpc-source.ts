/** The gRPC event source: an LndSession plus unary lookups to the same node. */
import type { Config } from '../config/types.js';
import { LndSession } from '../lnd/session.js';
import type { LndTarget } from '../lnd/target.js';
import { addressOf } from '../lnd/target.js';
import type { SourceHooks } from './run-tail.js';
import type { EventSource } from './source.js';

export function grpcSource(target: LndTarget, config: Config, hooks: SourceHooks): EventSource {
  hooks.notify(`connecting to lnd at ${addressOf(target)}`, 'info');
  return new LndSession(target, {
    wait: config.connection.wait,
    reconnect: config.connection.reconnect,
    notify: hooks.notify,
    onEvent: (ev) => hooks.onEvent(ev),
    onGap: (from, to, reason) => hooks.onGap(from, to, reason),
    onSubscribed: ({ lookups, reconnected }) => {
      hooks.onSubscribed(lookups, reconnected);
    },
  });
}
