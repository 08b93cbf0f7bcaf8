import { describe, expect, it } from 'vitest';
import { planGeometry } from '../../src/shared/image-geometry';

describe('planGeometry', () => {
  it('stretch resizes the whole image', () => {
    expect(planGeometry({ width: 640, height: 480 }, { width: 224, height: 224 }, { mode: 'stretch' })).toEqual({
      crop: { left: 0, top: 0, width: 640, height: 480 },
      resized: { width: 224, height: 224 },
      offset: { left: 0, top: 0 },
      target: { width: 224, height: 224 },
    });
  });

  it('center-crop takes the largest centred square of a landscape image', () => {
    const plan = planGeometry({ width: 451, height: 300 }, { width: 224, height: 224 }, { mode: 'center-crop', cropFraction: 1 });
    // (451 - 300) / 2 = 75.5, rounded to 76.
    expect(plan.crop).toEqual({ left: 76, top: 0, width: 300, height: 300 });
  });

  it('center-crop 0.875 is torchvision Resize(256) + CenterCrop(224)', () => {
    const plan = planGeometry({ width: 512, height: 600 }, { width: 224, height: 224 }, { mode: 'center-crop', cropFraction: 0.875 });
    // Largest square 512; 512 * 0.875 = 448; left (512 - 448) / 2 = 32; top (600 - 448) / 2 = 76.
    expect(plan.crop).toEqual({ left: 32, top: 76, width: 448, height: 448 });
  });

  it('center-crop keeps a non-square model aspect ratio', () => {
    const plan = planGeometry({ width: 1000, height: 1000 }, { width: 200, height: 100 }, { mode: 'center-crop', cropFraction: 1 });
    expect(plan.crop).toEqual({ left: 0, top: 250, width: 1000, height: 500 });
  });

  it('letterbox fits the image and centres it with padding', () => {
    const plan = planGeometry({ width: 400, height: 200 }, { width: 224, height: 224 }, { mode: 'letterbox', fill: 0 });
    expect(plan.resized).toEqual({ width: 224, height: 112 });
    expect(plan.offset).toEqual({ left: 0, top: 56 });
  });

  it('never produces an empty crop for a tiny image', () => {
    const plan = planGeometry({ width: 1, height: 1 }, { width: 224, height: 224 }, { mode: 'center-crop', cropFraction: 0.5 });
    expect(plan.crop).toEqual({ left: 0, top: 0, width: 1, height: 1 });
  });
});
