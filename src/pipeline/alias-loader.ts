/**
 * Fills the alias book from the node: ListChannels (peer_alias, remote_pubkey),
 * then GetNodeInfo for peers whose alias is empty. A lookup that fails (e.g. a
 * macaroon without info:read) never stops the tail: one warning, then ids only.
 *
 * - GetNodeInfo is asked once per peer for the whole run (its answer, an alias
 *   or "none", is kept in the book); a NOT_FOUND (a private peer the graph does
 *   not know) is "none", not a failure.
 * - A permission denied is final for the run (the macaroon does not change):
 *   after it, that call is not made again. Other failures (a timeout, an lnd
 *   error) are retried by the next refresh, warned about once. A lookup cut
 *   short because the connection went away (CANCELLED, UNAVAILABLE, the
 *   channel shut down) is not warned about: the session reports the lost
 *   stream, and an event on an unknown channel later triggers a new load.
 * - The book is updated in one step after all lookups of a load, so an event
 *   never sees a half-loaded table.
 */
import type { AliasBook } from '../events/aliases.js';
import type { ChannelSummary, NodeLookups } from '../transport/lookups.js';
import { GrpcCode } from '../transport/status.js';
import type { Notify } from './notices.js';

/** The calls of a node's lookups (transport/lookups.ts NodeLookups, over gRPC or REST) that the loader makes. */
export type AliasLookups = Pick<NodeLookups, 'listChannels' | 'getNodeAlias'>;

/** GetNodeInfo calls in flight at once during a load. */
const NODE_INFO_CONCURRENCY = 8;

export class AliasLoader {
  private lookups: AliasLookups | undefined;
  private warned = new Set<string>();
  private running: Promise<void> | undefined;
  private closed = false;
  /** Pubkeys GetNodeInfo has answered (alias or '' for none). */
  private readonly asked = new Set<string>();
  private listDenied = false;
  private nodeInfoDenied = false;

  constructor(
    private readonly book: AliasBook,
    private readonly notify: Notify,
    /** After each load that reached lnd (the book holds what it answered). */
    private readonly onLoaded: () => void = () => {},
  ) {}

  /** The tail is ending: lookups still running fail quietly, and no new ones start. */
  close(): void {
    this.closed = true;
  }

  setLookups(l: AliasLookups): void {
    this.lookups = l;
  }

  /** A refresh when an unknown channel shows up, rate-limited by the book. */
  refreshSoon(): void {
    if (this.closed || this.running || !this.lookups || this.listDenied) return;
    if (!this.book.shouldRefresh(Date.now())) return;
    void this.load();
  }

  /** Resolves when no load is running. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  load(): Promise<void> {
    this.running ??= this.doLoad()
      .then((reached) => {
        if (reached && !this.closed) this.onLoaded();
      })
      .catch((e: unknown) =>
        this.warnOnce(
          'internal',
          `peer alias lookup failed (${details(e).split('\n', 1)[0]}); showing channel ids only`,
        ),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private warnOnce(key: string, msg: string): void {
    if (this.closed || this.warned.has(key)) return;
    this.warned.add(key);
    this.notify(`warning: ${msg}`);
  }

  /** True when lnd answered ListChannels and the book was loaded. */
  private async doLoad(): Promise<boolean> {
    const l = this.lookups;
    if (!l || this.listDenied) return false;
    let channels: ChannelSummary[];
    try {
      channels = await l.listChannels();
    } catch (e) {
      this.book.refreshFailed();
      if (isConnectionGone(e)) return false;
      if (isPermissionDenied(e)) this.listDenied = true;
      this.warnOnce(
        'list',
        `cannot look up peer aliases (ListChannels: ${reason(e, 'offchain:read')}); showing channel ids only (--no-aliases skips the lookups)`,
      );
      return false;
    }
    const nodeAliases = new Map<string, string>();
    if (!this.nodeInfoDenied) {
      const want = [
        ...new Set(channels.filter((c) => c.peerAlias === '' && c.remotePubkey !== '').map((c) => c.remotePubkey)),
      ].filter((pub) => !this.asked.has(pub));
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < want.length && !this.nodeInfoDenied) {
          const pub = want[next++]!;
          try {
            nodeAliases.set(pub, await l.getNodeAlias(pub));
            this.asked.add(pub);
          } catch (e) {
            if (isConnectionGone(e)) return;
            if (isPermissionDenied(e)) this.nodeInfoDenied = true;
            this.warnOnce(
              'node',
              `cannot look up the aliases of peers that ListChannels leaves empty (GetNodeInfo: ${reason(e, 'info:read')}); those channels show ids only`,
            );
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(NODE_INFO_CONCURRENCY, want.length) }, worker));
    }
    this.book.load(
      channels.map((c) => ({ chan_id: c.chanId, remote_pubkey: c.remotePubkey, peer_alias: c.peerAlias })),
      nodeAliases,
    );
    return true;
  }
}

function details(e: unknown): string {
  return (e as { details?: string })?.details ?? (e as Error)?.message ?? String(e);
}

/**
 * The connection went away under the lookup (the stream ended, the tail is
 * stopping, or it is reconnecting): not worth a warning. The session reports
 * the lost stream; after a reconnect, the next event on a channel the book
 * does not know triggers a new load.
 */
function isConnectionGone(e: unknown): boolean {
  const code = (e as { code?: number })?.code;
  return code === GrpcCode.CANCELLED || code === GrpcCode.UNAVAILABLE || /channel has been shut down/i.test(details(e));
}

function isPermissionDenied(e: unknown): boolean {
  return (e as { code?: number })?.code === GrpcCode.PERMISSION_DENIED || /permission denied/i.test(details(e));
}

function reason(e: unknown, permission: string): string {
  if (isPermissionDenied(e)) return `permission denied, the macaroon lacks ${permission}; readonly.macaroon has it`;
  return details(e).split('\n', 1)[0]!;
}
