import { describe, expect, it } from 'vitest';
import {
  boxesToMask,
  checkMask,
  energyPointingGame,
  pointingGame,
  relevanceMassAccuracy,
  relevanceRankAccuracy,
  topFractionIoU,
  topKIntersection,
} from '../../../../../src/main/engine/metrics/functions/localisation';
import { Rng } from '../../../../../src/main/engine/random/rng';

/** A mask from rows of '#' (inside) and '.' (outside). */
function maskOf(...rows: string[]): Uint8Array {
  return Uint8Array.from(rows.join('').split(''), (ch) => (ch === '#' ? 1 : 0));
}

/** Seeded uniform values in [0, 1), from the engine's own generator. */
function random(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => rng.uniform());
}

describe('boxesToMask', () => {
  it('fills integer boxes with x1 and y1 exclusive', () => {
    expect(boxesToMask([{ x0: 1, y0: 2, x1: 4, y1: 3 }], 4, 5)).toEqual(maskOf('.....', '.....', '.###.', '.....'));
  });

  it('takes every pixel a fractional box touches, and the union of several boxes', () => {
    const mask = boxesToMask(
      [
        { x0: 0.5, y0: 0.5, x1: 1.2, y1: 1 },
        { x0: 3, y0: 2, x1: 5, y1: 4 },
      ],
      4,
      5,
    );
    expect(mask).toEqual(maskOf('##...', '.....', '...##', '...##'));
  });

  it('clips boxes partly outside the image', () => {
    expect(boxesToMask([{ x0: -3, y0: -1, x1: 2, y1: 1 }], 3, 4)).toEqual(maskOf('##..', '....', '....'));
    expect(boxesToMask([{ x0: -10, y0: -10, x1: 100, y1: 100 }], 2, 2)).toEqual(maskOf('##', '##'));
  });

  it('rejects boxes outside the image, naming the box and the image size', () => {
    expect(() => boxesToMask([{ x0: 0, y0: 0, x1: 2, y1: 2 }, { x0: 5, y0: 0, x1: 8, y1: 2 }], 4, 5)).toThrow(/Box 1 \(x 5 to 8, y 0 to 2\) lies outside the 5 x 4 \(width x height\) image/);
    expect(() => boxesToMask([{ x0: 0, y0: -3, x1: 2, y1: 0 }], 4, 5)).toThrow(/Box 0 .* lies outside/);
  });

  it('rejects empty, inverted and non-finite boxes, an empty list and a bad size', () => {
    expect(() => boxesToMask([{ x0: 2, y0: 0, x1: 2, y1: 3 }], 4, 5)).toThrow(/Box 0 is empty/);
    expect(() => boxesToMask([{ x0: 0, y0: 0, x1: 1, y1: 1 }, { x0: 0, y0: 3, x1: 2, y1: 1 }], 4, 5)).toThrow(/Box 1 is empty/);
    expect(() => boxesToMask([{ x0: 0, y0: 0, x1: Number.NaN, y1: 1 }], 4, 5)).toThrow(/Box 0 has a non-finite x1/);
    expect(() => boxesToMask([{ x0: 0, y0: 0, x1: 1, y1: Number.POSITIVE_INFINITY }], 4, 5)).toThrow(/non-finite y1/);
    expect(() => boxesToMask([], 4, 5)).toThrow(/No boxes/);
    expect(() => boxesToMask([{ x0: 0, y0: 0, x1: 1, y1: 1 }], 0, 5)).toThrow(/size/);
    expect(() => boxesToMask([{ x0: 0, y0: 0, x1: 1, y1: 1 }], 2.5, 5)).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });
});

describe('checkMask', () => {
  it('returns the number of pixels inside', () => {
    expect(checkMask(maskOf('#.', '##'), 2, 2)).toBe(3);
  });

  it('rejects a wrong size, an empty mask and values other than 0 and 1', () => {
    expect(() => checkMask(maskOf('#.', '##'), 3, 2)).toThrow(/has 4 pixels, but a 2 x 3 \(width x height\) map has 6/);
    expect(() => checkMask(new Uint8Array(6), 2, 3)).toThrow(/mask is empty/);
    expect(() => checkMask(Uint8Array.from([0, 1, 255, 0]), 2, 2)).toThrow(/holds 255 at pixel 2/);
  });
});

