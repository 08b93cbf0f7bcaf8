import { occlusionStrideDefault, occlusionWindowDefault, scaledDefault, shorterSide } from '../../../../shared/methods/size-scaled-defaults';

/**
 * Occlusion's window and stride as run: the user's values, or 16 and 8 px at 224 px scaled with
 * the input's shorter side, so that a window covers the same share of the image (and the number of
 * forward passes stays about the same) on a 28 px or a 2048 px input.
 */
export function occlusionWindow(height: number, width: number, params: { window?: number | undefined; stride?: number | undefined }): { window: number; stride: number } {
  const side = shorterSide(height, width);
  return {
    window: params.window ?? scaledDefault(occlusionWindowDefault, side),
    stride: params.stride ?? scaledDefault(occlusionStrideDefault, side),
  };
}
