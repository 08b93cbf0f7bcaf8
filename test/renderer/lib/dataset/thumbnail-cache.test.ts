import { describe, expect, it } from 'vitest';
import { batches, ThumbnailCache, type ObjectUrls } from '../../../../src/renderer/src/lib/dataset/thumbnail-cache';

function fakeUrls(): ObjectUrls & { live: Set<string>; made: number } {
  const live = new Set<string>();
  const urls = {
    live,
    made: 0,
    create(_data: Uint8Array, _mime: string): string {
      urls.made += 1;
      const url = `blob:${urls.made}`;
      live.add(url);
      return url;
    },
    revoke(url: string): void {
      if (!live.delete(url)) throw new Error(`revoked twice or never made: ${url}`);
    },
  };
  return urls;
}

const png = (path: string) => ({ path, mime: 'image/png' as const, width: 128, height: 96, data: new Uint8Array([1, 2, 3]) });

describe('ThumbnailCache', () => {
  it('makes an object URL per thumbnail and revokes it on eviction', () => {
    const urls = fakeUrls();
    const cache = new ThumbnailCache(2, urls);
    cache.markPending(['a', 'b', 'c']);
    cache.store(['a', 'b', 'c'], [png('a'), png('b'), png('c')]);
    expect(cache.size).toBe(2);
    expect(urls.live.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toEqual({ url: 'blob:3', width: 128, height: 96 });
  });

  it('wants only what is neither cached nor being fetched', () => {
    const cache = new ThumbnailCache(10, fakeUrls());
    cache.store(['a'], [png('a')]);
    cache.markPending(['b']);
    expect(cache.wanted(['a', 'b', 'c', 'c', 'd'])).toEqual(['c', 'd']);
  });

  it('remembers errors (no URL) and releases paths the answer left out', () => {
    const urls = fakeUrls();
    const cache = new ThumbnailCache(10, urls);
    cache.markPending(['a', 'b', 'c']);
    cache.store(['a', 'b', 'c'], [png('a'), { path: 'b', error: 'cannot decode' }]);
    expect(cache.get('b')).toEqual({ error: 'cannot decode' });
    expect(cache.isPending('c')).toBe(false);
    expect(cache.wanted(['a', 'b', 'c'])).toEqual(['c']);
    cache.fail(['c'], 'engine gone');
    expect(cache.get('c')).toEqual({ error: 'engine gone' });
    expect(urls.live.size).toBe(1);
  });

  it('grows to hold twice what is visible', () => {
    const cache = new ThumbnailCache(100, fakeUrls());
    cache.ensureRoomFor(30);
    expect(cache.capacity).toBe(100);
    cache.ensureRoomFor(80);
    expect(cache.capacity).toBe(160);
  });

  it('close revokes everything and drops what arrives later', () => {
    const urls = fakeUrls();
    const cache = new ThumbnailCache(10, urls);
    cache.store(['a', 'b'], [png('a'), png('b')]);
    cache.markPending(['c']);
    cache.close();
    expect(urls.live.size).toBe(0);
    cache.store(['c'], [png('c')]);
    expect(urls.made).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('a long scroll never holds more URLs than its capacity', () => {
    const urls = fakeUrls();
    const cache = new ThumbnailCache(300, urls);
    for (let start = 0; start < 10_000; start += 60) {
      const visible = Array.from({ length: 60 }, (_, i) => `img-${start + i}`);
      const wanted = cache.wanted(visible);
      for (const batch of batches(wanted, 100)) {
        cache.markPending(batch);
        cache.store(batch, batch.map(png));
      }
      expect(urls.live.size).toBeLessThanOrEqual(300);
      for (const p of visible) expect(cache.get(p)).toBeDefined();
    }
  });
});

describe('batches', () => {
  it('splits into request-sized batches', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 2)).toEqual([]);
    expect(batches(Array.from({ length: 450 }, (_, i) => i)).map((b) => b.length)).toEqual([200, 200, 50]);
  });
});
