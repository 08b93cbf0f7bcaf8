import type { Thumbnail } from '../../../../shared/contract/project';
import { LruCache } from './lru';

/** A thumbnail ready to show (an object URL) or the reason there is none. */
export type ThumbnailEntry = { url: string; width: number; height: number } | { error: string };

/** How object URLs are made and freed; the browser's by default, a fake in tests. */
export interface ObjectUrls {
  create(data: Uint8Array, mime: string): string;
  revoke(url: string): void;
}

export const browserObjectUrls: ObjectUrls = {
  create: (data, mime) => URL.createObjectURL(new Blob([data as BlobPart], { type: mime })),
  revoke: (url) => URL.revokeObjectURL(url),
};

/** The most paths `datasets.thumbnails` takes in one request. */
export const thumbnailBatchLimit = 200;

/**
 * Thumbnails by dataset path in a bounded LRU of object URLs: an evicted URL is revoked, so memory
 * stays bounded however far the user scrolls. Paths being fetched are tracked so no path is asked
 * for twice at once; a thumbnail that failed is remembered as an error and not asked for again.
 */
export class ThumbnailCache {
  readonly #entries: LruCache<string, ThumbnailEntry>;
  readonly #pending = new Set<string>();
  readonly #urls: ObjectUrls;
  #closed = false;

  constructor(capacity: number, urls: ObjectUrls = browserObjectUrls) {
    this.#urls = urls;
    this.#entries = new LruCache<string, ThumbnailEntry>(capacity, (_path, entry) => {
      if ('url' in entry) this.#urls.revoke(entry.url);
    });
  }

  get size(): number {
    return this.#entries.size;
  }

  get capacity(): number {
    return this.#entries.capacity;
  }

  /**
   * Makes room for at least `visible` thumbnails with headroom, so what is on screen is never
   * evicted by what is on screen (a tall window of small cells).
   */
  ensureRoomFor(visible: number): void {
    if (visible * 2 > this.#entries.capacity) this.#entries.resize(visible * 2);
  }

  /** The thumbnail of a path, marked as recently used. */
  get(path: string): ThumbnailEntry | undefined {
    return this.#entries.get(path);
  }

  isPending(path: string): boolean {
    return this.#pending.has(path);
  }

  /** Of these paths (duplicates dropped), the ones neither here nor being fetched, in order. */
  wanted(paths: readonly string[]): string[] {
    return [...new Set(paths)].filter((p) => !this.#entries.has(p) && !this.#pending.has(p));
  }

  markPending(paths: readonly string[]): void {
    for (const p of paths) this.#pending.add(p);
  }

  /** Stores what arrived; paths asked for but not answered are released to be asked again. */
  store(asked: readonly string[], thumbnails: readonly Thumbnail[]): void {
    if (this.#closed) return;
    for (const t of thumbnails) {
      this.#pending.delete(t.path);
      if ('error' in t) this.#entries.set(t.path, { error: t.error });
      else this.#entries.set(t.path, { url: this.#urls.create(t.data, t.mime), width: t.width, height: t.height });
    }
    for (const p of asked) this.#pending.delete(p);
  }

  /** A request failed: these paths get the error (shown in place of the thumbnail). */
  fail(paths: readonly string[], error: string): void {
    if (this.#closed) return;
    for (const p of paths) {
      this.#pending.delete(p);
      this.#entries.set(p, { error });
    }
  }

  /** Abandoned requests (the component went away or the dataset changed). */
  release(paths: readonly string[]): void {
    for (const p of paths) this.#pending.delete(p);
  }

  /** Revokes every URL. */
  clear(): void {
    this.#pending.clear();
    this.#entries.clear();
  }

  /** Revokes every URL, and what arrives later is dropped (no URL is made that nothing frees). */
  close(): void {
    this.#closed = true;
    this.clear();
  }

  get closed(): boolean {
    return this.#closed;
  }
}

/** Splits paths into request-sized batches. */
export function batches<T>(items: readonly T[], size: number = thumbnailBatchLimit): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
