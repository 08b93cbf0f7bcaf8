import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { lookupTable } from '../../../../src/main/engine/render/colormaps';
import { channelReduce, colorizeMap, renderHeatmapPng, renderOverlayPng } from '../../../../src/main/engine/render/heatmap-png';
import { LumenError } from '../../../../src/shared/errors';

/** Decodes a PNG to raw RGB and its size. */
async function decode(png: Uint8Array): Promise<{ width: number; height: number; pixel: (x: number, y: number) => number[] }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return {
    width: info.width,
    height: info.height,
    pixel: (x, y) => Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)),
  };
}

const entry = (name: 'sequential' | 'diverging' | 'grayscale', i: number): number[] => Array.from(lookupTable(name).subarray(i * 3, i * 3 + 3));

describe('channelReduce', () => {
  // C = 2, H = 1, W = 3: channel 0 then channel 1.
  const data = new Float32Array([1, -2, 3, -4, 2, 0]);

  it.each([
    ['sum', [-3, 0, 3]],
    ['sum-abs', [5, 4, 3]],
    ['max-abs', [4, 2, 3]],
    ['l2', [Math.sqrt(17), Math.sqrt(8), 3]],
  ] as const)('%s', (how, expected) => {
    const out = channelReduce(data, [1, 2, 1, 3], how);
    expect(out.length).toBe(3);
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 6));
    expect(Array.from(channelReduce(data, [2, 1, 3], how))).toEqual(Array.from(out));
  });

  it.each([
    [[2, 2, 1, 3]], // batch of 2
    [[6]],
    [[2, 1, 4]], // size mismatch
    [[2, 1.5, 2]],
  ])('refuses shape %j', (shape) => {
    expect(() => channelReduce(data, shape, 'sum')).toThrow(LumenError);
  });
});

describe('renderHeatmapPng', () => {
  // 4 x 2 map: the extremes and zero at known places.
  const map = new Float32Array([
    2, 0, -2, 1,
    0, 0.5, -1, 0,
  ]);

  it('signed: the largest value is the red end, zero the white centre, the most negative the blue end', async () => {
    const png = await renderHeatmapPng(map, 4, 2, { mode: 'signed', percentile: 100 });
    const image = await decode(png);
    expect([image.width, image.height]).toEqual([4, 2]);
    expect(image.pixel(0, 0)).toEqual(entry('diverging', 255));
    expect(image.pixel(2, 0)).toEqual(entry('diverging', 0));
    expect(image.pixel(1, 0)).toEqual(entry('diverging', 128));
    expect(Math.min(...image.pixel(1, 0))).toBeGreaterThanOrEqual(250); // white-ish
    expect(image.pixel(3, 0)).toEqual(entry('diverging', Math.round(0.75 * 255))); // +1 of 2
    expect(image.pixel(2, 1)).toEqual(entry('diverging', Math.round(0.25 * 255))); // -1 of 2
    const [r, g, b] = image.pixel(0, 0);
    expect(r).toBeGreaterThan(Math.max(g!, b!));
  });

  it('absolute: the sequential map from 0 (dark end) to the largest |v| (bright end)', async () => {
    const image = await decode(await renderHeatmapPng(map, 4, 2, { mode: 'absolute', percentile: 100 }));
    expect(image.pixel(1, 0)).toEqual(entry('sequential', 0));
    expect(image.pixel(0, 0)).toEqual(entry('sequential', 255));
    expect(image.pixel(2, 0)).toEqual(entry('sequential', 255));
    expect(image.pixel(1, 1)).toEqual(entry('sequential', Math.round(0.25 * 255)));
  });

  it('positive with an explicit colour map drops negatives to the low end', async () => {
    const image = await decode(await renderHeatmapPng(map, 4, 2, { mode: 'positive', percentile: 100, colormap: 'grayscale' }));
    expect(image.pixel(0, 0)).toEqual([255, 255, 255]);
    expect(image.pixel(2, 0)).toEqual([0, 0, 0]);
    expect(image.pixel(3, 0)).toEqual(entry('grayscale', Math.round(0.5 * 255)));
  });

  it('refuses a map whose size does not match width x height', async () => {
    await expect(renderHeatmapPng(map, 3, 2, { mode: 'signed' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('3 x 2 heatmap needs 6 values') });
    await expect(renderHeatmapPng(new Float32Array(0), 0, 0, { mode: 'signed' })).rejects.toBeInstanceOf(LumenError);
  });
});

describe('colorizeMap', () => {
  it('a diverging map keeps zero white for unsigned modes too', () => {
    const { rgb, normalized } = colorizeMap([0, 4, NaN], { mode: 'absolute', colormap: 'diverging', percentile: 100 });
    expect(Array.from(rgb.subarray(0, 3))).toEqual(entry('diverging', 128));
    expect(Array.from(rgb.subarray(3, 6))).toEqual(entry('diverging', 255));
    expect(normalized.nonFinite).toBe(1);
  });

  it('a sequential map shows signed values from its dark (-1) through its middle (0) to its bright end (+1)', () => {
    const { rgb } = colorizeMap([-1, 0, 1], { mode: 'signed', colormap: 'sequential', percentile: 100 });
    expect(Array.from(rgb)).toEqual([...entry('sequential', 0), ...entry('sequential', 128), ...entry('sequential', 255)]);
  });
});

describe('renderOverlayPng', () => {
  const map = new Float32Array([1, 0, -1, 0.5]); // 2 x 2
  const solid = (width: number, height: number, rgb: number[]): { data: Uint8Array; width: number; height: number } => ({
    data: new Uint8Array(Array.from({ length: width * height }, () => rgb).flat()),
    width,
    height,
  });

  it('blends the heatmap over the image by opacity', async () => {
    const image = solid(2, 2, [10, 100, 200]);
    const options = { mode: 'signed' as const, percentile: 100 };
    const none = await decode(await renderOverlayPng(map, 2, 2, image, { ...options, opacity: 0 }));
    expect(none.pixel(0, 0)).toEqual([10, 100, 200]);
    const full = await decode(await renderOverlayPng(map, 2, 2, image, { ...options, opacity: 1 }));
    expect(full.pixel(0, 0)).toEqual(entry('diverging', 255));
    const half = await decode(await renderOverlayPng(map, 2, 2, image, { ...options, opacity: 0.5 }));
    const red = entry('diverging', 255);
    const blue = entry('diverging', 0);
    expect(half.pixel(0, 0)).toEqual([10, 100, 200].map((v, c) => Math.round(0.5 * v + 0.5 * red[c]!)));
    expect(half.pixel(0, 1)).toEqual([10, 100, 200].map((v, c) => Math.round(0.5 * v + 0.5 * blue[c]!)));
  });

  it('resizes the image to the map when their sizes differ', async () => {
    const image = solid(7, 5, [40, 80, 120]);
    const out = await decode(await renderOverlayPng(map, 2, 2, image, { mode: 'absolute', opacity: 0 }));
    expect([out.width, out.height]).toEqual([2, 2]);
    for (const [x, y] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) expect(out.pixel(x, y)).toEqual([40, 80, 120]);
  });

  it('refuses a bad opacity or image', async () => {
    await expect(renderOverlayPng(map, 2, 2, solid(2, 2, [0, 0, 0]), { mode: 'signed', opacity: 1.5 })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(renderOverlayPng(map, 2, 2, { data: new Uint8Array(5), width: 2, height: 2 }, { mode: 'signed', opacity: 0.5 })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringContaining('not 2 x 2 RGB pixels'),
    });
  });
});
