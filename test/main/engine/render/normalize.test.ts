import { describe, expect, it } from 'vitest';
import { normalizeMap, percentileOf } from '../../../../src/main/engine/render/normalize';
import { LumenError } from '../../../../src/shared/errors';

/** k / 3 for k = -18..18 in a scrambled order: |v| sorted is 0, 1/3, 1/3, 2/3, 2/3, ..., 6, 6. */
const thirds = new Float32Array(Array.from({ length: 37 }, (_, i) => (((i * 7) % 37) - 18) / 3));

function expectClose(actual: ArrayLike<number>, expected: number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
}

describe('percentileOf', () => {
  it('matches numpy.percentile (linear interpolation)', () => {
    // numpy.percentile(numpy.arange(1, 201), 99.5) == 199.005
    expect(percentileOf(new Float32Array(Array.from({ length: 200 }, (_, i) => i + 1)), 99.5)).toBeCloseTo(199.005, 9);
    // numpy.percentile(abs(thirds), 90) == 5.4666...: position 32.4 between 16/3 and 17/3.
    expect(percentileOf(thirds.map(Math.abs), 90)).toBeCloseTo(16 / 3 + 0.4 / 3, 6);
    expect(percentileOf(new Float32Array([3, 1, 2]), 100)).toBe(3);
    expect(percentileOf(new Float32Array([3, 1, 2]), 50)).toBe(2);
    expect(percentileOf(new Float32Array(0), 50)).toBe(0);
  });

  it('does not reorder its input', () => {
    const values = new Float32Array([3, 1, 2]);
    percentileOf(values, 50);
    expect(Array.from(values)).toEqual([3, 1, 2]);
  });
});

describe('normalizeMap', () => {
  it('signed: divides by the percentile of |v| and clips to [-1, 1]', () => {
    const r = normalizeMap(new Float32Array([-4, -1, 0, 2, 8]), { mode: 'signed', percentile: 50 });
    expect(r.scale).toBe(2); // median of 4, 1, 0, 2, 8
    expect(r.mode).toBe('signed');
    expectClose(r.values, [-1, -0.5, 0, 1, 1]);
    expect(r.nonFinite).toBe(0);
  });

  it('signed with the default 99.5th percentile', () => {
    const r = normalizeMap(thirds, { mode: 'signed' });
    // Position 0.995 * 36 = 35.82 lies between the two sixes.
    expect(r.scale).toBeCloseTo(6, 6);
    expect(Math.min(...r.values)).toBeCloseTo(-1, 6);
    expect(Math.max(...r.values)).toBeCloseTo(1, 6);
    expect(r.values[0]).toBeCloseTo(thirds[0]! / 6, 6);
  });

  it('absolute: |v| / percentile in [0, 1]', () => {
    const r = normalizeMap(new Float32Array([-4, -1, 0, 2, 8]), { mode: 'absolute', percentile: 100 });
    expect(r.scale).toBe(8);
    expectClose(r.values, [0.5, 0.125, 0, 0.25, 1]);
  });

  it('positive: negatives become 0, the percentile is over max(v, 0)', () => {
    const r = normalizeMap(new Float32Array([-8, -1, 1, 2, 4]), { mode: 'positive', percentile: 75 });
    expect(r.scale).toBe(2); // max(v, 0) = 0, 0, 1, 2, 4; position 3 -> 2
    expectClose(r.values, [0, 0, 0.5, 1, 1]);
  });

  it('an all-zero map gives zeros and scale 0, never NaN', () => {
    for (const mode of ['signed', 'absolute', 'positive'] as const) {
      const r = normalizeMap(new Float32Array(16), { mode });
      expect(r.scale).toBe(0);
      expect(Array.from(r.values)).toEqual(new Array(16).fill(0));
    }
    // Negative-only map in positive mode: nothing to show.
    expect(Array.from(normalizeMap(new Float32Array([-1, -2]), { mode: 'positive' }).values)).toEqual([0, 0]);
  });

  it('a map that is zero almost everywhere falls back to its maximum', () => {
    const map = new Float32Array(1000);
    map[10] = -3;
    const r = normalizeMap(map, { mode: 'signed' });
    expect(r.scale).toBe(3);
    expect(r.values[10]).toBe(-1);
  });

  it('counts NaN and infinities and treats them as 0', () => {
    const r = normalizeMap([1, NaN, -2, Infinity, -Infinity, 4], { mode: 'signed', percentile: 100 });
    expect(r.nonFinite).toBe(3);
    expect(r.scale).toBe(4);
    expectClose(r.values, [0.25, 0, -0.5, 0, 0, 1]);
  });

  it('an empty map is empty', () => {
    expect(normalizeMap(new Float32Array(0), { mode: 'absolute' })).toEqual({ values: new Float32Array(0), scale: 0, mode: 'absolute', nonFinite: 0 });
  });

  it.each([0, -1, 100.5, NaN])('refuses percentile %s', (percentile) => {
    expect(() => normalizeMap(new Float32Array(4), { mode: 'signed', percentile })).toThrow(LumenError);
  });
});
