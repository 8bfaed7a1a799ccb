/**
 * How messages name the port a transport dials: the option that sets it and
 * lnd's setting for it. The caller passes these in (gRPC's for the gRPC
 * stream, unary calls and `check`; REST's for REST and WebSocket), so each
 * message is worded once, for the port it is about.
 */
import type { TransportName } from './status.js';

export interface PortWords {
  /** The option that names the address: `--rpcserver` or `--restserver`. */
  readonly flag: string;
  /** e.g. `lnd's gRPC port`. */
  readonly port: string;
  /** lnd.conf's setting for it: `rpclisten` or `restlisten`. */
  readonly setting: string;
  /** The port people mistake it for, e.g. `its REST port`. */
  readonly other: string;
}

export const GRPC_PORT: PortWords = {
  flag: '--rpcserver',
  port: "lnd's gRPC port",
  setting: 'rpclisten',
  other: 'its REST port',
};
export const REST_PORT: PortWords = {
  flag: '--restserver',
  port: "lnd's REST port",
  setting: 'restlisten',
  other: 'its gRPC port',
};

export function portWordsOf(transport: TransportName): PortWords {
  return transport === 'grpc' ? GRPC_PORT : REST_PORT;
}
