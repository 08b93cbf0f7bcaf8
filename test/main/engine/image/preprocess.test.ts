import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inspectImage } from '../../../../src/main/engine/image/image-source';
import { preprocess } from '../../../../src/main/engine/image/preprocess';
import { ModelCard } from '../../../../src/shared/model-card';
import { encodePng16 } from '../../../helpers/png16';

const pixels = [255, 0, 51, 0, 255, 102, 10, 20, 30, 200, 100, 0]; // 2 x 2 RGB

function card(color: 'RGB' | 'GRAY', size = 2, resize: 'stretch' | 'center-crop' = 'stretch'): ModelCard {
  return ModelCard.parse({
    name: 't',
    input: { name: 'x', layout: 'NCHW', height: size, width: size, color },
    preprocess: { resize: resize === 'stretch' ? { mode: 'stretch' } : { mode: 'center-crop', cropFraction: 1 }, interpolation: 'nearest', scale: 1, mean: [0], std: [1] },
    output: { name: 'y', kind: 'logits', labels: [] },
  });
}

async function rgbFile(format: 'png' | 'tiff' | 'webp'): Promise<Uint8Array> {
  const image = sharp(new Uint8Array(pixels), { raw: { width: 2, height: 2, channels: 3 } });
  const encoded = format === 'png' ? image.png() : format === 'tiff' ? image.tiff({ compression: 'lzw' }) : image.webp({ lossless: true });
  return new Uint8Array(await encoded.toBuffer());
}

const planes = (values: number[]): number[] => [0, 1, 2].flatMap((c) => [0, 1, 2, 3].map((p) => values[p * 3 + c]! / 255));

describe('preprocess (sharp decode + card)', () => {
  it.each(['png', 'tiff', 'webp'] as const)('decodes a lossless %s exactly', async (format) => {
    const source = await inspectImage(await rgbFile(format), `x.${format}`);
    expect(source).toMatchObject({ format, width: 2, height: 2, channels: 3, bitDepth: 8 });
    const { data } = await preprocess(source, card('RGB'));
    planes(pixels).forEach((v, i) => expect(data[i]).toBeCloseTo(v, 6));
  });

  it('decodes a JPEG within its compression error', async () => {
    const flat = new Uint8Array(16 * 16 * 3).fill(128);
    const jpeg = new Uint8Array(await sharp(flat, { raw: { width: 16, height: 16, channels: 3 } }).jpeg({ quality: 95 }).toBuffer());
    const { data } = await preprocess(await inspectImage(jpeg, 'x.jpg'), card('RGB', 16));
    for (const v of data) expect(Math.abs(v - 128 / 255)).toBeLessThan(2 / 255);
  });

  it('keeps 16-bit grayscale precision', async () => {
    const source = await inspectImage(encodePng16(2, 2, 1, [0, 1000, 30000, 65535]), 'xray.png');
    expect(source).toMatchObject({ channels: 1, bitDepth: 16 });
    const { data } = await preprocess(source, card('GRAY'));
    [0, 1000, 30000, 65535].forEach((v, i) => expect(data[i]).toBeCloseTo(v / 65535, 7));
  });

  it('feeds a 16-bit grayscale image to an RGB model by repeating the channel', async () => {
    const source = await inspectImage(encodePng16(2, 2, 1, [0, 1000, 30000, 65535]), 'xray.png');
    const { data } = await preprocess(source, card('RGB'));
    expect(data.length).toBe(12);
    for (let c = 0; c < 3; c++) [0, 1000, 30000, 65535].forEach((v, i) => expect(data[c * 4 + i]).toBeCloseTo(v / 65535, 7));
  });

  it('center-crops a landscape image to its middle square before resizing', async () => {
    // 4 x 2 image whose columns are 0, 100, 200, 255: the centre 2 x 2 square is columns 1..2.
    const row = [0, 100, 200, 255].flatMap((v) => [v, v, v]);
    const png = new Uint8Array(await sharp(new Uint8Array([...row, ...row]), { raw: { width: 4, height: 2, channels: 3 } }).png().toBuffer());
    const { data, plan } = await preprocess(await inspectImage(png, 'wide.png'), card('RGB', 2, 'center-crop'));
    expect(plan.crop).toEqual({ left: 1, top: 0, width: 2, height: 2 });
    expect([...data.subarray(0, 4)].map((v) => Math.round(v * 255))).toEqual([100, 200, 100, 200]);
  });

  it('applies EXIF orientation before cropping', async () => {
    const row = [0, 100, 200, 255].flatMap((v) => [v, v, v]);
    const jpeg = new Uint8Array(
      await sharp(new Uint8Array([...row, ...row]), { raw: { width: 4, height: 2, channels: 3 } }).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer(),
    );
    const source = await inspectImage(jpeg, 'rotated.jpg');
    expect([source.width, source.height]).toEqual([2, 4]);
  });

  it('drops alpha like PIL convert("RGB") (no compositing)', async () => {
    const rgba = new Uint8Array([255, 0, 0, 0, 0, 255, 0, 128, 0, 0, 255, 255, 10, 20, 30, 255]);
    const png = new Uint8Array(await sharp(rgba, { raw: { width: 2, height: 2, channels: 4 } }).png().toBuffer());
    const source = await inspectImage(png, 'alpha.png');
    expect(source.hasAlpha).toBe(true);
    const { data } = await preprocess(source, card('RGB'));
    expect(Math.round(data[0]! * 255)).toBe(255); // R of a fully transparent red pixel is still 255
  });
});
