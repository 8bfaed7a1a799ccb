/**
 * A memo cache with a fixed number of entries: when it is full, setting a new
 * key drops the oldest one (insertion order). For per-event caches keyed by
 * values from the network (channel ids), which a node has few of but a hostile
 * or long-running stream could make many of.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError(`BoundedMap capacity must be a positive integer (got ${capacity})`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): this {
    if (!this.map.has(key) && this.map.size >= this.capacity) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
    return this;
  }

  /** The cached value for `key`, computed by `make` (and kept) when there is none. */
  getOrSet(key: K, make: (key: K) => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined || this.map.has(key)) return hit as V;
    const value = make(key);
    this.set(key, value);
    return value;
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }
}
