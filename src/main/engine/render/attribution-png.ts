import sharp from 'sharp';
import { LumenError } from '../../../shared/errors';
import { colorize } from '../../../shared/heatmap/colorize';
import { defaultColormap, getColormap, type ColormapId } from '../../../shared/heatmap/colormaps';
import { DEFAULT_PERCENTILE, displayRange, hasNegative, rangeForColormap, unitTransform, type NormaliseMode } from '../../../shared/heatmap/normalise';
import type { HeatMap } from '../../../shared/heatmap/reduce-channels';
import type { ResizePolicy } from '../../../shared/model-card';
import { displayImage, encodePng, overlayImage, type RgbImage } from '../report/render-images';
import { inspectImage } from '../image/image-source';

/**
 * The PNG that `lumen attribute --png` writes, drawn by the rules every door shares: the
 * colormaps (src/shared/heatmap/colormaps.ts), the display range (normalise.ts), the colour rule
 * (colorize.ts) and, for the overlay, the report's overlay (render-images.ts) with the mapping from
 * the model's input back to the original image (overlay-placement.ts).
 */
export interface PngStyle {
  colormap: ColormapId;
  mode: NormaliseMode;
  percentile: number;
  /** Alpha of the map over the image (overlay only). */
  opacity: number;
}

/** The inspector's and the report's overlay opacity. */
export const defaultOverlayOpacity = 0.6;

/**
 * The style for a map, defaults filled in: maps with negative values are drawn signed on a
 * diverging colormap (evidence for and against the class apart), the others as magnitudes on viridis.
 */
export function pngStyleFor(map: HeatMap, options: { colormap?: ColormapId | undefined; mode?: NormaliseMode | undefined; percentile?: number | undefined; opacity?: number | undefined } = {}): PngStyle {
  const mode = options.mode ?? (hasNegative(map.data) ? 'signed' : 'positive');
  return { mode, colormap: options.colormap ?? defaultColormap(mode === 'signed'), percentile: options.percentile ?? DEFAULT_PERCENTILE, opacity: options.opacity ?? defaultOverlayOpacity };
}

/** The map alone, one pixel per value (the model's input size), fully opaque. */
export async function bareHeatmapPng(map: HeatMap, style: PngStyle): Promise<Uint8Array> {
  const colormap = getColormap(style.colormap);
  const range = rangeForColormap(displayRange(map.data, { mode: style.mode, percentile: style.percentile }), colormap.kind);
  const finite = map.data.map((v) => (Number.isFinite(v) ? v : 0));
  const rgba = new Uint8Array(finite.length * 4);
  colorize(finite, { lut: colormap.lut, transform: unitTransform(range), opacity: 1 }, rgba);
  const rgb = new Uint8Array(finite.length * 3);
  for (let i = 0; i < finite.length; i++) rgb.set(rgba.subarray(i * 4, i * 4 + 3), i * 3);
  return encodePng({ data: rgb, width: map.width, height: map.height });
}

/**
 * The map laid over the original image: `base` is the image as drawn (the original at its own size,
 * or a smaller copy of it), `original` the original's size; the part the model saw (the card's crop
 * or letterbox undone) is blended at `style.opacity`, the rest left as it is.
 */
export async function overlayPng(
  base: RgbImage,
  original: { width: number; height: number },
  map: HeatMap,
  placement: { input: { width: number; height: number }; resize: ResizePolicy },
  style: PngStyle,
): Promise<Uint8Array> {
  const colormap = getColormap(style.colormap);
  const range = displayRange(map.data, { mode: style.mode, percentile: style.percentile });
  return encodePng(await overlayImage(base, original, map, placement, { colormap, range, opacity: style.opacity }));
}

/**
 * The original image at its own size, as the user sees it (EXIF rotation applied, 8-bit sRGB,
 * transparency on white). Null when sharp cannot decode the file (DICOM): the caller then uses the
 * engine's preview of the image.
 */
export async function originalImage(bytes: Uint8Array, name: string): Promise<RgbImage | null> {
  try {
    const source = await inspectImage(bytes, name);
    return await displayImage(source, Math.max(source.width, source.height));
  } catch (error) {
    if (error instanceof LumenError) return null;
    throw error;
  }
}

/** Raw RGB pixels of a PNG (the engine's image preview), for images sharp cannot decode itself. */
export async function decodePng(png: Uint8Array): Promise<RgbImage> {
  const { data, info } = await sharp(png).flatten({ background: '#ffffff' }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}
