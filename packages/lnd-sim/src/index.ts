/**
 * @htlc-tail/lnd-sim: a simulated lnd node for testing lnd clients (see
 * README.md). The node (gRPC over TLS with lnd's macaroons, REST and
 * WebSocket), its lnd directory, its traffic and scenarios, the flood mix for
 * benchmarks, the generated week, and lnd's encodings of HTLC events.
 */
export { startSimNode, type SimNodeHandle, type SimNodeOptions } from './node.js';
export { startDemoNode, DEMO_RATE, type DemoNode } from './demo.js';
export { writeLndDir, lndConf, type LndDirInput, type LndDirPaths } from './lnddir.js';
export {
  generateLndCert,
  LND_CERT_ORGANIZATION,
  LND_CERT_VALIDITY_DAYS,
  type CertOptions,
  type TlsMaterial,
} from './cert.js';
export {
  authorize,
  checkMacaroon,
  LND_ERRORS,
  METHOD_PERMISSIONS,
  walletStateError,
  WALLET_STATES,
  type WalletState,
} from './auth.js';
export { loadScenarioFile, parseScenario, ScenarioError, type Scenario, type ScenarioStep } from './scenario.js';
export {
  TrafficGenerator,
  DEFAULT_FLOW_WEIGHTS,
  FLOW_KINDS,
  type FlowKind,
  type ScheduledEvent,
  type TrafficOptions,
} from './traffic.js';
export { FloodMix, DEFAULT_FLOOD_MIX, type FloodItem } from './flood.js';
export { generateWeek, isWeekGap, type Week, type WeekGap, type WeekItem, type WeekOptions } from './week.js';
export { buildNode, type SimChannel, type SimNode, type SimPeer } from './node-state.js';
export { runSubscription, type EventSink, type SubscriptionContext } from './stream-source.js';
export { encodeHtlcEvent } from './encode-wire.js';
export { errorBody, errorLine, goJsonString, htlcEventJson, httpStatusFromCode, resultLine } from './rest-json.js';
export {
  EVENT_TYPE,
  fromProtoObject,
  subscribedEvent,
  toProtoObject,
  type HtlcEventObject,
  type WireHtlcEvent,
  type WireHtlcInfo,
  type WireMember,
} from './wire-event.js';
export { ALIAS_LOOKUP_FAILED } from './rpc-responses.js';
export { createRestListener, HTLC_EVENTS_PATH, type RestServerOptions } from './rest-server.js';
export { PROTO_DIR, PROTO_FILES } from './protos.js';
