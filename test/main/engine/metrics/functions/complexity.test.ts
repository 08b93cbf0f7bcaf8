import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { complexity } from '../../../../../src/main/engine/metrics/functions/complexity';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../fixtures/metrics/complexity.json'), 'utf8')) as {
  cases: Array<{ name: string; map: number[]; expected: number }>;
};

describe('complexity (entropy of |a| / sum |a|)', () => {
  it('is ln n for a constant map, of either sign', () => {
    expect(complexity(new Float64Array(100).fill(0.3))).toBeCloseTo(Math.log(100), 13);
    expect(complexity([1, -1, 1, -1])).toBeCloseTo(Math.log(4), 15);
  });

  it('is 0 for a one-hot map', () => {
    const map = new Float64Array(64);
    map[17] = -5;
    expect(complexity(map)).toBe(0);
  });

  it('defines the all-zero map as ln n, the maximum', () => {
    expect(complexity(new Float64Array(10))).toBe(Math.log(10));
    expect(complexity([0])).toBe(0);
  });

  it('matches a hand computation', () => {
    // p = [1/2, 1/4, 1/4, 0]: H = ln 2 / 2 + 2 · ln 4 / 4 = 1.5 ln 2.
    expect(complexity([2, -1, 1, 0])).toBeCloseTo(1.5 * Math.log(2), 15);
  });

  it('does not depend on the scale of the map', () => {
    const map = [0.1, -0.5, 0.25, 0, 0.9];
    expect(complexity(map.map((v) => v * 1e300))).toBeCloseTo(complexity(map), 14);
    expect(complexity(map.map((v) => v * 1e-300))).toBeCloseTo(complexity(map), 14);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches scipy.stats.entropy: %s', (_name, c) => {
    expect(Math.abs(complexity(c.map) - c.expected)).toBeLessThanOrEqual(1e-12 * Math.abs(c.expected));
  });

  it('rejects an empty map and non-finite values', () => {
    expect(() => complexity([])).toThrow(/empty/);
    expect(() => complexity([0, 1, Number.NaN])).toThrow(/NaN at element 2/);
    expect(() => complexity([Number.POSITIVE_INFINITY])).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });
});
