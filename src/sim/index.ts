/**
 * The simulated lnd node: public API for tests, the demo command and benchmarks.
 */
export { startSimNode, type SimNodeHandle, type SimNodeOptions } from './node.js';
export { startDemoNode, DEMO_RATE, type DemoNode } from './demo.js';
export { writeLndDir, lndConf, type LndDirInput, type LndDirPaths } from './lnddir.js';
export { generateLndCert, type CertOptions, type TlsMaterial } from './cert.js';
export { authorize, checkMacaroon, LND_ERRORS, METHOD_PERMISSIONS, walletStateError, WALLET_STATES, type WalletState } from './auth.js';
export { loadScenarioFile, parseScenario, ScenarioError, type Scenario, type ScenarioStep } from './scenario.js';
export { TrafficGenerator, DEFAULT_FLOW_WEIGHTS, FLOW_KINDS, type FlowKind, type ScheduledEvent, type TrafficOptions } from './traffic.js';
export { buildNode, type SimChannel, type SimNode, type SimPeer } from './node-state.js';
export { runSubscription, type EventSink, type SubscriptionContext } from './stream-source.js';
export { encodeHtlcEvent } from './encode-wire.js';
export { fromProtoObject, subscribedEvent, toProtoObject, type HtlcEventObject, type WireHtlcEvent } from './wire-event.js';
export { ALIAS_LOOKUP_FAILED } from './rpc-responses.js';
export { createRestListener, HTLC_EVENTS_PATH, type RestServerOptions } from './rest-server.js';