describe('pointingGame', () => {
  const mask = maskOf('....', '.##.', '.##.', '....');

  it('hits when the maximum lies in the mask and misses otherwise', () => {
    const map = new Float64Array(16);
    map[5] = 1;
    expect(pointingGame(map, mask)).toBe(1);
    map[0] = 2;
    expect(pointingGame(map, mask)).toBe(0);
  });

  it('uses signed values, as Quantus (abs=False)', () => {
    const map = new Float64Array(16).fill(-1);
    map[0] = -5; // largest magnitude, but not the maximum
    map[6] = 0.5;
    expect(pointingGame(map, mask)).toBe(1);
  });

  it('counts a hit when any of several tied maxima lies in the mask (Quantus)', () => {
    const map = new Float64Array(16);
    map[0] = 3;
    map[10] = 3;
    expect(pointingGame(map, mask)).toBe(1);
    expect(pointingGame(new Float64Array(16).fill(0.4), mask)).toBe(1);
  });

  it('scores the all-zero map as a miss', () => {
    expect(pointingGame(new Float64Array(16), mask)).toBe(0);
  });

  it('weights a hit by 1 - |mask| / pixels when asked', () => {
    const map = new Float64Array(16);
    map[9] = 1;
    expect(pointingGame(map, mask, { weighted: true })).toBe(1 - 4 / 16);
  });

  it('accepts maxima within the tolerance (Euclidean distance) of the mask', () => {
    const small = maskOf('#....', '.....', '.....');
    const map = new Float64Array(15);
    map[2 * 5 + 2] = 1; // (row 2, col 2): distance sqrt(8) ~ 2.83 from (0, 0)
    expect(pointingGame(map, small, { width: 5 })).toBe(0);
    expect(pointingGame(map, small, { width: 5, tolerance: 2.8 })).toBe(0);
    expect(pointingGame(map, small, { width: 5, tolerance: 2.9 })).toBe(1);
    const edge = new Float64Array(15);
    edge[4] = 1; // (row 0, col 4): distance 4 along the row
    expect(pointingGame(edge, small, { width: 5, tolerance: 3.99 })).toBe(0);
    expect(pointingGame(edge, small, { width: 5, tolerance: 4 })).toBe(1);
  });

  it('rejects a tolerance without a width, or a negative tolerance', () => {
    const map = new Float64Array(16);
    expect(() => pointingGame(map, mask, { tolerance: 2 })).toThrow(/width/);
    expect(() => pointingGame(map, mask, { tolerance: 2, width: 3 })).toThrow(/width/);
    expect(() => pointingGame(map, mask, { tolerance: -1 })).toThrow(/tolerance/);
  });
});

describe('energyPointingGame', () => {
  it('is the share of |a| inside the mask (Quantus AttributionLocalisation, abs=True)', () => {
    // |a| = [1, 2, 3, 0]; inside = 1 + 2 = 3 of 6.
    expect(energyPointingGame([1, -2, 3, 0], Uint8Array.from([1, 1, 0, 0]))).toBe(0.5);
    expect(energyPointingGame([0, 0, 4, 0], Uint8Array.from([0, 0, 1, 0]))).toBe(1);
  });

  it('is 0 for the all-zero map', () => {
    expect(energyPointingGame([0, 0, 0], Uint8Array.from([0, 1, 0]))).toBe(0);
  });
});

describe('topKIntersection', () => {
  const map = [5, 4, 3, 2, 1, 0];
  const mask = Uint8Array.from([1, 0, 1, 0, 0, 0]);

  it('is |top k ∩ mask| / k', () => {
    expect(topKIntersection(map, mask, 1)).toBe(1);
    expect(topKIntersection(map, mask, 2)).toBe(0.5);
    expect(topKIntersection(map, mask, 3)).toBeCloseTo(2 / 3, 15);
    expect(topKIntersection(map, mask, 6)).toBeCloseTo(2 / 6, 15);
  });

  it('scales by pixels / |mask| with concept influence', () => {
    expect(topKIntersection(map, mask, 2, { conceptInfluence: true })).toBe((6 / 2) * 0.5);
  });

  it('shares the slots among pixels tied at the k-th value', () => {
    // Four tied pixels, one in the mask, two slots: expected hits 2 · 1/4.
    expect(topKIntersection([1, 1, 1, 1], Uint8Array.from([1, 0, 0, 0]), 2)).toBe(0.25);
    // 9 is above the cut-off, the tie at 5 shares one slot among three pixels, two of them inside.
    expect(topKIntersection([5, 9, 5, 5], Uint8Array.from([1, 0, 1, 0]), 2)).toBeCloseTo((0 + 2 / 3) / 2, 15);
  });

  it('agrees with a plain sort when there are no ties', () => {
    const values = random(400, 7);
    const inside = Uint8Array.from(random(400, 8), (v) => (v < 0.3 ? 1 : 0));
    const order = Array.from(values.keys()).sort((a, b) => values[b]! - values[a]!);
    for (const k of [1, 10, 57, 200, 400]) {
      const hits = order.slice(0, k).filter((i) => inside[i] === 1).length;
      expect(topKIntersection(values, inside, k)).toBeCloseTo(hits / k, 14);
    }
  });

  it('rejects k outside 1..pixels', () => {
    expect(() => topKIntersection(map, mask, 0)).toThrow(/k must be a whole number of pixels from 1 to 6; got 0/);
    expect(() => topKIntersection(map, mask, 7)).toThrow(/got 7/);
    expect(() => topKIntersection(map, mask, 1.5)).toThrow(/got 1.5/);
  });
});

