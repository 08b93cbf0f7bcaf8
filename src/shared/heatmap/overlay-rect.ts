import type { ResizePolicy } from '../model-card';
import { mapRectInView, placeInputOnOriginal } from '../overlay-placement';

export interface OverlayRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where a map at the model's input size lies over the image as shown. The model saw a crop of the
 * image, resized (and, for letterboxing, placed with an offset in a padded canvas); the map covers
 * that canvas, so it is laid over the crop and stretched by the crop's scale. The result is in the
 * coordinates of the displayed preview (which may be a downscaled copy of the image). The mapping
 * itself is overlay-placement.ts's, shared with the report and the CLI.
 */
export function overlayRect(
  image: { width: number; height: number },
  preview: { width: number; height: number },
  input: { width: number; height: number },
  resize: ResizePolicy,
): OverlayRect {
  return mapRectInView(placeInputOnOriginal(image, input, resize), preview);
}

/** The map pixel under a point of the preview, or null outside the map. */
export function mapPixelAt(rect: OverlayRect, map: { width: number; height: number }, x: number, y: number): { u: number; v: number } | null {
  const u = Math.floor(((x - rect.left) / rect.width) * map.width);
  const v = Math.floor(((y - rect.top) / rect.height) * map.height);
  if (u < 0 || v < 0 || u >= map.width || v >= map.height) return null;
  return { u, v };
}
