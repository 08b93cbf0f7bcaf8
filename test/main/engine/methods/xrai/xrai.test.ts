import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import type { AttributionResult } from '../../../../../src/shared/contract/attribution';
import { encodeNpy } from '../../../../../src/main/engine/io/npy';
import { testApi, useBundledModel } from '../../../../helpers/engine';
import { linearImageModel, openTestModel } from '../../../../helpers/image-models';
import { tempDir } from '../../../../helpers/tiny-models';

/** The invariants every XRAI result must hold, whatever the model. */
function expectValidRegions(result: AttributionResult, pixels: number): void {
  const { ranks, list } = result.regions!;
  // Disjoint and complete: every pixel has exactly one rank, and each region's area is its pixel count.
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  expect(counts.has(0)).toBe(false);
  list.forEach((region) => expect(counts.get(region.rank)).toBe(region.area));
  expect(list.reduce((s, r) => s + r.area, 0)).toBe(pixels);
  // Cumulative area is monotone and reaches the whole image.
  for (let i = 1; i < list.length; i++) expect(list[i]!.cumulativeArea).toBeGreaterThan(list[i - 1]!.cumulativeArea);
  expect(list.at(-1)!.cumulativeArea).toBeCloseTo(1, 12);
  // Regions come by decreasing gain (the last may be the "rest" that no mask reached, as in PAIR).
  for (let i = 1; i < list.length - 1; i++) expect(list[i]!.gain).toBeLessThanOrEqual(list[i - 1]!.gain);
  // The heat map holds each pixel's region gain.
  ranks.forEach((rank, p) => expect(result.data[p]).toBeCloseTo(list[rank - 1]!.gain, 6));
}

describe('XRAI on a linear model with a given segmentation (hand-computable)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let id: string;
  const dir = tempDir();
  const [H, W] = [16, 16];
  // score = sum w_i x_i: gradient x input is w_i x_i, so each quadrant's gain is its mean w_i x_i.
  const w = Array.from({ length: H * W }, (_, i) => Math.sin(i * 0.7) + (i < 128 && i % 16 >= 8 ? 1 : 0));
  const x = Float32Array.from({ length: H * W }, (_, i) => 0.5 + ((i * 37) % 11) / 11);
  const quadrant = (p: number): number => (Math.floor(p / W) >= 8 ? 2 : 0) + (p % W >= 8 ? 1 : 0);
  const input = () => ({ kind: 'tensor' as const, dims: [1, 1, H, W], data: x });
  beforeAll(async () => {
    ({ api, close } = testApi());
    id = await openTestModel(api, linearImageModel(w, [0], [1, H, W]), 'linear16');
    writeFileSync(join(dir, 'quadrants.npy'), encodeNpy({ shape: [H, W], data: Int32Array.from({ length: H * W }, (_, p) => 10 + quadrant(p)) }));
    writeFileSync(join(dir, 'two.npy'), encodeNpy({ shape: [2, H, W], data: Int32Array.from({ length: 2 * H * W }, (_, i) => (i < H * W ? quadrant(i) : (i % W) >= 8 ? 1 : 0)) }));
    writeFileSync(join(dir, 'wrong.npy'), encodeNpy({ shape: [8, 8], data: new Int32Array(64) }));
    writeFileSync(join(dir, 'float.npy'), encodeNpy({ shape: [H, W], data: new Float32Array(H * W) }));
  });
  afterAll(() => close());

  const xrai = (params: Record<string, unknown>) =>
    api.call('attribute', { modelId: id, input: input(), method: 'xrai', target: 0, params: { base: 'gradient-x-input', dilationRadius: 0, minPixelDiff: 1, segments: join(dir, 'quadrants.npy'), ...params } });

  it.each(['full', 'fast'] as const)('%s: the quadrants, ranked by their mean attribution', async (algorithm) => {
    const result = await xrai({ algorithm });
    const means = [0, 1, 2, 3].map((q) => {
      const members = x.map((_, p) => p).filter((p) => quadrant(p) === q);
      return members.reduce((s, p) => s + w[p]! * x[p]!, 0) / members.length;
    });
    const order = [0, 1, 2, 3].sort((a, b) => means[b]! - means[a]!);
    expect(result.regions!.list.map((r) => r.gain)).toEqual(order.map((q) => expect.closeTo(means[q]!, 5)));
    expect(result.regions!.list.map((r) => r.area)).toEqual([64, 64, 64, 64]);
    result.regions!.ranks.forEach((rank, p) => expect(rank).toBe(order.indexOf(quadrant(p)) + 1));
    expectValidRegions(result, H * W);
  });

  it('areaThreshold returns the binary mask of the top regions reaching that area', async () => {
    const full = await xrai({});
    const masked = await xrai({ areaThreshold: 0.3 });
    // 30% needs two quadrants (25% each).
    masked.data.forEach((v, p) => expect(v).toBe(full.regions!.ranks[p]! <= 2 ? 1 : 0));
    expect(masked.figures['maskArea']).toBe(0.5);
    expect(masked.regions).toEqual(full.regions);
  });

  it('a stack of segmentations gives candidates from each', async () => {
    const result = await xrai({ segments: join(dir, 'two.npy') });
    expect(result.figures['candidateMasks']).toBe(6);
    expectValidRegions(result, H * W);
  });

  it('rejects bad inputs with clear errors', async () => {
    await expect(xrai({ segments: join(dir, 'wrong.npy') })).rejects.toThrow(/\[8, 8\].*16 x 16/);
    await expect(xrai({ segments: join(dir, 'float.npy') })).rejects.toThrow(/integer labels/);
    await expect(xrai({ base: 'xrai' })).rejects.toThrow(/itself/);
    await expect(xrai({ base: 'no-such-method' })).rejects.toThrow(/Unknown base method "no-such-method"/);
    await expect(xrai({ base: 'integrated-gradients', baseParams: { steps: 1 } })).rejects.toThrow(/baseParams for integrated-gradients/);
    await expect(xrai({ dilationRadius: 8, minPixelDiff: 50 })).rejects.toThrow(/at least 17 x 17 pixels and 200 pixels.*16 x 16/);
    await expect(xrai({ dilationRadius: 0, minPixelDiff: 100 })).rejects.toThrow(/400 pixels in all/);
  });
});

