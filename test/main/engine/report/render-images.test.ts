import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { getColormap } from '../../../../src/shared/heatmap/colormaps';
import { inspectImage } from '../../../../src/main/engine/image/image-source';
import { colorbarPng, displayImage, encodePng, overlayImage, type RgbImage } from '../../../../src/main/engine/report/render-images';
import { scrubPaths } from '../../../../src/main/engine/report/render-html';

const gray = getColormap('gray');
const range = { mode: 'absolute' as const, min: 0, max: 1 };

function flat(width: number, height: number, value: number): RgbImage {
  return { data: new Uint8Array(width * height * 3).fill(value), width, height };
}

const at = (image: RgbImage, x: number, y: number): number[] => [...image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3)];

describe('overlayImage: the map where the model looked', () => {
  it('center-crop: the map covers the centred square only', async () => {
    // 300 x 200 image, 100 x 100 model input: the model saw x in [50, 250).
    const base = flat(300, 200, 128);
    const map = { data: new Float32Array(100 * 100).fill(1), width: 100, height: 100 };
    const out = await overlayImage(base, base, map, { input: { width: 100, height: 100 }, resize: { mode: 'center-crop', cropFraction: 1 } }, { colormap: gray, range, opacity: 1 });
    expect(at(out, 10, 100)).toEqual([128, 128, 128]);
    expect(at(out, 60, 100)).toEqual([255, 255, 255]);
    expect(at(out, 240, 100)).toEqual([255, 255, 255]);
    expect(at(out, 290, 100)).toEqual([128, 128, 128]);
    // The base is not modified.
    expect(at(base, 60, 100)).toEqual([128, 128, 128]);
  });

  it('letterbox: the padding of the model input falls outside the image and is cut off', async () => {
    // 200 x 100 image in a 100 x 100 input: resized to 100 x 50 at row 25. The map's top half is 1.
    const base = flat(200, 100, 128);
    const data = new Float32Array(100 * 100);
    data.fill(1, 0, 50 * 100);
    const out = await overlayImage(base, base, { data, width: 100, height: 100 }, { input: { width: 100, height: 100 }, resize: { mode: 'letterbox', fill: 0 } }, { colormap: gray, range, opacity: 1 });
    expect(at(out, 100, 10)).toEqual([255, 255, 255]);
    expect(at(out, 100, 90)).toEqual([0, 0, 0]);
  });

  it('blends with the opacity, and an XRAI mask veils the outside and outlines the regions', async () => {
    const base = flat(100, 100, 100);
    const map = { data: new Float32Array(10 * 10).fill(1), width: 10, height: 10 };
    const half = await overlayImage(base, base, map, { input: { width: 10, height: 10 }, resize: { mode: 'stretch' } }, { colormap: gray, range, opacity: 0.5 });
    expect(at(half, 50, 50)).toEqual([178, 178, 178]);
    // Regions: the left half of the map is rank 1 and shown.
    const ranks = new Int32Array(100);
    for (let p = 0; p < 100; p++) ranks[p] = p % 10 < 5 ? 1 : 2;
    const masked = await overlayImage(base, base, map, { input: { width: 10, height: 10 }, resize: { mode: 'stretch' } }, { colormap: gray, range, opacity: 1, mask: { ranks, included: Uint8Array.of(0, 1, 0) }, outsideOpacity: 0.5 });
    expect(at(masked, 25, 50)).toEqual([255, 255, 255]);
    expect(at(masked, 75, 50)).toEqual([50, 50, 50]);
    // The outline runs along the edge of the shown half.
    expect(at(masked, 49, 50)).toEqual([255, 255, 255]);
  });
});

describe('displayImage and encodePng: what a report embeds', () => {
  it('applies the EXIF orientation and keeps none of the metadata', async () => {
    const jpeg = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#336699' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'Patient Jane Doe 1962-04-17', ImageDescription: 'MRN 0048213' } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const source = await inspectImage(new Uint8Array(jpeg), 'x.jpg');
    const shown = await displayImage(source);
    expect([shown.width, shown.height]).toEqual([20, 40]);
    const png = await encodePng(shown);
    const meta = await sharp(png).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(Buffer.from(png).includes('Jane')).toBe(false);
    expect(Buffer.from(png).includes('MRN')).toBe(false);
  });

  it('a 16-bit grayscale image becomes 8-bit RGB, at most 800 px on its longer side', async () => {
    const raw = new Uint16Array(1600 * 400);
    for (let i = 0; i < raw.length; i++) raw[i] = (i % 1600) * 40;
    const png16 = await sharp(Buffer.from(raw.buffer), { raw: { width: 1600, height: 400, channels: 1, premultiplied: false } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    const source = await inspectImage(new Uint8Array(png16), 'g.png');
    expect(source.bitDepth).toBe(16);
    const shown = await displayImage(source);
    expect([shown.width, shown.height, shown.data.length]).toEqual([800, 200, 800 * 200 * 3]);
  });

  it('the same pixels give the same PNG bytes', async () => {
    const image = flat(30, 20, 77);
    expect(Buffer.from(await encodePng(image)).equals(Buffer.from(await encodePng(image)))).toBe(true);
    const bar = await sharp(await colorbarPng(getColormap('inferno'))).metadata();
    expect([bar.width, bar.height]).toEqual([256, 1]);
  });
});

describe('scrubPaths', () => {
  it('cuts absolute paths in engine texts down to their last segment', () => {
    expect(scrubPaths('Labels read from /home/ana/models/labels.txt.')).toBe('Labels read from …/labels.txt.');
    expect(scrubPaths('see C:\\Users\\ana\\card.json')).toBe('see …/card.json');
    expect(scrubPaths('no path here, 1/2 of it')).toBe('no path here, 1/2 of it');
  });
});
