/**
 * The messages between the recorder (main thread, recorder.ts) and its
 * writer thread (record-worker.ts). Nodes are named by a small key the
 * recorder gives them; the writer maps keys to the store's node ids.
 */
import type { ErrorKind } from '../errors.js';
import type { ChannelInfo } from './apply.js';
import type { GapMarker } from '../events/model.js';
import type { NodeIdentity } from './nodes.js';

export interface WorkerSettings {
  readonly file: string;
  readonly retainDays?: number;
  readonly retentionIntervalMs: number;
}

/** A segment as sent: `node` is the recorder's key. */
export type WireSegment =
  | { readonly t: 'ev'; readonly node: number; readonly n: number; readonly text: string; readonly wide: boolean }
  | { readonly t: 'gap'; readonly node: number; readonly gap: GapMarker }
  | { readonly t: 'ch'; readonly node: number; readonly atMs: number; readonly rows: readonly ChannelInfo[] };

export type ToWorker =
  /** `since`: when the node's first stream of this run was up (ms). */
  | { readonly t: 'node'; readonly key: number; readonly identity: NodeIdentity; readonly since: number }
  /** `events`: how many events the segments hold. */
  | {
      readonly t: 'batch';
      readonly seq: number;
      readonly events: number;
      readonly segs: readonly WireSegment[];
      readonly alive: ReadonlyArray<readonly [number, number]>;
    }
  | { readonly t: 'close' };

export type FromWorker =
  | { readonly t: 'open'; readonly file: string }
  | { readonly t: 'done'; readonly seq: number }
  | { readonly t: 'busy'; readonly detail: string }
  | { readonly t: 'closed' }
  | { readonly t: 'fail'; readonly message: string; readonly kind: ErrorKind | null; readonly stack: string };
