/**
 * The history store's public API (what `record`, `--record`, `replay --db`,
 * `--since`/`--tail` and `report` call). Everything here loads better-sqlite3
 * lazily, through `openStore`.
 */
export { openStore, openMemoryStore, type Store, type StoreMode, type OpenStoreOptions } from './open.js';
export { StoreWriter, type NodeSink, type StoreWriterOptions } from './writer.js';
export type { ChannelInfo } from './apply.js';
export { listNodes, nodeLabel, registerNode, selectNodes, type NodeIdentity, type NodeRow } from './nodes.js';
export { readHistory, readLastEvents, lastSeenMs, loadAliases, type HistoryRange, type StoredItem } from './read.js';
export { SeamDeduper, eventKey } from './seam.js';
export { SCHEMA_VERSION, APPLICATION_ID } from './schema.js';
