import sharp from 'sharp';
import { colorize } from '../../../shared/heatmap/colorize';
import { LUT_SIZE, type Colormap } from '../../../shared/heatmap/colormaps';
import { rangeForColormap, unitTransform, type DisplayRange } from '../../../shared/heatmap/normalise';
import { overlayRect } from '../../../shared/heatmap/overlay-rect';
import type { HeatMap } from '../../../shared/heatmap/reduce-channels';
import { insideMask, type RegionMask } from '../../../shared/heatmap/xrai-mask';
import type { ResizePolicy } from '../../../shared/model-card';
import type { ImageSource } from '../image/image-source';

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
  const { data, info } = await sharp(source.bytes, { limitInputPixels: false })
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
 * laid over the part of the image the model saw (the card's crop or letterbox geometry, as the
 * inspector places it) and alpha-blended; XRAI's top regions get a white outline.
 */
export async function overlayImage(base: RgbImage, original: { width: number; height: number }, map: HeatMap, placement: MapPlacement, style: OverlayStyle): Promise<RgbImage> {
  const rect = overlayRect(original, base, placement.input, placement.resize);
  const n = map.width * map.height;
  // The UI draws NaN and infinities as 0; the report does too.
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = Number.isFinite(map.data[i]!) ? map.data[i]! : 0;
  const rgba = new Uint8Array(n * 4);
  const mask = style.mask ?? null;
  colorize(values, { lut: style.colormap.lut, transform: unitTransform(rangeForColormap(style.range, style.colormap.kind)), opacity: style.opacity, mask, outsideOpacity: style.outsideOpacity ?? 0 }, rgba);

  const tw = Math.max(1, Math.round(rect.width));
  const th = Math.max(1, Math.round(rect.height));
  const layer = await sharp(rgba, { raw: { width: map.width, height: map.height, channels: 4 } })
    .resize(tw, th, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  const ox = Math.round(rect.left);
  const oy = Math.round(rect.top);
  const out = new Uint8Array(base.data);
  const x0 = Math.max(0, ox);
  const y0 = Math.max(0, oy);
  const x1 = Math.min(base.width, ox + tw);
  const y1 = Math.min(base.height, oy + th);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const l = ((y - oy) * tw + (x - ox)) * 4;
      const a = layer[l + 3]! / 255;
      if (a === 0) continue;
      const p = (y * base.width + x) * 3;
      out[p] = Math.round(out[p]! * (1 - a) + layer[l]! * a);
      out[p + 1] = Math.round(out[p + 1]! * (1 - a) + layer[l + 1]! * a);
      out[p + 2] = Math.round(out[p + 2]! * (1 - a) + layer[l + 2]! * a);
    }
  }
  if (mask) {
    // Map pixel under a display pixel (nearest), and whether it is in the shown regions.
    const inside = (x: number, y: number): boolean => {
      if (x < x0 || y < y0 || x >= x1 || y >= y1) return false;
      const u = Math.min(map.width - 1, Math.floor(((x - ox) * map.width) / tw));
      const v = Math.min(map.height - 1, Math.floor(((y - oy) * map.height) / th));
      return insideMask(mask, v * map.width + u);
    };
    const thickness = Math.max(1, Math.round(Math.max(base.width, base.height) / 400));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        if (!inside(x, y)) continue;
        let edge = false;
        for (let d = 1; d <= thickness && !edge; d++) edge = !inside(x - d, y) || !inside(x + d, y) || !inside(x, y - d) || !inside(x, y + d);
        if (!edge) continue;
        const p = (y * base.width + x) * 3;
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
