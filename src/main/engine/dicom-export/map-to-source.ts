import { mapPixelAt, overlayRect } from '../../../shared/heatmap/overlay-rect';
import type { ResizePolicy } from '../../../shared/model-card';

/**
 * A mask over the model's input (one value per input pixel) carried to the original image's
 * pixels through the card's geometry (crop, resize, letterbox; the same placement the overlay
 * uses): each original pixel takes the value of the input pixel it was sampled into, and pixels
 * the model never saw (cropped away) are outside the mask.
 */
export function maskOnSource(
  inside: (index: number) => boolean,
  input: { width: number; height: number },
  original: { width: number; height: number },
  resize: ResizePolicy,
): Uint8Array {
  const rect = overlayRect(original, original, input, resize);
  const out = new Uint8Array(original.width * original.height);
  for (let y = 0; y < original.height; y++) {
    for (let x = 0; x < original.width; x++) {
      const at = mapPixelAt(rect, input, x + 0.5, y + 0.5);
      if (at && inside(at.v * input.width + at.u)) out[y * original.width + x] = 1;
    }
  }
  return out;
}
