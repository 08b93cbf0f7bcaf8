import { scaledDefault, shorterSide, xraiDilationDefault, xraiMinPixelDiffDefault, xraiMinSegmentDefault } from '../../../../shared/methods/size-scaled-defaults';

/** XRAI's sizes in pixels, as run: the user's values, or PAIR saliency's scaled to this input. */
export interface XraiPixelSizes {
  dilationRadius: number;
  minPixelDiff: number;
  /** Felzenszwalb's smallest segment, in pixels of the image segmented. */
  minSize: number;
}

/**
 * PAIR saliency dilates by 5 px and skips regions adding under 50 px at the input size, and
 * segments a 224 px copy with segments of at least 150 px: sizes that only mean the same on other
 * inputs when scaled with them (size-scaled-defaults.ts). Explicit values are kept.
 */
export function xraiPixelSizes(
  height: number,
  width: number,
  params: { dilationRadius?: number | undefined; minPixelDiff?: number | undefined; minSize?: number | undefined; segmentationSize: number },
): XraiPixelSizes {
  const side = shorterSide(height, width);
  const segmentedSide = params.segmentationSize > 0 ? params.segmentationSize : side;
  return {
    dilationRadius: params.dilationRadius ?? scaledDefault(xraiDilationDefault, side),
    minPixelDiff: params.minPixelDiff ?? scaledDefault(xraiMinPixelDiffDefault, side),
    minSize: params.minSize ?? scaledDefault(xraiMinSegmentDefault, segmentedSide),
  };
}
