/**
 * Fills the alias book from the node: ListChannels (peer_alias, remote_pubkey),
 * then GetNodeInfo for peers whose alias is empty. A lookup that fails (e.g. a
 * macaroon without info:read) never stops the tail: one warning, then ids only.
 */
import type { AliasBook } from '../events/aliases.js';
import type { ChannelSummary, NodeInfoSummary } from '../lnd/unary.js';
import type { Notify } from './notices.js';

/** The node calls alias lookups need; the gRPC and REST transports both provide them. */
export interface AliasLookups {
  listChannels(): Promise<ChannelSummary[]>;
  getNodeAlias(pubkey: string): Promise<string>;
  getInfo(): Promise<NodeInfoSummary>;
}

export class AliasLoader {
  private lookups: AliasLookups | undefined;
  private warned = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly book: AliasBook,
    private readonly notify: Notify,
  ) {}

  setLookups(l: AliasLookups): void {
    this.lookups = l;
  }

  /** A refresh when an unknown channel shows up, rate-limited by the book. */
  refreshSoon(): void {
    if (this.running || !this.lookups) return;
    if (!this.book.shouldRefresh(Date.now())) return;
    void this.load();
  }

  load(): Promise<void> {
    this.running ??= this.doLoad().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private warnOnce(key: string, msg: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.notify(`warning: ${msg}`);
  }

  private async doLoad(): Promise<void> {
    const l = this.lookups;
    if (!l) return;
    let channels: ChannelSummary[];
    try {
      channels = await l.listChannels();
    } catch (e) {
      this.warnOnce('list', `cannot look up peer aliases (ListChannels: ${reason(e)}); showing channel ids only (--no-aliases hides this)`);
      return;
    }
    const nodeAliases = new Map<string, string>();
    for (const c of channels) {
      if (c.peerAlias !== '' || c.remotePubkey === '' || nodeAliases.has(c.remotePubkey)) continue;
      try {
        nodeAliases.set(c.remotePubkey, await l.getNodeAlias(c.remotePubkey));
      } catch (e) {
        this.warnOnce('node', `cannot look up some peer aliases (GetNodeInfo: ${reason(e)}); those show channel ids only`);
        break;
      }
    }
    this.book.load(
      channels.map((c) => ({ chan_id: c.chanId, remote_pubkey: c.remotePubkey, peer_alias: c.peerAlias })),
      nodeAliases,
    );
  }
}

function reason(e: unknown): string {
  const d = (e as { details?: string }).details ?? (e as Error).message ?? String(e);
  if (/permission denied/i.test(d)) return 'permission denied: the macaroon lacks the read permission';
  return d.split('\n', 1)[0]!;
}
