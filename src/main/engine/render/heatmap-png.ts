import sharp from 'sharp';
import { z } from 'zod';
import { LumenError } from '../../../shared/errors';
import { lookupTable, type ColormapName } from './colormaps';
import { normalizeMap, type NormalizedMap, type NormalizeOptions } from './normalize';

/**
 * Ways to turn per-channel pixel attributions into one value per pixel:
 * - `sum`: signed sum over channels (Captum's visualisation default; keeps the sign).
 * - `sum-abs`: sum of |v| (PAIR saliency's grayscale visualisation).
 * - `max-abs`: largest |v| over channels (Simonyan et al.'s saliency maps).
 * - `l2`: Euclidean norm over channels.
 */
export const channelReductions = ['sum', 'sum-abs', 'max-abs', 'l2'] as const;
export const ChannelReduction = z.enum(channelReductions);
export type ChannelReduction = z.infer<typeof ChannelReduction>;

/**
 * Reduces a channel-first attribution, shape [1, C, H, W] or [C, H, W], to an [H, W] map
 * (row-major). Attributions of an NHWC model must be transposed to channel-first before.
 */
export function channelReduce(data: Float32Array, shape: readonly number[], how: ChannelReduction): Float32Array {
  const chw = shape.length === 4 && shape[0] === 1 ? shape.slice(1) : shape;
  const valid = chw.length === 3 && chw.every((d) => Number.isSafeInteger(d) && d > 0);
  const [C, H, W] = valid ? (chw as [number, number, number]) : [0, 0, 0];
  if (!valid || C * H * W !== data.length) {
    throw new LumenError(
      'invalid-argument',
      `Cannot reduce channels of an attribution with shape [${shape.join(', ')}] and ${data.length} values.`,
      'Pass a channel-first attribution of shape [1, C, H, W] or [C, H, W] whose size matches its data.',
    );
  }
  const plane = H * W;
  const out = new Float32Array(plane);
  for (let i = 0; i < plane; i++) {
    let acc = 0;
    for (let c = 0; c < C; c++) {
      const v = data[c * plane + i]!;
      if (how === 'sum') acc += v;
      else if (how === 'sum-abs') acc += Math.abs(v);
      else if (how === 'max-abs') acc = Math.max(acc, Math.abs(v));
      else acc += v * v;
    }
    out[i] = how === 'l2' ? Math.sqrt(acc) : acc;
  }
  return out;
}

export interface HeatmapOptions extends NormalizeOptions {
  /** Defaults to `diverging` for signed maps and `sequential` otherwise. */
  colormap?: ColormapName;
}

export interface OverlayOptions extends HeatmapOptions {
  /** Weight of the heatmap over the image: 0 shows only the image, 1 only the heatmap. */
  opacity: number;
}

/** 8-bit RGB pixels, interleaved, row-major. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Normalises the map and looks every value up in the colour map: RGB interleaved, one triple per
 * value. A diverging map always puts zero at its white centre (so unsigned maps use its red half);
 * the other maps span [-1, 1] for signed maps and [0, 1] otherwise.
 */
export function colorizeMap(map: ArrayLike<number>, options: HeatmapOptions): { rgb: Uint8Array; normalized: NormalizedMap } {
  const normalized = normalizeMap(map, options);
  const colormap = options.colormap ?? (options.mode === 'signed' ? 'diverging' : 'sequential');
  const table = lookupTable(colormap);
  const centred = colormap === 'diverging' || options.mode === 'signed';
  const { values } = normalized;
  const rgb = new Uint8Array(values.length * 3);
  for (let i = 0; i < values.length; i++) {
    const t = centred ? (values[i]! + 1) / 2 : values[i]!;
    const entry = Math.round(t * 255) * 3;
    rgb[i * 3] = table[entry]!;
    rgb[i * 3 + 1] = table[entry + 1]!;
    rgb[i * 3 + 2] = table[entry + 2]!;
  }
  return { rgb, normalized };
}

/** The map ([height, width], row-major) as a colour PNG, one pixel per value. */
export async function renderHeatmapPng(map: Float32Array, width: number, height: number, options: HeatmapOptions): Promise<Uint8Array> {
  checkMapSize(map, width, height);
  return encodePng(colorizeMap(map, options).rgb, width, height);
}

/**
 * The colour map blended over the image, at the map's size: the image is resized (stretched) to
 * the map when their sizes differ, so pass the part of the image the map covers (the model's
 * crop), not a differently framed original.
 */
export async function renderOverlayPng(map: Float32Array, width: number, height: number, image: RgbImage, options: OverlayOptions): Promise<Uint8Array> {
  checkMapSize(map, width, height);
  const { opacity } = options;
  if (!(opacity >= 0 && opacity <= 1)) {
    throw new LumenError('invalid-argument', `The overlay opacity must be between 0 and 1, not ${opacity}.`, 'Use 0.5 to see the image and the heatmap equally.');
  }
  if (!(isSize(image.width) && isSize(image.height)) || image.data.length !== image.width * image.height * 3) {
    throw new LumenError(
      'invalid-argument',
      `The image under the overlay has ${image.data.length} bytes, which is not ${image.width} x ${image.height} RGB pixels.`,
      'Pass 8-bit RGB pixels, interleaved, 3 bytes per pixel.',
    );
  }
  const pixels = image.width === width && image.height === height ? image.data : await resizeRgb(image, width, height);
  const heat = colorizeMap(map, options).rgb;
  const out = new Uint8Array(heat.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round((1 - opacity) * pixels[i]! + opacity * heat[i]!);
  return encodePng(out, width, height);
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

function checkMapSize(map: Float32Array, width: number, height: number): void {
  if (!isSize(width) || !isSize(height) || map.length !== width * height) {
    throw new LumenError(
      'invalid-argument',
      `A ${width} x ${height} heatmap needs ${width * height} values, but the map has ${map.length}.`,
      'Pass the map with its own width and height; reduce [C, H, W] attributions to [H, W] first (channelReduce).',
    );
  }
}

async function resizeRgb(image: RgbImage, width: number, height: number): Promise<Uint8Array> {
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

async function encodePng(rgb: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const png = await sharp(rgb, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 6 }).toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