describe('XRAI on the bundled MobileNetV2', () => {
  const bundled = useBundledModel('coffee');
  // Fewer IG steps than PAIR's 100 keep the test quick; the region logic is the same.
  const run = (params: Record<string, unknown>) => bundled.api.call('attribute', { modelId: bundled.modelId, input: { kind: 'image', imageId: bundled.imageId }, method: 'xrai', params: { steps: 6, ...params } });

  it('PAIR defaults: six Felzenszwalb scales, valid disjoint ranked regions, identical on a rerun', async () => {
    const a = await run({});
    expect(a.targetLabel).toBe('espresso');
    expect(a.dims).toEqual([1, 1, 224, 224]);
    expect(a.figures['candidateMasks']).toBeGreaterThan(100);
    expect(a.figures['regions']).toBeGreaterThan(10);
    // IG over constant min and max baselines (PAIR's default).
    expect(a.figures['base outputDifference']).toBeGreaterThan(0);
    // PAIR's pixel sizes, at this 224 px input.
    expect(a.figures).toMatchObject({ dilationRadius: 5, minPixelDiff: 50, minSegmentSize: 150 });
    expectValidRegions(a, 224 * 224);
    const b = await run({});
    expect(b.data).toEqual(a.data);
    expect(b.regions).toEqual(a.regions);
  });

  it('gains are the densities of the base attribution over each region, the top one the highest', async () => {
    const result = await run({ algorithm: 'full', base: 'integrated-gradients', baseParams: { baseline: 'black', steps: 6, stepRule: 'linspace' } });
    const ig = await bundled.api.call('attribute', { modelId: bundled.modelId, input: { kind: 'image', imageId: bundled.imageId }, method: 'integrated-gradients', params: { baseline: 'black', steps: 6, stepRule: 'linspace' } });
    // XRAI's per-pixel attribution: the maximum over channels (NCHW).
    const plane = 224 * 224;
    const perPixel = Float64Array.from({ length: plane }, (_, p) => Math.max(ig.data[p]!, ig.data[plane + p]!, ig.data[2 * plane + p]!));
    const { ranks, list } = result.regions!;
    const density = list.map((r) => {
      let s = 0;
      ranks.forEach((rank, p) => rank === r.rank && (s += perPixel[p]!));
      return s / r.area;
    });
    density.forEach((d, i) => expect(d).toBeCloseTo(list[i]!.gain, 4));
    expect(Math.max(...density.slice(0, -1))).toBe(density[0]);
  });

  it('the fast variant and the black and white baselines give valid rankings too', async () => {
    expectValidRegions(await run({ algorithm: 'fast' }), 224 * 224);
    const blackWhite = await run({ baselines: 'black-white' });
    expectValidRegions(blackWhite, 224 * 224);
  });

  it('any pixel or map method can be the base (Grad-CAM here)', async () => {
    const result = await run({ base: 'grad-cam' });
    expectValidRegions(result, 224 * 224);
  });
});
