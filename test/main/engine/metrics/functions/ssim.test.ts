import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ssim } from '../../../../../src/main/engine/metrics/functions/ssim';
import { Rng } from '../../../../../src/main/engine/random/rng';

interface SsimCase {
  name: string;
  height: number;
  width: number;
  dataRange: number;
  a: number[];
  b: number[];
  expected: number;
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../fixtures/metrics/ssim.json'), 'utf8')) as { cases: SsimCase[] };

/** Seeded uniform values in [0, 1), from the engine's own generator. */
function randomImage(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => rng.uniform());
}

describe('ssim', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches skimage structural_similarity: %s', (_name, c) => {
    const value = ssim(c.a, c.b, c.height, c.width, { dataRange: c.dataRange });
    expect(Math.abs(value - c.expected)).toBeLessThanOrEqual(1e-9 * Math.abs(c.expected));
  });

  it('covers a non-square image and several data ranges', () => {
    const names = fixture.cases.map((c) => c.name);
    expect(names).toContain('20x23-r1');
    expect(new Set(fixture.cases.filter((c) => c.height === 20 && c.width === 23).map((c) => c.dataRange)).size).toBeGreaterThanOrEqual(3);
  });

  it('is 1 for identical images and symmetric in its arguments', () => {
    const a = randomImage(9 * 11, 1);
    const b = randomImage(9 * 11, 2);
    expect(ssim(a, a, 9, 11, { dataRange: 1 })).toBeCloseTo(1, 14);
    expect(ssim(a, b, 9, 11, { dataRange: 1 })).toBeCloseTo(ssim(b, a, 9, 11, { dataRange: 1 }), 14);
    expect(ssim(a, b, 9, 11, { dataRange: 1 })).toBeLessThan(0.5);
  });

  it('matches a hand computation on two constant 7 x 7 images', () => {
    // Constant images: no variance, so S = (2 ux uy + C1) C2 / ((ux^2 + uy^2 + C1) C2).
    const a = new Float64Array(49).fill(0.2);
    const b = new Float64Array(49).fill(0.6);
    const c1 = 0.01 ** 2;
    const expected = (2 * 0.2 * 0.6 + c1) / (0.2 ** 2 + 0.6 ** 2 + c1);
    expect(ssim(a, b, 7, 7, { dataRange: 1 })).toBeCloseTo(expected, 12);
  });

  it('rejects images smaller than the 7 x 7 window', () => {
    expect(() => ssim(new Float64Array(42), new Float64Array(42), 6, 7, { dataRange: 1 })).toThrow(/at least 7 x 7/);
    expect(() => ssim(new Float64Array(42), new Float64Array(42), 7, 6, { dataRange: 1 })).toThrow(/at least 7 x 7/);
  });

  it('rejects mismatched sizes, non-finite values and a bad data range', () => {
    const a = randomImage(64, 3);
    expect(() => ssim(a, a.subarray(1), 8, 8, { dataRange: 1 })).toThrow(/second image has 63 values/);
    const bad = Float64Array.from(a);
    bad[5] = Number.NaN;
    expect(() => ssim(bad, a, 8, 8, { dataRange: 1 })).toThrow(/NaN at element 5/);
    expect(() => ssim(a, a, 8, 8, { dataRange: 0 })).toThrow(/data range/);
    expect(() => ssim(a, a, 8, 8, { dataRange: Number.POSITIVE_INFINITY })).toThrow(/data range/);
  });

  it('throws LumenError with code invalid-argument', () => {
    try {
      ssim([1], [1], 1, 1, { dataRange: 1 });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ name: 'LumenError', code: 'invalid-argument' });
    }
  });
});
