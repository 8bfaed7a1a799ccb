/**
 * The simulated node's identity, peers and channels, built from a seed. The
 * peer aliases cover the cases a client must handle: ordinary names, an alias
 * missing from ListChannels but known to the graph (GetNodeInfo), non-ASCII
 * text, a peer unknown to the graph, and, only when asked for (`hostile`:
 * tests, `htlc-tail-sim --hostile-aliases`, `htlc-tail demo
 * --hostile-aliases`), an alias with a terminal escape sequence inside.
 */
import type { ChannelPolicy } from './failures.js';
import { Rng } from './rng.js';

export interface SimPeer {
  readonly pubkey: string;
  /** What ListChannels puts in `peer_alias` (when `peer_alias_lookup` is set). */
  readonly listAlias: string;
  /** The alias GetNodeInfo returns; null when the node is not in the graph (NOT_FOUND). */
  readonly graphAlias: string | null;
  readonly color: string;
}

export interface SimChannel {
  readonly chanId: bigint;
  readonly peer: SimPeer;
  readonly active: boolean;
  readonly channelPoint: string;
  readonly capacitySat: number;
  readonly localBalanceSat: number;
  readonly remoteBalanceSat: number;
  /** Our policy for HTLCs leaving through this channel. */
  readonly policy: ChannelPolicy;
}

export interface SimNode {
  readonly pubkey: string;
  readonly alias: string;
  readonly color: string;
  readonly version: string;
  readonly commitHash: string;
  readonly network: string;
  readonly blockHeight: number;
  readonly blockHash: string;
  readonly channels: readonly SimChannel[];
}

export const SIM_VERSION = '0.18.4-beta commit=v0.18.4-beta';
export const SIM_COMMIT_HASH = 'ddeb8351684a611f6c27f16f09be75d5c039f08c';

function pubkey(rng: Rng): string {
  return (rng.chance(0.5) ? '02' : '03') + rng.hex(32);
}

/** A mainnet-like channel id: block 800000-870000. */
export function makeChanId(rng: Rng): bigint {
  const block = BigInt(rng.int(800_000, 870_000));
  const tx = BigInt(rng.int(1, 3500));
  const out = BigInt(rng.int(0, 3));
  return (block << 40n) | (tx << 16n) | out;
}

const PEER_ALIASES: ReadonlyArray<readonly [string, string | null]> = [
  ['ACINQ', 'ACINQ'],
  ['WalletOfSatoshi.com', 'WalletOfSatoshi.com'],
  ['⚡ Zürich-node', '⚡ Zürich-node'],
  // Empty in ListChannels, but the graph knows it: a client should fall back to GetNodeInfo.
  ['', 'LNBiG [Hub-3]'],
  // Replaced by HOSTILE_ALIAS when asked for (a client must not print it raw).
  ['Boltz', 'Boltz'],
  // A private peer the graph does not know: no alias anywhere, GetNodeInfo answers NOT_FOUND.
  ['', null],
];

/** The escape-test alias: an ESC (a colour sequence) inside. */
export const HOSTILE_ALIAS = 'bad\u001b[31malias';
/** The peer (channel index) that gets HOSTILE_ALIAS when asked for. */
export const HOSTILE_PEER = 4;

export function buildNode(seed: number, network = 'regtest', alias = 'htlc-tail-sim', hostileAliases = false): SimNode {
  const rng = new Rng(seed ^ 0x5eed);
  const blockHeight = rng.int(869_000, 871_000);
  const aliases = PEER_ALIASES.map((a, i): readonly [string, string | null] =>
    hostileAliases && i === HOSTILE_PEER ? [HOSTILE_ALIAS, HOSTILE_ALIAS] : a,
  );
  const channels: SimChannel[] = aliases.map(([listAlias, graphAlias], i) => {
    const peer: SimPeer = {
      pubkey: pubkey(rng),
      listAlias,
      graphAlias,
      color: `#${rng.hex(3)}`,
    };
    const chanId = makeChanId(rng);
    const capacitySat = rng.pick([1_000_000, 2_000_000, 5_000_000, 10_000_000, 16_777_215]);
    const localBalanceSat = Math.floor(capacitySat * (0.1 + rng.float() * 0.8));
    // The last channel (the private peer) is inactive.
    const active = i < PEER_ALIASES.length - 1;
    return {
      chanId,
      peer,
      active,
      channelPoint: `${rng.hex(32)}:${rng.int(0, 3)}`,
      capacitySat,
      localBalanceSat,
      remoteBalanceSat: capacitySat - localBalanceSat - 3_000,
      policy: {
        chanId,
        timeLockDelta: rng.pick([40, 80, 144]),
        htlcMinimumMsat: 1000n,
        htlcMaximumMsat: BigInt(Math.floor(capacitySat * 0.99)) * 1000n,
        baseFeeMsat: rng.pick([0, 1000, 1000, 500]),
        feeRatePpm: rng.pick([1, 50, 100, 250, 500, 1200]),
        direction: rng.int(0, 1),
        disabled: !active,
      },
    };
  });
  return {
    pubkey: pubkey(rng),
    alias,
    color: '#3399ff',
    version: SIM_VERSION,
    commitHash: SIM_COMMIT_HASH,
    network,
    blockHeight,
    blockHash: '00000000000000000001' + rng.hex(22),
    channels,
  };
}
