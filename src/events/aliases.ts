/**
 * Peer aliases: pure cache logic. The lnd client feeds it ListChannels rows and
 * GetNodeInfo answers; this module decides what to ask for and when, and
 * answers "which alias has this channel's peer" and "which channels has the
 * peer called X". No I/O, no clock: times come in as arguments.
 *
 * Where an alias comes from: ListChannels' `peer_alias` (lnd fills it only when
 * the request sets `peer_alias_lookup = true`, field 6 of ListChannelsRequest),
 * else GetNodeInfo's `node.alias` for the channel's `remote_pubkey`. An empty
 * alias stays unknown: no pubkey or other stand-in is ever returned.
 *
 * Aliases are untrusted network text: stored raw here; pretty, table and the
 * summary escape control characters when they print them, jsonl JSON-escapes.
 *
 * Refresh policy (the README documents it):
 * - `unknownChannel(ev)` is true when the event names a non-zero channel id that
 *   is not in the book and not known to be missing; the caller then asks
 *   `shouldRefresh(nowMs)`, which says yes at most once per `refreshIntervalMs`
 *   (default 30 s; the first call always) and takes note of the unknown ids seen
 *   so far: the next `loadChannels` settles them.
 * - A channel id that a refresh (begun after the id was first seen) did not find,
 *   such as a closed channel or a foreign id in an UNKNOWN_NEXT_PEER failure, is
 *   remembered as missing (up to 10,000 ids, oldest forgotten first) and does not
 *   trigger further refreshes.
 * - `--channel ALIAS`: `channelsForAlias` / `aliasMatches` compare case-insensitively
 *   and otherwise exactly (both sides NFC-normalized and lower-cased with
 *   `toLowerCase()`; no trimming, no partial match). Every channel of every peer
 *   with that alias matches.
 */
import type { HtlcEvent } from './model.js';

/** The fields of lnrpc.Channel this module reads (proto field names; uint64 as decimal strings). */
export interface ChannelRow {
  /** Channel.chan_id (4) */
  readonly chan_id: string;
  /** Channel.remote_pubkey (2), hex */
  readonly remote_pubkey: string;
  /** Channel.peer_alias (34); empty or absent when unknown */
  readonly peer_alias?: string;
  /** Channel.alias_scids (31): alias short channel ids of the channel (scid-alias, zero-conf); events may name them */
  readonly alias_scids?: readonly string[];
  /** Channel.zero_conf_confirmed_scid (33): the confirmed scid of a zero-conf channel; "0" when none */
  readonly zero_conf_confirmed_scid?: string;
}

export interface AliasBookOptions {
  /** Minimum time between two refreshes (default 30,000 ms). */
  readonly refreshIntervalMs?: number;
  /** How many not-found channel ids to remember (default 10,000). */
  readonly maxMissing?: number;
}

export const DEFAULT_REFRESH_INTERVAL_MS = 30_000;
const DEFAULT_MAX_MISSING = 10_000;
/** Bound on ids waiting for a refresh: beyond it, new unknown ids are not noted (they still trigger). */
const MAX_PENDING = 10_000;

function fold(s: string): string {
  return s.normalize('NFC').toLowerCase();
}

export class AliasBook {
  private readonly refreshIntervalMs: number;
  private readonly maxMissing: number;
  /** channel id → remote pubkey */
  private readonly peerOf = new Map<string, string>();
  /** remote pubkey → peer_alias from ListChannels (non-empty only) */
  private readonly channelAlias = new Map<string, string>();
  /** remote pubkey → GetNodeInfo alias ('' when the node has none); presence means looked up */
  private readonly nodeAlias = new Map<string, string>();
  /** unknown ids noted since the last refresh began */
  private pending = new Set<string>();
  /** unknown ids a running refresh will settle */
  private inRefresh = new Set<string>();
  /** ids a refresh did not find */
  private readonly missing = new Map<string, true>();
  private lastRefreshMs: number | undefined;
  private loaded = false;

  constructor(opts: AliasBookOptions = {}) {
    this.refreshIntervalMs = opts.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
    this.maxMissing = opts.maxMissing ?? DEFAULT_MAX_MISSING;
  }

  /**
   * Replaces the channel table with a ListChannels answer. Returns the pubkeys
   * that still need a GetNodeInfo lookup: peers whose `peer_alias` is empty and
   * that were not looked up before (ask each, then call `setNodeAlias`).
   */
  loadChannels(rows: readonly ChannelRow[]): string[] {
    this.peerOf.clear();
    this.channelAlias.clear();
    for (const r of rows) {
      const pub = r.remote_pubkey;
      this.peerOf.set(r.chan_id, pub);
      for (const id of r.alias_scids ?? []) if (id !== '0') this.peerOf.set(id, pub);
      if (r.zero_conf_confirmed_scid && r.zero_conf_confirmed_scid !== '0') {
        this.peerOf.set(r.zero_conf_confirmed_scid, pub);
      }
      if (r.peer_alias) this.channelAlias.set(pub, r.peer_alias);
    }
    this.loaded = true;
    for (const id of this.inRefresh) {
      if (!this.peerOf.has(id)) {
        if (this.missing.size >= this.maxMissing) {
          const oldest = this.missing.keys().next();
          if (!oldest.done) this.missing.delete(oldest.value);
        }
        this.missing.set(id, true);
      }
    }
    this.inRefresh = new Set();
    for (const id of this.missing.keys()) if (this.peerOf.has(id)) this.missing.delete(id);
    return this.pubkeysNeedingNodeInfo();
  }

