import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { bareHeatmapPng, decodePng, originalImage, overlayPng, pngStyleFor } from '../../../../src/main/engine/render/attribution-png';
import { getColormap } from '../../../../src/shared/heatmap/colormaps';
import type { ResizePolicy } from '../../../../src/shared/model-card';

/** A 32 x 32 map, zero except a block of ones at input columns 8..15 and rows 16..23. */
const input = { width: 32, height: 32 };
const map = { data: Float32Array.from({ length: 32 * 32 }, (_, p) => (p % 32 >= 8 && p % 32 < 16 && Math.floor(p / 32) >= 16 && Math.floor(p / 32) < 24 ? 1 : 0)), width: 32, height: 32 };
/** A flat grey 320 x 240 original. */
const original = { data: new Uint8Array(320 * 240 * 3).fill(128), width: 320, height: 240 };

async function rgb(png: Uint8Array): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return { data, width: info.width, height: info.height };
}

/** Centroid and extent of the pixels whose red channel shows the hot end of viridis over grey. */
function hotRegion(image: { data: Buffer; width: number; height: number }): { x: number; y: number; left: number; right: number; top: number; bottom: number } {
  const style = pngStyleFor(map, { colormap: 'viridis' });
  const lut = getColormap('viridis').lut;
  // Red of the blend at the two ends of the map: 128 (1 - a) + lut * a.
  const cold = 128 * (1 - style.opacity) + lut[0]! * style.opacity;
  const hot = 128 * (1 - style.opacity) + lut[255 * 3]! * style.opacity;
  const threshold = (cold + hot) / 2;
  let [n, sx, sy, left, right, top, bottom] = [0, 0, 0, Infinity, -Infinity, Infinity, -Infinity];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.data[(y * image.width + x) * 3]! <= threshold) continue;
      n++;
      sx += x + 0.5;
      sy += y + 0.5;
      [left, right, top, bottom] = [Math.min(left, x), Math.max(right, x + 1), Math.min(top, y), Math.max(bottom, y + 1)];
    }
  }
  return { x: sx / n, y: sy / n, left, right, top, bottom };
}

describe('lumen attribute --png: the map over the original image, at its size', () => {
  const style = pngStyleFor(map, { colormap: 'viridis' });
  const draw = (resize: ResizePolicy) => overlayPng(original, original, map, { input, resize }, style);

  it('centre crop 0.875: the block lands where the crop puts it, not stretched over the whole image', async () => {
    // By hand: the largest centred square is 240, times 0.875 = 210, at left (320 - 210) / 2 = 55,
    // top 15; one input pixel is 210 / 32 = 6.5625 original pixels. Columns 8..16 -> x 107.5..160,
    // rows 16..24 -> y 120..172.5; centre (133.75, 146.25).
    const image = await rgb(await draw({ mode: 'center-crop', cropFraction: 0.875 }));
    expect([image.width, image.height]).toEqual([320, 240]);
    const hot = hotRegion(image);
    expect(hot.x).toBeCloseTo(133.75, 0);
    expect(hot.y).toBeCloseTo(146.25, 0);
    for (const [got, want] of [[hot.left, 107.5], [hot.right, 160], [hot.top, 120], [hot.bottom, 172.5]] as const) expect(Math.abs(got - want)).toBeLessThanOrEqual(4);
    // Stretched over the whole image the centre would be at (120, 150).
    expect(Math.abs(hot.x - 120)).toBeGreaterThan(10);
    // Outside the crop the image is left as it was.
    expect(Array.from(image.data.subarray((120 * 320 + 20) * 3, (120 * 320 + 20) * 3 + 3))).toEqual([128, 128, 128]);
    expect(Array.from(image.data.subarray((5 * 320 + 160) * 3, (5 * 320 + 160) * 3 + 3))).toEqual([128, 128, 128]);
  });

  it('letterbox: the padding is taken off before the map is laid over the image', async () => {
    // Scale 0.1 (320 -> 32), image rows 24 of 32, padded 4 above: rows 16..24 -> y (16 - 4) / 0.1
    // .. (24 - 4) / 0.1 = 120..200, columns 8..16 -> x 80..160; centre (120, 160).
    const image = await rgb(await draw({ mode: 'letterbox', fill: 0 }));
    expect([image.width, image.height]).toEqual([320, 240]);
    const hot = hotRegion(image);
    expect(hot.x).toBeCloseTo(120, 0);
    expect(hot.y).toBeCloseTo(160, 0);
  });

  it('stretch: the map covers the whole image', async () => {
    const hot = hotRegion(await rgb(await draw({ mode: 'stretch' })));
    expect(hot.x).toBeCloseTo(120, 0); // columns 8..16 of 32 -> 80..160
    expect(hot.y).toBeCloseTo(150, 0); // rows 16..24 of 32 -> 120..180
  });

  it('--png-mode bare: the map alone at the model input size, coloured by the shared colormap', async () => {
    const image = await rgb(await bareHeatmapPng(map, style));
    expect([image.width, image.height]).toEqual([32, 32]);
    const lut = getColormap('viridis').lut;
    expect(Array.from(image.data.subarray(0, 3))).toEqual(Array.from(lut.subarray(0, 3)));
    const inside = (20 * 32 + 10) * 3;
    expect(Array.from(image.data.subarray(inside, inside + 3))).toEqual(Array.from(lut.subarray(255 * 3, 256 * 3)));
  });

  it('the original is decoded at its own size (EXIF rotation applied); a file sharp cannot decode (DICOM) falls back to the preview', async () => {
    const png = new Uint8Array(await sharp({ create: { width: 300, height: 200, channels: 3, background: '#336699' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer());
    const decoded = await originalImage(png, 'rotated.jpg');
    expect([decoded!.width, decoded!.height]).toEqual([200, 300]);
    const dicomLike = new Uint8Array(256).fill(0);
    dicomLike.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM" at 128: a DICOM preamble, no image sharp reads
    expect(await originalImage(dicomLike, 'scan.dcm')).toBeNull();
    const preview = await decodePng(new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 1 } } }).png().toBuffer()));
    expect([preview.width, preview.height, preview.data.length]).toEqual([64, 48, 64 * 48 * 3]);
    expect(Array.from(preview.data.subarray(0, 3))).toEqual([10, 20, 30]);
  });

  it('defaults: signed maps on coolwarm (0 at its white centre), magnitudes on viridis', () => {
    expect(pngStyleFor(map)).toMatchObject({ mode: 'positive', colormap: 'viridis', opacity: 0.6 });
    expect(pngStyleFor({ ...map, data: Float32Array.of(-1, 1) })).toMatchObject({ mode: 'signed', colormap: 'coolwarm' });
    expect(pngStyleFor(map, { colormap: 'inferno' }).colormap).toBe('inferno');
  });
});
