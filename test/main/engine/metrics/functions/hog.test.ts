import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hogFeatures, hogSimilarity, type HogOptions } from '../../../../../src/main/engine/metrics/functions/hog';

interface HogCase {
  name: string;
  height: number;
  width: number;
  options: { orientations: number; pixelsPerCell: [number, number]; cellsPerBlock: [number, number]; blockNorm: NonNullable<HogOptions['blockNorm']> };
  image: number[];
  expected: number[];
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../fixtures/metrics/hog.json'), 'utf8')) as {
  cases: HogCase[];
  similarity: { height: number; width: number; a: number[]; b: number[]; expected: number };
};

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('hogFeatures', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches skimage.feature.hog: %s', (_name, c) => {
    const features = hogFeatures(c.image, c.height, c.width, c.options);
    expect(features.length).toBe(c.expected.length);
    expect(maxAbsDifference(features, c.expected)).toBeLessThanOrEqual(1e-6);
  });

  it('uses skimage defaults (9 orientations, 8 x 8 cells, 3 x 3 blocks, L2-Hys) when no options are given', () => {
    const c = fixture.cases.find((x) => x.name === '32x40-uniform')!;
    expect(c.options).toEqual({ orientations: 9, pixelsPerCell: [8, 8], cellsPerBlock: [3, 3], blockNorm: 'L2-Hys' });
    const features = hogFeatures(c.image, c.height, c.width);
    // 4 x 5 cells -> 2 x 3 blocks of 3 x 3 cells x 9 orientations.
    expect(features.length).toBe(2 * 3 * 81);
    expect(maxAbsDifference(features, c.expected)).toBeLessThanOrEqual(1e-6);
  });

  it('is all zero for a flat image and puts a vertical edge in the 0-degree bin', () => {
    expect(hogFeatures(new Float64Array(24 * 24).fill(0.3), 24, 24).every((v) => v === 0)).toBe(true);
    // Columns 0..11 are 0 and 12..23 are 1: g_col = 1 at columns 11 and 12, g_row = 0, so only bin 0.
    const edge = Float64Array.from({ length: 24 * 24 }, (_, i) => (i % 24 >= 12 ? 1 : 0));
    const features = hogFeatures(edge, 24, 24);
    expect(features.length).toBe(81);
    features.forEach((v, i) => {
      if (i % 9 !== 0) expect(v).toBe(0);
    });
    expect(features.some((v) => v > 0)).toBe(true);
  });

  it('rejects images smaller than one block, wrong sizes, NaN and bad options', () => {
    expect(() => hogFeatures(new Float64Array(23 * 40), 23, 40)).toThrow(/at least 24 x 24/);
    expect(() => hogFeatures(new Float64Array(40 * 20), 40, 20)).toThrow(/at least 24 x 24/);
    expect(() => hogFeatures(new Float64Array(24 * 24 - 1), 24, 24)).toThrow(/575 values/);
    const bad = new Float64Array(24 * 24);
    bad[3] = Number.POSITIVE_INFINITY;
    expect(() => hogFeatures(bad, 24, 24)).toThrow(/infinite value at element 3/);
    expect(() => hogFeatures(new Float64Array(24 * 24), 24, 24, { orientations: 0 })).toThrow(/whole numbers/);
    expect(() => hogFeatures(new Float64Array(24 * 24), 24, 24, { blockNorm: 'L3' as HogOptions['blockNorm'] })).toThrow(/unknown block normalisation/);
  });
});

describe('hogSimilarity', () => {
  it('matches np.corrcoef of the skimage HOG vectors', () => {
    const s = fixture.similarity;
    expect(hogSimilarity(s.a, s.b, s.height, s.width)).toBeCloseTo(s.expected, 6);
  });

  it('is 1 for the same map, and for two flat maps; 0 for a flat map against a textured one', () => {
    const s = fixture.similarity;
    expect(hogSimilarity(s.a, s.a, s.height, s.width)).toBeCloseTo(1, 12);
    const flat = new Float64Array(s.height * s.width);
    expect(hogSimilarity(flat, flat.map(() => 2), s.height, s.width)).toBe(1);
    expect(hogSimilarity(flat, s.a, s.height, s.width)).toBe(0);
  });

  it('rejects too-small or mismatched maps', () => {
    expect(() => hogSimilarity(new Float64Array(100), new Float64Array(100), 10, 10)).toThrow(/at least 24 x 24/);
    expect(() => hogSimilarity(new Float64Array(576), new Float64Array(575), 24, 24)).toThrow(/second map/);
  });
});
