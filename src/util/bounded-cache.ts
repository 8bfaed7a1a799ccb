/**
 * A memo of a pure function's results, bounded: when it holds `maxEntries`,
 * it is emptied before the next entry goes in. Emptying (rather than evicting
 * the oldest) keeps a hit at one Map lookup; the values it holds are ones that
 * repeat (channel ids, their scids and JSON fragments, failure texts), so a
 * full cache is rare and refills at once.
 */
export class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.maxEntries) this.map.clear();
    this.map.set(key, value);
  }

  /** The value for `key`, made by `make(key)` and kept when not there yet. */
  getOrMake(key: K, make: (key: K) => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      v = make(key);
      this.set(key, v);
    }
    return v;
  }

  get size(): number {
    return this.map.size;
  }
}
