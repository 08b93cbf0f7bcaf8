import sharp from 'sharp';
import { colorize } from '../../../shared/heatmap/colorize';
import { LUT_SIZE, type Colormap } from '../../../shared/heatmap/colormaps';
import { rangeForColormap, unitTransform, type DisplayRange } from '../../../shared/heatmap/normalise';
import type { HeatMap } from '../../../shared/heatmap/reduce-channels';
import { insideMask, type RegionMask } from '../../../shared/heatmap/xrai-mask';
import type { ResizePolicy } from '../../../shared/model-card';
import { mapOnOriginal, mapPixelsOnOriginal, placeInputOnOriginal } from '../../../shared/overlay-placement';
import type { ImageSource } from '../image/image-source';
import { sharpInput } from '../image/sharp-input';

/** The report's images are at most this many pixels on their longer side (sharp on paper, small files). */
export const reportMaxSide = 800;

/** 8-bit RGB pixels, interleaved, row-major. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface OverlayStyle {
  colormap: Colormap;
  range: DisplayRange;
  /** Alpha of the map over the image, 0..1. */
  opacity: number;
  /** XRAI's top regions: the rest is veiled and the regions are outlined. */
  mask?: RegionMask | null;
  outsideOpacity?: number;
}

export interface MapPlacement {
  /** The model input the map covers. */
  input: { width: number; height: number };
  resize: ResizePolicy;
}

/**
 * The image as the report shows it: oriented as the model sees it (EXIF rotation applied), 8-bit
 * sRGB, transparent parts on white, at most `maxSide` pixels on its longer side. Decoding to raw
 * pixels drops every piece of metadata the file had (EXIF, XMP, ICC, text chunks).
 */
export async function displayImage(source: ImageSource, maxSide = reportMaxSide): Promise<RgbImage> {
  const { data, info } = await sharpInput(source)
    .rotate()
    .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected RGB pixels, got ${info.channels} channels`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** PNG bytes of raw RGB pixels. The same pixels always give the same bytes; no metadata is written. */
export async function encodePng(image: RgbImage): Promise<Uint8Array> {
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png({ compressionLevel: 9, adaptiveFiltering: false })
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/**
 * The map coloured by the UI's rule (shared colorize: LUT, display range, opacity, XRAI veil),
 * laid over the part of the image the model saw (overlay-placement.ts, the mapping the inspector
 * and the CLI use: the card's crop or letterbox geometry undone) and alpha-blended; pixels the model
 * did not see are left as they are. XRAI's top regions get a white outline.
 */
export async function overlayImage(base: RgbImage, original: { width: number; height: number }, map: HeatMap, placement: MapPlacement, style: OverlayStyle): Promise<RgbImage> {
  const placed = placeInputOnOriginal(original, placement.input, placement.resize);
  // The UI draws NaN and infinities as 0; the report does too.
  const finite = new Float32Array(map.width * map.height);
  for (let i = 0; i < finite.length; i++) finite[i] = Number.isFinite(map.data[i]!) ? map.data[i]! : 0;
  const values = mapOnOriginal({ data: finite, width: map.width, height: map.height }, placed, base);
  const n = base.width * base.height;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    seen[i] = Number.isNaN(values[i]!) ? 0 : 1;
    if (!seen[i]) values[i] = 0;
  }
  const mapMask = style.mask ?? null;
  // The mask per display pixel: the region of the map pixel under it (nearest, as the UI shows it).
  const under = mapMask ? mapPixelsOnOriginal(map, placed, base) : null;
  const mask: RegionMask | null = mapMask && under ? { ranks: Int32Array.from(under, (k) => (k < 0 ? 0 : mapMask.ranks[k]!)), included: mapMask.included } : null;
  const rgba = new Uint8Array(n * 4);
  colorize(values, { lut: style.colormap.lut, transform: unitTransform(rangeForColormap(style.range, style.colormap.kind)), opacity: style.opacity, mask, outsideOpacity: style.outsideOpacity ?? 0 }, rgba);

  const out = new Uint8Array(base.data);
  for (let i = 0; i < n; i++) {
    if (!seen[i]) continue;
    const a = rgba[i * 4 + 3]! / 255;
    if (a === 0) continue;
    const p = i * 3;
    out[p] = Math.round(out[p]! * (1 - a) + rgba[i * 4]! * a);
    out[p + 1] = Math.round(out[p + 1]! * (1 - a) + rgba[i * 4 + 1]! * a);
    out[p + 2] = Math.round(out[p + 2]! * (1 - a) + rgba[i * 4 + 2]! * a);
  }
  if (mapMask && under) {
    const { width, height } = base;
    const inside = (x: number, y: number): boolean => {
      if (x < 0 || y < 0 || x >= width || y >= height) return false;
      const k = under[y * width + x]!;
      return k >= 0 && insideMask(mapMask, k);
    };
    const thickness = Math.max(1, Math.round(Math.max(width, height) / 400));
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!inside(x, y)) continue;
        let edge = false;
        for (let d = 1; d <= thickness && !edge; d++) edge = !inside(x - d, y) || !inside(x + d, y) || !inside(x, y - d) || !inside(x, y + d);
        if (!edge) continue;
        const p = (y * width + x) * 3;
        out[p] = 255;
        out[p + 1] = 255;
        out[p + 2] = 255;
      }
    }
  }
  return { data: out, width: base.width, height: base.height };
}

/** The colormap's 256 entries as a 256 x 1 PNG, low end left (CSS stretches it into the bar). */
export async function colorbarPng(colormap: Colormap): Promise<Uint8Array> {
  return encodePng({ data: colormap.lut.slice(0, LUT_SIZE * 3), width: LUT_SIZE, height: 1 });
}