describe('topFractionIoU', () => {
  const map = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
  const mask = Uint8Array.from([1, 1, 0, 0, 0, 1, 1, 0, 0, 0]);

  it('matches a hand computation', () => {
    // Top 30% = pixels 0, 1, 2; mask = 0, 1, 5, 6: I = 2, U = 3 + 4 - 2 = 5.
    expect(topFractionIoU(map, mask, 0.3)).toBe(0.4);
    // Top 100%: I = 4, U = 10.
    expect(topFractionIoU(map, mask, 1)).toBe(0.4);
    // A tiny fraction still takes one pixel: I = 1, U = 4.
    expect(topFractionIoU(map, mask, 0.001)).toBe(0.25);
    // The top 40% exactly the mask's size but half of it: I = 2, U = 6.
    expect(topFractionIoU(map, mask, 0.4)).toBeCloseTo(2 / 6, 15);
  });

  it('is 1 when the top pixels are the mask', () => {
    expect(topFractionIoU([0, 3, 2, 0], Uint8Array.from([0, 1, 1, 0]), 0.5)).toBe(1);
  });

  it('rejects a fraction outside (0, 1]', () => {
    expect(() => topFractionIoU(map, mask, 0)).toThrow(/fraction must be in \(0, 1\]; got 0/);
    expect(() => topFractionIoU(map, mask, 1.5)).toThrow(/got 1.5/);
    expect(() => topFractionIoU(map, mask, Number.NaN)).toThrow(/got NaN/);
  });
});

describe('relevanceMassAccuracy', () => {
  it('is sum inside / sum of the values as given (Quantus, abs=False)', () => {
    expect(relevanceMassAccuracy([1, 2, 3, 4], Uint8Array.from([0, 1, 1, 0]))).toBe(0.5);
    expect(relevanceMassAccuracy([2, -1, 1], Uint8Array.from([1, 0, 0]))).toBe(1);
    expect(relevanceMassAccuracy([-1, 3], Uint8Array.from([1, 0]))).toBe(-0.5);
  });

  it('is 0 for the all-zero map and rejects a total that cancels to 0', () => {
    expect(relevanceMassAccuracy([0, 0], Uint8Array.from([1, 0]))).toBe(0);
    expect(() => relevanceMassAccuracy([1, -1], Uint8Array.from([1, 0]))).toThrow(/cancel to a total of 0/);
  });
});

describe('relevanceRankAccuracy', () => {
  it('is the fraction of the |mask| highest pixels inside the mask', () => {
    // |mask| = 3; top 3 = pixels 0, 1, 2; inside: 0 and 2.
    expect(relevanceRankAccuracy([5, 4, 3, 2, 1, 0], Uint8Array.from([1, 0, 1, 0, 0, 1]))).toBeCloseTo(2 / 3, 15);
    expect(relevanceRankAccuracy([0, 0, 7, 8], Uint8Array.from([0, 0, 1, 1]))).toBe(1);
    expect(relevanceRankAccuracy([9, 8, 0, 1], Uint8Array.from([0, 0, 1, 1]))).toBe(0);
  });

  it('gives a constant or all-zero map the chance level |mask| / pixels', () => {
    const mask = Uint8Array.from([1, 0, 0, 1, 0, 0, 0, 0]);
    expect(relevanceRankAccuracy(new Float64Array(8), mask)).toBe(2 / 8);
    expect(relevanceRankAccuracy(new Float64Array(8).fill(-2), mask)).toBe(2 / 8);
  });
});

describe('bad inputs shared by the localisation metrics', () => {
  const metrics: Array<[string, (map: ArrayLike<number>, mask: Uint8Array) => number]> = [
    ['pointingGame', (m, s) => pointingGame(m, s)],
    ['energyPointingGame', energyPointingGame],
    ['topKIntersection', (m, s) => topKIntersection(m, s, 1)],
    ['topFractionIoU', (m, s) => topFractionIoU(m, s, 0.5)],
    ['relevanceMassAccuracy', relevanceMassAccuracy],
    ['relevanceRankAccuracy', relevanceRankAccuracy],
  ];

  it.each(metrics)('%s rejects a map and mask of different sizes', (_name, metric) => {
    expect(() => metric([1, 2, 3], Uint8Array.from([1, 0]))).toThrow(/map has 3 values but the mask has 2/);
  });

  it.each(metrics)('%s rejects NaN and infinities in the map', (_name, metric) => {
    expect(() => metric([1, Number.NaN], Uint8Array.from([1, 0]))).toThrow(/NaN at element 1/);
    expect(() => metric([Number.NEGATIVE_INFINITY, 1], Uint8Array.from([1, 0]))).toThrow(/infinite value at element 0/);
  });

  it.each(metrics)('%s rejects an empty ground truth', (_name, metric) => {
    expect(() => metric([1, 2], Uint8Array.from([0, 0]))).toThrow(expect.objectContaining({ code: 'invalid-argument', message: expect.stringMatching(/mask is empty/) }));
  });

  it.each(metrics)('%s rejects a mask with values other than 0 and 1', (_name, metric) => {
    expect(() => metric([1, 2], Uint8Array.from([2, 0]))).toThrow(/holds 2 at pixel 0/);
  });

  it.each(metrics)('%s rejects an empty map', (_name, metric) => {
    expect(() => metric([], new Uint8Array(0))).toThrow(/map is empty/);
  });
});
