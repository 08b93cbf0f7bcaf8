/**
 * A least-recently-used map with a fixed capacity. Whatever leaves it (evicted, replaced, deleted
 * or cleared) goes through `onEvict`, so resources such as object URLs are freed exactly once.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();
  #capacity: number;
  readonly #onEvict: ((key: K, value: V) => void) | undefined;

  constructor(capacity: number, onEvict?: (key: K, value: V) => void) {
    if (!(capacity >= 1)) throw new RangeError('An LRU cache holds at least one entry.');
    this.#capacity = Math.floor(capacity);
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#entries.size;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Changes the capacity; shrinking evicts the least recently used entries. */
  resize(capacity: number): void {
    if (!(capacity >= 1)) throw new RangeError('An LRU cache holds at least one entry.');
    this.#capacity = Math.floor(capacity);
    this.#trim();
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** The value, marked as the most recently used. */
  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** The value, without changing the order. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.#entries.has(key)) {
      const old = this.#entries.get(key) as V;
      this.#entries.delete(key);
      if (old !== value) this.#onEvict?.(key, old);
    }
    this.#entries.set(key, value);
    this.#trim();
  }

  delete(key: K): boolean {
    if (!this.#entries.has(key)) return false;
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#onEvict?.(key, value);
    return true;
  }

  clear(): void {
    const entries = [...this.#entries];
    this.#entries.clear();
    for (const [key, value] of entries) this.#onEvict?.(key, value);
  }

  /** Keys from the least to the most recently used. */
  keys(): K[] {
    return [...this.#entries.keys()];
  }

  #trim(): void {
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value as K;
      const value = this.#entries.get(oldest) as V;
      this.#entries.delete(oldest);
      this.#onEvict?.(oldest, value);
    }
  }
}
