/**
 * lnd's networks, typed once: the names `-n/--network` accepts (lncli's), the
 * lnd.conf key that selects each, and the directory lnd keeps its macaroons in
 * (`<datadir>/chain/bitcoin/<dir>/`).
 */

export const NETWORKS = ['mainnet', 'testnet', 'testnet4', 'signet', 'regtest', 'simnet'] as const;
export type NetworkName = (typeof NETWORKS)[number];

/** lnd's chain directory name: testnet3 lives in `testnet` (lnd's NormalizeNetwork); the others use their name. */
export function networkDirName(net: NetworkName): string {
  return net;
}

/** The lnd.conf boolean that selects each network, e.g. `bitcoin.regtest=1`. */
export const NETWORK_CONF_KEYS: ReadonlyArray<readonly [key: string, net: NetworkName]> = NETWORKS.map(
  (n) => [`bitcoin.${n}`, n] as const,
);

/**
 * A network name as a user types it: lncli's names, any case; `testnet3`
 * (bitcoind's name for testnet) is accepted as `testnet`. Undefined when unknown.
 */
export function parseNetworkName(text: string): NetworkName | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'testnet3') return 'testnet';
  return (NETWORKS as readonly string[]).includes(t) ? (t as NetworkName) : undefined;
}
