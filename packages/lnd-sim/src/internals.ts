/**
 * `@htlc-tail/lnd-sim/internals`: building blocks the simulator's own tests
 * look into (the flow builder, the seeded random source, the certificate's IP
 * encoding, lnd's enum tables). Not a stable API.
 */
export { FlowFactory } from './flows.js';
export { Rng } from './rng.js';
export { ipBytes } from './cert.js';
export { loadProtos } from './protos.js';
export {
  EVENT_TYPE_NUMBERS,
  eventTypeName,
  FAILURE_CODE_NUMBERS,
  FAILURE_DETAIL_NUMBERS,
  failureCodeName,
  failureDetailName,
} from './enums.js';
