import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sparseness } from '../../../../../src/main/engine/metrics/functions/sparseness';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../fixtures/metrics/sparseness.json'), 'utf8')) as {
  cases: Array<{ name: string; map: number[]; expected: number }>;
};

describe('sparseness (Gini index of |a|)', () => {
  it('is 1 - 1/n for a one-hot map, whatever the sign', () => {
    for (const n of [1, 2, 10, 224 * 224]) {
      const map = new Float64Array(n);
      map[n - 1] = -3;
      expect(sparseness(map)).toBeCloseTo(1 - 1 / n, 12);
    }
  });

  it('is 0 for a constant map and for the all-zero map', () => {
    expect(sparseness(new Float64Array(50).fill(0.7))).toBe(0);
    expect(sparseness([2, -2, 2, -2])).toBe(0);
    expect(sparseness(new Float64Array(50))).toBe(0);
  });

  it('matches a hand computation', () => {
    // |a| sorted = [0, 1, 2, 3], n = 4: (−3·0 − 1·1 + 1·2 + 3·3) / (4 · 6) = 10 / 24.
    expect(sparseness([3, 0, -1, 2])).toBeCloseTo(10 / 24, 15);
  });

  it('does not depend on the scale or the order of the map', () => {
    const map = [0.1, -0.5, 0.25, 0, 0.9, -0.05];
    const value = sparseness(map);
    expect(sparseness(map.map((v) => v * 1e-30))).toBeCloseTo(value, 14);
    expect(sparseness(map.map((v) => v * 1e300))).toBeCloseTo(value, 14);
    expect(sparseness([...map].reverse())).toBeCloseTo(value, 15);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches the numpy Quantus formula: %s', (_name, c) => {
    expect(sparseness(c.map)).toBeCloseTo(c.expected, 12);
  });

  it('rejects an empty map and non-finite values', () => {
    expect(() => sparseness([])).toThrow(/empty/);
    expect(() => sparseness([1, Number.NaN])).toThrow(/NaN at element 1/);
    expect(() => sparseness([Number.NEGATIVE_INFINITY])).toThrow(/infinite value at element 0/);
    expect(() => sparseness([Number.NaN])).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });
});
