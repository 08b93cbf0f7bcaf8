import { describe, expect, it } from 'vitest';
import { ExplanationMemory, explanationBytes, explanationMemoryMaxBytes } from '../../../../src/renderer/src/lib/state/explanation-memory';
import type { Explanation } from '../../../../src/renderer/src/lib/state/explanation';

/** An explanation whose engine map has `n` values and display map `m` (4 bytes each). */
function explanation(key: string, n: number, m = 0): Explanation {
  return {
    key,
    method: { id: 'gradient', family: 'gradient', label: 'Gradient', summary: '', output: 'pixel', stochastic: false, reference: '', params: {} },
    params: {},
    target: 1,
    result: {
      method: 'gradient',
      target: 1,
      targetLabel: 'one',
      objective: null,
      params: {},
      kind: 'pixel',
      dims: [n],
      data: new Float32Array(n),
      figures: {},
      timings: { computeMs: 1, computeRunsMs: [1], compileMs: 0, preprocessMs: 0 },
      graphSource: [],
      graphRuns: 1,
      executionProvider: { requested: 'auto', used: 'cpu' },
      notes: [],
    },
    map: { data: new Float32Array(m), width: m, height: 1 },
  };
}

const state = (...explanations: Explanation[]) => ({ explanations, activeKey: explanations[0]?.key ?? null, compareKeys: explanations.map((e) => e.key) });

describe('the session memory of explanations per image', () => {
  it('gives back what was kept for an image: the explanations, the one shown, the comparison', () => {
    const memory = new ExplanationMemory();
    const a = explanation('a', 10);
    const b = explanation('b', 10);
    memory.remember('sha-1', { explanations: [a, b], activeKey: 'b', compareKeys: ['a'] });
    expect(memory.recall('sha-2')).toBeUndefined();
    const back = memory.recall('sha-1')!;
    expect(back.explanations).toEqual([a, b]);
    expect(back.explanations[0]).toBe(a); // the same maps, not copies
    expect(back.activeKey).toBe('b');
    expect(back.compareKeys).toEqual(['a']);
    // What the caller does with the returned lists does not change what is kept.
    back.explanations.pop();
    back.compareKeys.push('b');
    expect(memory.recall('sha-1')!.explanations).toHaveLength(2);
    expect(memory.recall('sha-1')!.compareKeys).toEqual(['a']);
  });

  it('counts bytes of every array an explanation holds', () => {
    const e = explanation('x', 100, 50);
    e.result.regions = { ranks: new Int32Array(7), list: [] };
    e.result.segments = { labels: new Int32Array(3), values: [] };
    expect(explanationBytes(e)).toBe(4 * (100 + 50 + 7 + 3));
    const memory = new ExplanationMemory();
    memory.remember('i', state(e, explanation('y', 10)));
    expect(memory.bytes).toBe(4 * (160 + 10));
    // Remembering an image again replaces (not adds to) its bytes; an empty list forgets it.
    memory.remember('i', state(explanation('y', 10)));
    expect(memory.bytes).toBe(40);
    memory.remember('i', state());
    expect(memory.bytes).toBe(0);
    expect(memory.size).toBe(0);
    expect(memory.recall('i')).toBeUndefined();
  });

  it('beyond its bound forgets the least recently used images, and a recall counts as use', () => {
    const memory = new ExplanationMemory(1000);
    memory.remember('one', state(explanation('a', 100))); // 400 bytes
    memory.remember('two', state(explanation('a', 100))); // 800
    expect(memory.recall('one')).toBeDefined(); // now "two" is the oldest
    memory.remember('three', state(explanation('a', 100))); // 1200 > 1000: "two" goes
    expect(memory.size).toBe(2);
    expect(memory.bytes).toBe(800);
    expect(memory.recall('two')).toBeUndefined();
    expect(memory.recall('one')).toBeDefined();
    expect(memory.recall('three')).toBeDefined();
    // One image larger than the whole bound is not kept at all (never over the bound).
    memory.remember('huge', state(explanation('a', 300)));
    expect(memory.bytes).toBeLessThanOrEqual(1000);
    expect(memory.recall('huge')).toBeUndefined();
  });

  it('the default bound is 256 MiB: about 300 images with one 224x224 pixel map each', () => {
    expect(explanationMemoryMaxBytes).toBe(256 * 1024 * 1024);
    const memory = new ExplanationMemory();
    for (let i = 0; i < 400; i++) memory.remember(`img-${i}`, state(explanation('a', 3 * 224 * 224, 224 * 224)));
    const each = 4 * 4 * 224 * 224;
    expect(memory.size).toBe(Math.floor(explanationMemoryMaxBytes / each));
    expect(memory.recall('img-399')).toBeDefined();
    expect(memory.recall('img-0')).toBeUndefined();
  });
});
