import { describe, expect, it } from 'vitest';
import {
  describeScaling,
  occlusionStrideDefault,
  occlusionWindowDefault,
  scaledDefault,
  xraiDilationDefault,
  xraiMinPixelDiffDefault,
  xraiMinSegmentDefault,
} from '../../../src/shared/methods/size-scaled-defaults';

describe('pixel defaults scaled with the input, relative to 224 px', () => {
  it('are the reference libraries’ own values at 224 px', () => {
    expect([occlusionWindowDefault, occlusionStrideDefault, xraiDilationDefault, xraiMinPixelDiffDefault, xraiMinSegmentDefault].map((r) => scaledDefault(r, 224))).toEqual([16, 8, 5, 50, 150]);
  });

  it('shrink on a 28 px input, kept above their minimums', () => {
    // 28 / 224 = 1/8: window 16/8 = 2, stride 1, radius 5/8 -> 1, areas 50/64 -> 1 and 150/64 -> 2.
    expect([occlusionWindowDefault, occlusionStrideDefault, xraiDilationDefault, xraiMinPixelDiffDefault, xraiMinSegmentDefault].map((r) => scaledDefault(r, 28))).toEqual([2, 1, 1, 1, 2]);
    // Smaller still, the minimums hold.
    expect([occlusionWindowDefault, occlusionStrideDefault, xraiDilationDefault, xraiMinPixelDiffDefault].map((r) => scaledDefault(r, 4))).toEqual([2, 1, 1, 1]);
  });

  it('grow on a 2048 px input: lengths with the side, areas with its square, capped where the parameter is', () => {
    // 2048 / 224 = 9.142857: 16 x -> 146.3, 8 x -> 73.1, 5 x -> 45.7; 50 x 83.59 -> 4179.6, 150 x 83.59 -> 12538.8.
    expect([occlusionWindowDefault, occlusionStrideDefault, xraiDilationDefault, xraiMinPixelDiffDefault, xraiMinSegmentDefault].map((r) => scaledDefault(r, 2048))).toEqual([146, 73, 46, 4180, 12539]);
    expect(scaledDefault(xraiDilationDefault, 4096)).toBe(64);
  });

  it('say so in the parameter help', () => {
    expect(describeScaling(occlusionWindowDefault, 'px')).toBe(
      "Default: 16 px at a 224 px input, scaled with the input's shorter side (16 × side / 224, rounded, at least 2); a value you give is used as given.",
    );
    expect(describeScaling(xraiMinPixelDiffDefault, 'pixels')).toContain('50 × (side / 224)²');
  });
});
