import { describe, expect, it } from 'vitest';
import { PageCache } from '../../../../src/renderer/src/lib/dataset/page-cache';
import { itemsOfRows, layoutFor, pageOffsets, visibleRows } from '../../../../src/renderer/src/lib/dataset/virtual';

const rows = (offset: number, n: number): Array<{ path: string }> => Array.from({ length: n }, (_, i) => ({ path: `img-${offset + i}.png` }));

describe('PageCache', () => {
  it('finds rows by index in the page that holds them', () => {
    const cache = new PageCache<{ path: string }>(200, 10);
    expect(cache.row(250)).toBeUndefined();
    cache.put(200, rows(200, 200), 10_000);
    expect(cache.row(250)?.path).toBe('img-250.png');
    expect(cache.row(199)).toBeUndefined();
    expect(cache.total).toBe(10_000);
    expect(cache.row(10_000)).toBeUndefined();
  });

  it('keeps showing stale rows until fresh pages replace them, and asks for each stale page once', () => {
    const cache = new PageCache<{ path: string; confidence?: number }>(200, 10);
    cache.put(0, rows(0, 200), 300);
    cache.put(200, rows(200, 100), 300);
    cache.markStale();
    expect(cache.row(5)?.path).toBe('img-5.png');
    expect(cache.isStale(0)).toBe(true);
    expect(cache.missing([0, 200])).toEqual([0, 200]);
    cache.markPending(0);
    expect(cache.missing([0, 200])).toEqual([200]);
    cache.put(0, rows(0, 200).map((r) => ({ ...r, confidence: 0.9 })), 300);
    expect(cache.row(5)?.confidence).toBe(0.9);
    expect(cache.isStale(0)).toBe(false);
    expect(cache.missing([0, 200])).toEqual([200]);
  });

  it('keeps a page asked for before the cache went stale, but asks for it again', () => {
    const cache = new PageCache<{ path: string }>(200, 10);
    const before = cache.generation;
    cache.markPending(0);
    cache.markStale();
    cache.put(0, rows(0, 200), 200, before);
    expect(cache.row(0)?.path).toBe('img-0.png');
    expect(cache.isStale(0)).toBe(true);
    expect(cache.missing([0])).toEqual([0]);
    cache.markPending(0);
    cache.put(0, rows(0, 200), 200, cache.generation);
    expect(cache.missing([0])).toEqual([]);
  });

  it('does not ask twice for a page being fetched, and asks again after a failure', () => {
    const cache = new PageCache<{ path: string }>(200, 10);
    expect(cache.missing([0, 200])).toEqual([0, 200]);
    cache.markPending(0);
    expect(cache.missing([0, 200])).toEqual([200]);
    expect(cache.pendingCount).toBe(1);
    cache.release(0);
    expect(cache.missing([0, 200])).toEqual([0, 200]);
    cache.markPending(0);
    cache.put(0, rows(0, 200), 10_000);
    expect(cache.isPending(0)).toBe(false);
    expect(cache.missing([0, 200])).toEqual([200]);
  });

  it('keeps at most maxPages pages, evicting those scrolled away from', () => {
    const cache = new PageCache<{ path: string }>(200, 3);
    for (const o of [0, 200, 400]) cache.put(o, rows(o, 200), 10_000);
    cache.touch({ start: 0, end: 50 }); // page 0 is in view again
    cache.put(600, rows(600, 200), 10_000);
    expect(cache.hasPage(0)).toBe(true);
    expect(cache.hasPage(200)).toBe(false);
    expect(cache.pageCount).toBe(3);
  });

  it('scrolling through 10,000 rows fetches each page once, in view order', () => {
    const N = 10_000;
    const layout = layoutFor(N, 1, 40);
    const cache = new PageCache<{ path: string }>(200, 60);
    const fetched: number[] = [];
    for (let top = 0; top < N * 40; top += 3_000) {
      const items = itemsOfRows(visibleRows(layout, { scrollTop: top, height: 800 }, 8), 1, N);
      for (const o of cache.missing(pageOffsets(items, 200, N))) {
        cache.markPending(o);
        fetched.push(o);
        const start = o;
        cache.put(o, rows(start, Math.min(200, N - start)), N);
      }
      for (let i = items.start; i < items.end; i++) expect(cache.row(i)?.path).toBe(`img-${i}.png`);
    }
    expect(fetched).toEqual(Array.from({ length: 50 }, (_, i) => i * 200));
  });
});
