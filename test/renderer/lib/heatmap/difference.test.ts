import { describe, expect, it } from 'vitest';
import { difference } from '../../../../src/renderer/src/lib/heatmap/difference';

describe('difference', () => {
  it('subtracts the maps after normalising each by its own range', () => {
    // b is a scaled copy of a: once normalised they are equal and the difference is 0.
    const a = Float32Array.of(1, 2, 3, 4);
    const b = Float32Array.of(100, 200, 300, 400);
    const same = difference(a, b, { mode: 'absolute', percentile: 100 });
    expect(Array.from(same.data)).toEqual([0, 0, 0, 0]);
    expect(same.range).toEqual({ mode: 'signed', min: -1, max: 1 });
    expect(same.rangeA.max).toBe(4);
    expect(same.rangeB.max).toBe(400);
  });

  it('is positive where a says more than b, in [-1, 1] for magnitudes and [-2, 2] signed', () => {
    const a = Float32Array.of(4, 0, -4, 2);
    const b = Float32Array.of(0, 4, 4, 2);
    const abs = difference(a, b, { mode: 'absolute', percentile: 100 });
    expect(Array.from(abs.data)).toEqual([1, -1, 0, 0]);
    const signed = difference(a, b, { mode: 'signed', percentile: 100 });
    expect(Array.from(signed.data)).toEqual([1, -1, -2, 0]);
    expect(signed.range).toEqual({ mode: 'signed', min: -2, max: 2 });
    const positive = difference(a, b, { mode: 'positive', percentile: 100 });
    expect(Array.from(positive.data)).toEqual([1, -1, -1, 0]);
  });

  it('clips at the percentile and treats non-finite values as 0', () => {
    const a = Float32Array.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1000);
    const b = new Float32Array(10);
    const d = difference(a, b, { mode: 'absolute', percentile: 50 });
    expect(d.data[9]).toBe(1);
    expect(difference(Float32Array.of(NaN, 2), Float32Array.of(1, 1), { mode: 'absolute', percentile: 100 }).data[0]).toBe(-1);
  });

  it('rejects maps of different sizes', () => {
    expect(() => difference(new Float32Array(3), new Float32Array(4), { mode: 'absolute' })).toThrow(/3 and 4/);
  });
});