  /**
   * `loadChannels(rows)`, then `setNodeAlias` for each entry of `nodeAliases`
   * (pubkey → GetNodeInfo alias). Returns the pubkeys still needing GetNodeInfo.
   */
  load(rows: readonly ChannelRow[], nodeAliases?: ReadonlyMap<string, string>): string[] {
    if (nodeAliases) for (const [pub, alias] of nodeAliases) this.setNodeAlias(pub, alias);
    return this.loadChannels(rows);
  }

  /** Records GetNodeInfo's alias for a pubkey (an empty alias is remembered as "none", not asked again). */
  setNodeAlias(pubkey: string, alias: string): void {
    this.nodeAlias.set(pubkey, alias);
  }

  /** Peers of known channels with no ListChannels alias that GetNodeInfo has not answered yet. */
  pubkeysNeedingNodeInfo(): string[] {
    const out = new Set<string>();
    for (const pub of this.peerOf.values()) {
      if (!this.channelAlias.has(pub) && !this.nodeAlias.has(pub)) out.add(pub);
    }
    return [...out];
  }

  /** Whether a ListChannels answer has been loaded. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /** The channel ids of the last ListChannels answer (alias scids and confirmed scids included), in table order. */
  channelIds(): IterableIterator<string> {
    return this.peerOf.keys();
  }

  /** The remote pubkey of a channel, when the channel is known. */
  pubkeyOf(channelId: string): string | undefined {
    return this.peerOf.get(channelId);
  }

  /** The non-empty alias of a channel's peer, when known. */
  aliasOf(channelId: string): string | undefined {
    const pub = this.peerOf.get(channelId);
    if (pub === undefined) return undefined;
    const a = this.channelAlias.get(pub) ?? this.nodeAlias.get(pub);
    return a ? a : undefined;
  }

  /** Sets `incomingAlias`/`outgoingAlias` where a non-empty alias is known (mutates and returns `ev`). */
  enrich(ev: HtlcEvent): HtlcEvent {
    if (ev.incomingChannelId !== '0') {
      const a = this.aliasOf(ev.incomingChannelId);
      if (a !== undefined) ev.incomingAlias = a;
    }
    if (ev.outgoingChannelId !== '0') {
      const a = this.aliasOf(ev.outgoingChannelId);
      if (a !== undefined) ev.outgoingAlias = a;
    }
    return ev;
  }

  /**
   * True when the event names a non-zero channel id that is neither in the
   * book nor known to be missing (a refresh may find it). Notes the id for the
   * next refresh. `subscribed` events name no channel.
   */
  unknownChannel(ev: HtlcEvent): boolean {
    if (ev.event === 'subscribed') return false;
    let unknown = false;
    for (const id of [ev.incomingChannelId, ev.outgoingChannelId]) {
      if (id === '0' || this.peerOf.has(id) || this.missing.has(id)) continue;
      unknown = true;
      // An id a refresh under way (or a failed one) will settle is not noted again.
      if (!this.inRefresh.has(id) && this.pending.size < MAX_PENDING) this.pending.add(id);
    }
    return unknown;
  }

  /**
   * Rate limiter: true at most once per refreshIntervalMs (the first call is
   * always true; a clock that went backwards allows one). When true, the caller
   * must refresh (ListChannels, then `loadChannels`); the unknown ids noted so
   * far are settled by that load. `nowMs` should be a monotonic clock.
   */
  shouldRefresh(nowMs: number): boolean {
    const last = this.lastRefreshMs;
    if (last !== undefined && nowMs >= last && nowMs - last < this.refreshIntervalMs) return false;
    this.lastRefreshMs = nowMs;
    for (const id of this.pending) this.inRefresh.add(id);
    this.pending = new Set();
    return true;
  }

  /**
   * Optional: a refresh failed (ListChannels errored). Nothing is lost without
   * this call either: the ids that refresh was to settle are settled by the next
   * successful load. The rate limit still applies from the failed attempt.
   */
  refreshFailed(): void {
    for (const id of this.inRefresh) if (this.pending.size < MAX_PENDING) this.pending.add(id);
    this.inRefresh = new Set();
  }

  /** Every non-empty peer alias of the known channels, once each, as the node gave it. */
  knownAliases(): string[] {
    const out = new Set<string>();
    for (const id of this.peerOf.keys()) {
      const a = this.aliasOf(id);
      if (a !== undefined) out.add(a);
    }
    return [...out];
  }

  /** The channel ids whose peer alias equals `alias` (case-insensitive), in table order. */
  channelsForAlias(alias: string): string[] {
    const want = fold(alias);
    const out: string[] = [];
    for (const [id] of this.peerOf) {
      const a = this.aliasOf(id);
      if (a !== undefined && fold(a) === want) out.push(id);
    }
    return out;
  }

  /** Whether a channel's peer alias equals `alias` (case-insensitive); false when the alias is unknown. */
  aliasMatches(channelId: string, alias: string): boolean {
    const a = this.aliasOf(channelId);
    return a !== undefined && fold(a) === fold(alias);
  }
}
