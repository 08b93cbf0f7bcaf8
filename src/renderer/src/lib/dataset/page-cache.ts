import { LruCache } from './lru';
import type { Range } from './virtual';

/**
 * The rows of one query (a dataset with a search, filter and sort), fetched in pages of
 * `pageSize` and kept by offset in an LRU of `maxPages` pages. It knows which pages are being
 * fetched so a page is never asked for twice at once. A new query gets a new cache.
 */
export class PageCache<Row> {
  readonly pageSize: number;
  readonly #pages: LruCache<number, Row[]>;
  readonly #pending = new Set<number>();
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

  /** Of these offsets, the ones neither here nor being fetched. */
  missing(offsets: readonly number[]): number[] {
    return offsets.filter((o) => !this.#pages.has(o) && !this.#pending.has(o));
  }

  /** Marks the pages of a range as recently used, so scrolling elsewhere evicts others first. */
  touch(items: Range): void {
    if (items.end <= items.start) return;
    for (let o = this.pageOf(items.start); o < items.end; o += this.pageSize) this.#pages.get(o);
  }

  markPending(offset: number): void {
    this.#pending.add(offset);
  }

  /** A page arrived: its rows and the query's total at the time. */
  put(offset: number, rows: Row[], total: number): void {
    this.#pending.delete(offset);
    this.#pages.set(offset, rows);
    this.total = total;
  }

  /** A fetch failed or was abandoned: the page may be asked for again. */
  release(offset: number): void {
    this.#pending.delete(offset);
  }
}
