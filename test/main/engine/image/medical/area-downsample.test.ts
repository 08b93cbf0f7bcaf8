import { describe, expect, it } from 'vitest';
import { areaDownsample, previewSize } from '../../../../../src/main/engine/image/medical/area-downsample';

describe('areaDownsample', () => {
  it('by a whole factor: the mean of each block', () => {
    // 4 x 2 -> 2 x 1: blocks [1 2 / 5 6] and [3 4 / 7 8].
    expect(Array.from(areaDownsample([1, 2, 3, 4, 5, 6, 7, 8], 4, 2, 2, 1))).toEqual([3.5, 5.5]);
  });

  it('by a fractional factor: covered parts weighted by area, the image mean kept', () => {
    // 3 -> 2 in x: output 0 covers pixel 0 and half of pixel 1, output 1 the other half and pixel 2.
    expect(Array.from(areaDownsample([0, 30, 90], 3, 1, 2, 1))).toEqual([10, 70]);
    const values = Array.from({ length: 37 * 23 }, (_, i) => Math.sin(i) * 1000 - 200);
    const out = areaDownsample(values, 37, 23, 10, 7);
    const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(values), 3);
  });

  it('at the same size: the values themselves', () => {
    expect(Array.from(areaDownsample([-1024, 0, 3071, 12], 2, 2, 2, 2))).toEqual([-1024, 0, 3071, 12]);
  });
});

describe('previewSize', () => {
  it('fits the longer side into the limit and never enlarges', () => {
    expect(previewSize(2048, 1536, 1024)).toEqual({ width: 1024, height: 768 });
    expect(previewSize(3000, 1000, 1024)).toEqual({ width: 1024, height: 341 });
    expect(previewSize(128, 64, 1024)).toEqual({ width: 128, height: 64 });
  });
});
