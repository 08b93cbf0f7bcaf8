import { describe, expect, it } from 'vitest';
import { isMistake, overallAccuracy, sortFlags } from '../../../../src/renderer/src/lib/audit/flags';

const flag = (path: string, reasons: number, confidence: number) => ({ path, label: 'cat', predicted: 'dog', confidence, reasons: Array.from({ length: reasons }, (_, i) => `r${i}`) });

describe('audit flags', () => {
  it('sorts worst first: more reasons, then more confident, then by path', () => {
    const sorted = sortFlags([flag('b', 1, 0.9), flag('a', 1, 0.9), flag('c', 2, 0.1), flag('d', 1, 0.95)]);
    expect(sorted.map((f) => f.path)).toEqual(['c', 'd', 'a', 'b']);
  });

  it('weights per-class accuracy by images', () => {
    expect(
      overallAccuracy([
        { label: 'a', images: 30, accuracy: 1, meanConfidence: 0.9 },
        { label: 'b', images: 10, accuracy: 0.5, meanConfidence: 0.6 },
      ]),
    ).toBeCloseTo(35 / 40);
    expect(overallAccuracy([])).toBeNull();
  });

  it('compares labels as the engine does, ignoring case', () => {
    expect(isMistake({ label: 'Cat ', predicted: 'cat' })).toBe(false);
    expect(isMistake({ label: 'cat', predicted: 'dog' })).toBe(true);
    expect(isMistake({ label: null, predicted: 'dog' })).toBeNull();
  });
});
