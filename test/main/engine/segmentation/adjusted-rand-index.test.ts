import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../src/main/engine/segmentation/adjusted-rand-index';

describe('adjusted Rand index', () => {
  it('is 1 for the same partition under any numbering', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [7, 7, 3, 3, 9])).toBe(1);
  });

  it('matches a hand computation', () => {
    // Contingency [[2, 1], [0, 2]]: index = 1 + 1 = 2, rows 3 + 1 = 4, cols 1 + 3 = 4, pairs 10.
    // expected = 4 * 4 / 10 = 1.6, max = 4 -> (2 - 1.6) / (4 - 1.6) = 1/6.
    expect(adjustedRandIndex([0, 0, 0, 1, 1], [0, 0, 1, 1, 1])).toBeCloseTo(1 / 6, 12);
  });

  it('is near 0 for unrelated partitions and negative below chance', () => {
    const n = 20000;
    const a = Array.from({ length: n }, (_, i) => i % 7);
    const b = Array.from({ length: n }, (_, i) => Math.floor(i / 7) % 5);
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeLessThan(0);
  });

  it('rejects labelings of different lengths', () => {
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(/same/);
  });
});
