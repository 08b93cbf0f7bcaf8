import { describe, expect, it } from 'vitest';
import { mapPixelAt, overlayRect } from '../../../src/shared/heatmap/overlay-rect';
import { inputToOriginal, placeInputOnOriginal } from '../../../src/shared/overlay-placement';

describe("overlayRect: where the inspector lays the map over the image's preview", () => {
  it('a 2048 px radiograph with a centre-cropping card (0.875): the map covers the crop, 128 px in, 32 px in a 512 px preview', () => {
    const rect = overlayRect({ width: 2048, height: 2048 }, { width: 512, height: 512 }, { width: 224, height: 224 }, { mode: 'center-crop', cropFraction: 0.875 });
    expect(rect).toEqual({ left: 32, top: 32, width: 448, height: 448 });
  });

  it('agrees with the shared mapping under the pointer: the map pixel at a point is the one the mapping puts there', () => {
    const image = { width: 640, height: 480 };
    const preview = { width: 320, height: 240 };
    const input = { width: 224, height: 224 };
    for (const resize of [{ mode: 'stretch' }, { mode: 'center-crop', cropFraction: 0.875 }, { mode: 'letterbox', fill: 0 }] as const) {
      const rect = overlayRect(image, preview, input, resize);
      const p = placeInputOnOriginal(image, input, resize);
      // The centre of input pixel (100, 50), in preview coordinates.
      const at = inputToOriginal(p, 100.5, 50.5);
      expect(mapPixelAt(rect, input, at.x / 2, at.y / 2)).toEqual({ u: 100, v: 50 });
    }
  });
});
