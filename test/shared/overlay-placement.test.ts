import { describe, expect, it } from 'vitest';
import type { ResizePolicy } from '../../src/shared/model-card';
import { boxToInput, inputToOriginal, mapOnOriginal, mapPixelsOnOriginal, mapRectInView, originalToInput, placeInputOnOriginal } from '../../src/shared/overlay-placement';

/** A 16 x 16 map that is 1 on input pixels u in [8, 12), v in [4, 8) and 0 elsewhere. */
function blockMap(): { data: Float32Array; width: number; height: number } {
  const data = new Float32Array(16 * 16);
  for (let v = 4; v < 8; v++) for (let u = 8; u < 12; u++) data[v * 16 + u] = 1;
  return { data, width: 16, height: 16 };
}

/** The bounding box of the original's pixels where the map is exactly 1 (nearest sampling). */
function ones(values: Float32Array, width: number): { x0: number; x1: number; y0: number; y1: number } {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  values.forEach((v, i) => {
    if (v !== 1) return;
    const x = i % width;
    const y = Math.floor(i / width);
    x0 = Math.min(x0, x); x1 = Math.max(x1, x + 1); y0 = Math.min(y0, y); y1 = Math.max(y1, y + 1);
  });
  return { x0, x1, y0, y1 };
}

const original = { width: 512, height: 384 };
const input = { width: 16, height: 16 };

// Worked by hand for a 512 x 384 image and a 16 x 16 input, block u 8..12, v 4..8:
// stretch: 32 x 24 original px per input px -> x [256, 384), y [96, 192).
// center-crop 0.875: square 384 * 0.875 = 336 at (88, 24), 21 px per input px -> x [256, 340), y [108, 192).
// letterbox: 32 px per input px, image rows 2..14 of the input -> x [256, 384), y [(4 - 2) * 32, (8 - 2) * 32) = [64, 192).
const cases: Array<[string, ResizePolicy, { x0: number; x1: number; y0: number; y1: number }]> = [
  ['stretch', { mode: 'stretch' }, { x0: 256, x1: 384, y0: 96, y1: 192 }],
  ['center-crop 0.875', { mode: 'center-crop', cropFraction: 0.875 }, { x0: 256, x1: 340, y0: 108, y1: 192 }],
  ['letterbox', { mode: 'letterbox', fill: 0 }, { x0: 256, x1: 384, y0: 64, y1: 192 }],
];

describe('overlay placement: a map at the input size laid over the original', () => {
  it.each(cases)('%s: a known input block lands on the right original pixels', (_, resize, expected) => {
    const p = placeInputOnOriginal(original, input, resize);
    expect(ones(mapOnOriginal(blockMap(), p, original, { smooth: false }), original.width)).toEqual(expected);
    // The corners of the block, mapped as points.
    expect(inputToOriginal(p, 8, 4)).toEqual({ x: expected.x0, y: expected.y0 });
    expect(inputToOriginal(p, 12, 8)).toEqual({ x: expected.x1, y: expected.y1 });
  });

  it('original -> input undoes input -> original', () => {
    for (const [, resize] of cases) {
      const p = placeInputOnOriginal({ width: 451, height: 300 }, { width: 224, height: 160 }, resize);
      const there = inputToOriginal(p, 17.25, 101.5);
      const back = originalToInput(p, there.x, there.y);
      expect(back.x).toBeCloseTo(17.25, 10);
      expect(back.y).toBeCloseTo(101.5, 10);
    }
  });

  it('the model saw nothing outside the crop and on the letterbox padding: NaN there', () => {
    const crop = mapOnOriginal(blockMap(), placeInputOnOriginal(original, input, { mode: 'center-crop', cropFraction: 0.875 }));
    // The crop is x [88, 424), y [24, 360).
    expect(crop[100 * 512 + 87]).toBeNaN();
    expect(crop[100 * 512 + 88]).not.toBeNaN();
    expect(crop[23 * 512 + 200]).toBeNaN();
    expect(crop[360 * 512 + 200]).toBeNaN();
    expect(crop[359 * 512 + 200]).not.toBeNaN();
    // Letterbox into a square input: a 384 x 512 portrait image fills the input's middle columns,
    // so the whole image is covered and nothing is NaN.
    const portrait = mapOnOriginal(blockMap(), placeInputOnOriginal({ width: 384, height: 512 }, input, { mode: 'letterbox', fill: 0 }));
    expect(portrait.some(Number.isNaN)).toBe(false);
  });

  it('bilinear sampling interpolates between map pixel centres and holds the edges', () => {
    // A 2 x 1 map [0, 1] stretched over 8 x 1: centres at x = 2 and 6 (0-based pixel centres 1.5 and 5.5).
    const p = placeInputOnOriginal({ width: 8, height: 1 }, { width: 2, height: 1 }, { mode: 'stretch' });
    const out = mapOnOriginal({ data: [0, 1], width: 2, height: 1 }, p);
    expect([...out]).toEqual([0, 0, 0.125, 0.375, 0.625, 0.875, 1, 1]);
  });

  it('a map coarser than the input (a layer) is spread over the same area', () => {
    const p = placeInputOnOriginal(original, input, { mode: 'center-crop', cropFraction: 0.875 });
    const coarse = { data: new Float32Array(4 * 4), width: 4, height: 4 };
    coarse.data[1 * 4 + 2] = 1; // input block u 8..12, v 4..8 again
    expect(ones(mapOnOriginal(coarse, p, original, { smooth: false }), 512)).toEqual({ x0: 256, x1: 340, y0: 108, y1: 192 });
  });

  it('a downscaled view gets the same rectangle, scaled', () => {
    const p = placeInputOnOriginal({ width: 2048, height: 2048 }, { width: 224, height: 224 }, { mode: 'center-crop', cropFraction: 0.875 });
    // 2048 * 0.875 = 1792 at 128: the map is 128 px in from each side, 32 px in an 512 px view.
    expect(mapRectInView(p)).toEqual({ left: 128, top: 128, width: 1792, height: 1792 });
    expect(mapRectInView(p, { width: 512, height: 512 })).toEqual({ left: 32, top: 32, width: 448, height: 448 });
  });
});

describe('mapPixelsOnOriginal', () => {
  it('agrees with nearest sampling and marks what the model did not see', () => {
    const map = blockMap();
    map.data.forEach((_, i) => (map.data[i] = i));
    for (const [, resize] of cases) {
      const p = placeInputOnOriginal(original, input, resize);
      const view = { width: 200, height: 150 };
      const index = mapPixelsOnOriginal(map, p, view);
      const values = mapOnOriginal(map, p, view, { smooth: false });
      expect([...values]).toEqual([...index].map((k) => (k < 0 ? Number.NaN : k)));
      expect(index.some((k) => k < 0)).toBe(resize.mode === 'center-crop');
    }
  });
});

describe('boxToInput', () => {
  it('maps a box on the original to input pixels by the same placement (centre crop 0.875 of 512 x 384 into 16 x 16)', () => {
    const p = placeInputOnOriginal(original, input, { mode: 'center-crop', cropFraction: 0.875 });
    // The crop is x [88, 424), y [24, 360) at 21 px per input pixel.
    expect(boxToInput(p, { x0: 256, y0: 108, x1: 340, y1: 192 })).toEqual({ x0: 8, y0: 4, x1: 12, y1: 8 });
    expect(boxToInput(p, { x0: 0, y0: 0, x1: 88, y1: 24 })).toEqual({ x0: -88 / 21, y0: -24 / 21, x1: 0, y1: 0 });
  });
});
