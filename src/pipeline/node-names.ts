/**
 * The names of a run's nodes when it tails several (the `node` key and
 * column, notices, summaries), kept unique: a profile name is the node's
 * name; a node given by an lndconnect URI is named by its alias once GetInfo
 * told it, else by host:port. Two nodes with the same alias (a test network
 * whose nodes all call themselves "alice", or an alias equal to a profile
 * name) would be told apart by nothing, so the later one gets
 * `alias (host:port)`.
 */
export class NodeNames {
  private readonly taken = new Set<string>();

  constructor(profiles: ReadonlyArray<string | null>) {
    for (const p of profiles) if (p !== null) this.taken.add(p);
  }

  /** A unique name for a node without a profile: `name` (its alias, or host:port) when free. */
  claim(name: string, address: string): string {
    let unique = this.taken.has(name) && name !== address ? `${name} (${address})` : name;
    for (let i = 2; this.taken.has(unique); i++) unique = `${name} #${i}`;
    this.taken.add(unique);
    return unique;
  }
}
