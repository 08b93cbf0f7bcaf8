import { LruCache } from './lru';
import type { Range } from './virtual';

/**
 * The rows of one query (a dataset with a search, filter and sort), fetched in pages of
 * `pageSize` and kept by offset in an LRU of `maxPages` pages. It knows which pages are being
 * fetched so a page is never asked for twice at once. A new query gets a new cache; the same
 * rows with newer data (an audit's results landed, another run's columns) mark it stale instead:
 * the rows stay shown, and in the same place, until fresh pages replace them.
 */
export class PageCache<Row> {
  readonly pageSize: number;
  readonly #pages: LruCache<number, Row[]>;
  readonly #pending = new Set<number>();
  /** Pages shown but out of date: asked for again, kept until the fresh ones arrive. */
  readonly #stale = new Set<number>();
  #generation = 0;
  /** Rows that match the query; null until a page has arrived. */
  total: number | null = null;

  constructor(pageSize: number, maxPages: number) {
    if (!(pageSize >= 1)) throw new RangeError('A page holds at least one row.');
    this.pageSize = Math.floor(pageSize);
    this.#pages = new LruCache(maxPages);
  }

  /** The offset of the page that holds row `index`. */
  pageOf(index: number): number {
    return Math.floor(index / this.pageSize) * this.pageSize;
  }

  /** Row `index`, or undefined when its page is not here (yet). */
  row(index: number): Row | undefined {
    if (index < 0 || (this.total !== null && index >= this.total)) return undefined;
    const offset = this.pageOf(index);
    return this.#pages.peek(offset)?.[index - offset];
  }

  hasPage(offset: number): boolean {
    return this.#pages.has(offset);
  }

  isPending(offset: number): boolean {
    return this.#pending.has(offset);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  get pageCount(): number {
    return this.#pages.size;
  }

  /** Of these offsets, the ones not being fetched that are not here, or here but stale. */
  missing(offsets: readonly number[]): number[] {
    return offsets.filter((o) => (!this.#pages.has(o) || this.#stale.has(o)) && !this.#pending.has(o));
  }

  isStale(offset: number): boolean {
    return this.#pages.has(offset) && this.#stale.has(offset);
  }

  /** Counts the times the cache was marked stale: a page asked for before the last time is stale when it arrives. */
  get generation(): number {
    return this.#generation;
  }

  /** Everything here is out of date (the data behind the query changed): every page will be asked for again. */
  markStale(): void {
    this.#generation += 1;
    for (const offset of this.#pages.keys()) this.#stale.add(offset);
  }

  /** Marks the pages of a range as recently used, so scrolling elsewhere evicts others first. */
  touch(items: Range): void {
    if (items.end <= items.start) return;
    for (let o = this.pageOf(items.start); o < items.end; o += this.pageSize) this.#pages.get(o);
  }

  markPending(offset: number): void {
    this.#pending.add(offset);
  }

  /**
   * A page arrived: its rows and the query's total at the time. `generation` is the cache's when the
   * page was asked for: a page asked for before the cache went stale is kept, but stays stale.
   */
  put(offset: number, rows: Row[], total: number, generation = this.#generation): void {
    this.#pending.delete(offset);
    this.#pages.set(offset, rows);
    if (generation === this.#generation) this.#stale.delete(offset);
    else this.#stale.add(offset);
    this.total = total;
  }

  /** A fetch failed or was abandoned: the page may be asked for again. */
  release(offset: number): void {
    this.#pending.delete(offset);
  }
}
