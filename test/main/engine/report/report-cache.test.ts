import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKey, canonicalJson, contentSha256, LruTable } from '../../../../src/main/engine/report/report-cache';

describe('cacheKey: one key per set of inputs', () => {
  const base = { model: { sha256: 'a'.repeat(64), provider: 'cpu' }, content: 'c1', name: 'coffee.png', method: 'grad-cam', params: { layer: 'x', seed: 0 }, target: 967 };

  it('is the same for the same inputs, whatever the order of their keys', () => {
    const reordered = { target: 967, params: { seed: 0, layer: 'x' }, name: 'coffee.png', method: 'grad-cam', content: 'c1', model: { provider: 'cpu', sha256: 'a'.repeat(64) } };
    expect(cacheKey(reordered)).toBe(cacheKey(base));
    expect(cacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with every input a value depends on: model, provider, image content, method, parameters, class', () => {
    const variants = [
      { ...base, model: { ...base.model, sha256: 'b'.repeat(64) } },
      { ...base, model: { ...base.model, provider: 'cuda' } },
      { ...base, content: 'c2' },
      { ...base, name: 'coffee.jpg' },
      { ...base, method: 'gradient' },
      { ...base, params: { layer: 'x', seed: 1 } },
      { ...base, params: { layer: 'x', seed: 0, steps: 8 } },
      { ...base, target: 1 },
    ];
    const keys = new Set([cacheKey(base), ...variants.map(cacheKey)]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it('tells apart values JSON would confuse: a number from its string, an absent field from null only when it matters', () => {
    expect(cacheKey({ target: 1 })).not.toBe(cacheKey({ target: '1' }));
    expect(cacheKey({ params: [1, 2] })).not.toBe(cacheKey({ params: [2, 1] }));
    // An absent optional field is the same as one left undefined (zod output leaves them out).
    expect(cacheKey({ target: 1, frame: undefined })).toBe(cacheKey({ target: 1 }));
  });

  it('keys typed arrays (a ground-truth mask, display ranges) by their content', () => {
    const a = new Uint8Array([0, 1, 1, 0]);
    expect(cacheKey({ truth: a })).toBe(cacheKey({ truth: new Uint8Array([0, 1, 1, 0]) }));
    expect(cacheKey({ truth: a })).not.toBe(cacheKey({ truth: new Uint8Array([0, 1, 0, 0]) }));
    expect(canonicalJson({ b: 1, a: [true, null] })).toBe('{"a":[true,null],"b":1}');
  });

  it('identifies an image by the SHA-256 of its bytes', () => {
    const bytes = new TextEncoder().encode('pixels');
    expect(contentSha256(bytes)).toBe(createHash('sha256').update('pixels').digest('hex'));
  });
});

describe('LruTable: bounded, least recently used out first, only finished values kept', () => {
  it('forgets the least recently used entry beyond its limit', () => {
    const table = new LruTable<number>(2);
    table.set('a', 1);
    table.set('b', 2);
    expect(table.get('a')).toBe(1); // a is now the most recently used
    table.set('c', 3);
    expect(table.get('b')).toBeUndefined();
    expect(table.get('a')).toBe(1);
    expect(table.get('c')).toBe(3);
    expect(table.size).toBe(2);
  });

  it('computes a missing value once and reuses it', async () => {
    const table = new LruTable<string>(4);
    let computed = 0;
    const compute = async (): Promise<string> => `value ${++computed}`;
    expect(await table.memo('k', compute)).toBe('value 1');
    expect(await table.memo('k', compute)).toBe('value 1');
    expect(computed).toBe(1);
  });

  it('keeps nothing from a computation that failed (a cancelled preview), so the next one computes again', async () => {
    const table = new LruTable<string>(4);
    await expect(table.memo('k', () => Promise.reject(new Error('cancelled')))).rejects.toThrow('cancelled');
    expect(table.get('k')).toBeUndefined();
    expect(await table.memo('k', async () => 'fresh')).toBe('fresh');
  });
});
