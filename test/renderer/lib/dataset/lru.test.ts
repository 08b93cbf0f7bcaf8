import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../../src/renderer/src/lib/dataset/lru';

describe('LruCache', () => {
  it('evicts the least recently used entry, through onEvict', () => {
    const evicted: string[] = [];
    const lru = new LruCache<string, number>(2, (k) => evicted.push(k));
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(evicted).toEqual(['b']);
    expect(lru.keys()).toEqual(['a', 'c']);
  });

  it('peek does not refresh', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.peek('a');
    lru.set('c', 3);
    expect(lru.has('a')).toBe(false);
  });

  it('replacing a value frees the old one, once; setting the same value frees nothing', () => {
    const evicted: number[] = [];
    const lru = new LruCache<string, number>(3, (_k, v) => evicted.push(v));
    lru.set('a', 1);
    lru.set('a', 2);
    lru.set('a', 2);
    expect(evicted).toEqual([1]);
    expect(lru.size).toBe(1);
  });

  it('delete, clear and resize free what leaves', () => {
    const evicted: string[] = [];
    const lru = new LruCache<string, number>(4, (k) => evicted.push(k));
    for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) lru.set(k, i);
    expect(lru.delete('b')).toBe(true);
    expect(lru.delete('b')).toBe(false);
    lru.resize(2);
    expect(evicted).toEqual(['b', 'a']);
    lru.clear();
    expect(evicted).toEqual(['b', 'a', 'c', 'd']);
    expect(lru.size).toBe(0);
  });

  it('refuses a capacity below one', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
