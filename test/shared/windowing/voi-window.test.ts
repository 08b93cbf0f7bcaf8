import { describe, expect, it } from 'vitest';
import { fullRangeWindow, windowFunction, windowValues } from '../../../src/shared/windowing/voi-window';
import { windowPresets } from '../../../src/shared/windowing/window-presets';

describe('the VOI window (DICOM PS3.3 C.11.2.1.2)', () => {
  it('LINEAR: the standard example, centre 2048 width 4096 on 12-bit data', () => {
    const f = windowFunction({ center: 2048, width: 4096 });
    // x <= c - 0.5 - (w-1)/2 = 0 -> 0; x > c - 0.5 + (w-1)/2 = 4095 -> 1; linear between.
    expect(f(0)).toBe(0);
    expect(f(4095)).toBe(1);
    expect(f(4096)).toBe(1);
    expect(f(2047.5)).toBeCloseTo(0.5, 12);
    expect(f(1000)).toBeCloseTo((1000 - 2047.5) / 4095 + 0.5, 12);
  });

  it('LINEAR with width 1 is a threshold at centre - 0.5', () => {
    const f = windowFunction({ center: 100, width: 1 });
    expect([f(99), f(99.5), f(99.6), f(100), f(500)]).toEqual([0, 0, 1, 1, 1]);
  });

  it('LINEAR_EXACT and SIGMOID follow their formulas', () => {
    const exact = windowFunction({ center: 40, width: 400, fn: 'LINEAR_EXACT' });
    expect(exact(-160)).toBe(0);
    expect(exact(240)).toBe(1);
    expect(exact(90)).toBeCloseTo(50 / 400 + 0.5, 12);
    const sigmoid = windowFunction({ center: 40, width: 400, fn: 'SIGMOID' });
    expect(sigmoid(40)).toBeCloseTo(0.5, 12);
    expect(sigmoid(140)).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  it('the full-range window maps the smallest value to 0 and the largest to 1', () => {
    for (const [min, max] of [[-1024, 3071], [0, 255], [12.5, 13.25]] as const) {
      const f = windowFunction(fullRangeWindow(min, max));
      expect(f(min)).toBe(0);
      expect(f(max)).toBeCloseTo(1, 12);
      expect(f((min + max) / 2)).toBeCloseTo(0.5, 12);
    }
  });

  it('MONOCHROME1 turns round after the window: the smallest value is white', () => {
    const out = windowValues([-1000, 40, 1000], { center: 40, width: 400 }, true);
    expect(Array.from(out)).toEqual([1, 1 - Math.fround((40 - 39.5) / 399 + 0.5), 0].map(Math.fround));
  });

  it("the lung preset shows air dark and soft tissue bright, the brain preset separates grey from white matter", () => {
    const lung = windowFunction(windowPresets.lung);
    expect(lung(-1000)).toBeLessThan(0.25);
    expect(lung(200)).toBe(1); // the window ends at -600 + 750 = 150 HU
    const brain = windowFunction(windowPresets.brain);
    expect(brain(40) - brain(25)).toBeGreaterThan(0.15); // grey ~40 HU vs white ~25 HU
  });
});
