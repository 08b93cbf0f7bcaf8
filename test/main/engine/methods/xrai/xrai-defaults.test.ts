import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { XraiParams } from '../../../../../src/shared/methods/region-methods';
import { encodeNpy } from '../../../../../src/main/engine/io/npy';
import { xraiPixelSizes } from '../../../../../src/main/engine/methods/xrai/xrai-pixel-sizes';
import { testApi } from '../../../../helpers/engine';
import { floatTensor, graphModel } from '../../../../helpers/compiled-runner';
import { tempDir, writeModel } from '../../../../helpers/tiny-models';

describe("XRAI's defaults are PAIR saliency's XRAIParameters", () => {
  it('Integrated Gradients with 100 evenly spaced points from constant min and max baselines, full algorithm, PAIR’s segmentation', () => {
    const p = XraiParams.parse({});
    expect(p).toMatchObject({ base: 'integrated-gradients', steps: 100, baselines: 'min-max', algorithm: 'full', scales: [50, 100, 150, 250, 500, 1200], sigma: 0.8, segmentationSize: 224 });
    // PAIR's pixel sizes (dilation 5, min_pixel_diff 50, Felzenszwalb min_size 150 at 224 px) at a 224 px input.
    expect(xraiPixelSizes(224, 224, p)).toEqual({ dilationRadius: 5, minPixelDiff: 50, minSize: 150 });
  });

  it('pixel sizes scale with the input at 28 and 2048 px; explicit values are kept', () => {
    const p = XraiParams.parse({});
    // Segmentation still runs on a 224 px copy, so Felzenszwalb's min size stays PAIR's.
    expect(xraiPixelSizes(28, 28, p)).toEqual({ dilationRadius: 1, minPixelDiff: 1, minSize: 150 });
    expect(xraiPixelSizes(2048, 2048, p)).toEqual({ dilationRadius: 46, minPixelDiff: 4180, minSize: 150 });
    // Segmenting at the input size: the min size follows the input too.
    expect(xraiPixelSizes(2048, 2048, { ...p, segmentationSize: 0 }).minSize).toBe(12539);
    expect(xraiPixelSizes(28, 28, { ...p, segmentationSize: 0 }).minSize).toBe(2);
    expect(xraiPixelSizes(2048, 2048, { ...p, dilationRadius: 5, minPixelDiff: 50, minSize: 150 })).toEqual({ dilationRadius: 5, minPixelDiff: 50, minSize: 150 });
  });
});

describe('XRAI defaults through the engine (a smooth model, where steps and baselines matter)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let id: string;
  const dir = tempDir();
  const S = 16;
  const hidden = 6;
  const w1 = Array.from({ length: S * S * hidden }, (_, i) => Math.sin(i * 0.37));
  const w2 = Array.from({ length: hidden * 2 }, (_, i) => Math.cos(i * 1.3));
  // Input values in [0.2, 1.7]: the min and max baselines are not black and white.
  const x = Float32Array.from({ length: S * S }, (_, i) => 0.2 + ((i * 37) % 16) / 10);
  const quadrant = (p: number): number => (Math.floor(p / S) >= 8 ? 2 : 0) + (p % S >= 8 ? 1 : 0);
  const input = () => ({ kind: 'tensor' as const, dims: [1, 1, S, S], data: x });
  beforeAll(async () => {
    ({ api, close } = testApi());
    const model = graphModel(
      [
        { opType: 'Flatten', inputs: ['x'], outputs: ['f'] },
        { opType: 'MatMul', inputs: ['f', 'W1'], outputs: ['h0'] },
        { opType: 'Tanh', inputs: ['h0'], outputs: ['h'] },
        { opType: 'MatMul', inputs: ['h', 'W2'], outputs: ['scores'] },
      ],
      [floatTensor('W1', [S * S, hidden], w1), floatTensor('W2', [hidden, 2], w2)],
      ['N', 1, S, S],
    );
    const path = writeModel(dir, 'tanh16.onnx', model, { 'tanh16.card.json': JSON.stringify({ preprocess: { resize: { mode: 'stretch' }, mean: [0], std: [1], scale: 1 } }) });
    id = (await api.call('models.open', { path })).id;
    writeFileSync(join(dir, 'quadrants.npy'), encodeNpy({ shape: [S, S], data: Int32Array.from({ length: S * S }, (_, p) => quadrant(p)) }));
    const lo = Math.min(...x);
    const hi = Math.max(...x);
    writeFileSync(join(dir, 'min-max.npy'), encodeNpy({ shape: [2, 1, S, S], data: Float32Array.from({ length: 2 * S * S }, (_, i) => (i < S * S ? lo : hi)) }));
  });
  afterAll(() => close());

  /** Each quadrant's mean Integrated Gradients attribution, the gain XRAI gives it. */
  const quadrantMeans = (map: Float32Array): number[] => [0, 1, 2, 3].map((q) => map.reduce((s, v, p) => (quadrant(p) === q ? s + v : s), 0) / 64);

  it('the default base is IG with 100 steps from constant min/max baselines (not 25 steps)', async () => {
    const xrai = await api.call('attribute', { modelId: id, input: input(), method: 'xrai', target: 0, params: { segments: join(dir, 'quadrants.npy'), dilationRadius: 0, minPixelDiff: 1 } });
    const pair = await api.call('attribute', { modelId: id, input: input(), method: 'integrated-gradients', target: 0, params: { baselines: join(dir, 'min-max.npy'), steps: 100, stepRule: 'linspace' } });
    const old = await api.call('attribute', { modelId: id, input: input(), method: 'integrated-gradients', target: 0, params: { baselines: join(dir, 'min-max.npy'), steps: 25, stepRule: 'linspace' } });
    const gains = [...xrai.regions!.list].sort((a, b) => a.rank - b.rank).map((r) => r.gain);
    const expected = quadrantMeans(pair.data).sort((a, b) => b - a);
    const scale = Math.max(...expected.map(Math.abs));
    const tolerance = 1e-4 * scale;
    gains.forEach((g, i) => expect(Math.abs(g - expected[i]!)).toBeLessThan(tolerance));
    // 25 steps give gains measurably different from 100 (here about 0.3 % of the largest): the check above tells them apart.
    const coarse = quadrantMeans(old.data).sort((a, b) => b - a);
    expect(Math.max(...coarse.map((c, i) => Math.abs(c - expected[i]!)))).toBeGreaterThan(10 * tolerance);
    expect(xrai.figures).toMatchObject({ dilationRadius: 0, minPixelDiff: 1 });
  });

  it('on a 16 px input the default sizes are scaled down (radius 1, 1 pixel)', async () => {
    const xrai = await api.call('attribute', { modelId: id, input: input(), method: 'xrai', target: 0, params: { segments: join(dir, 'quadrants.npy'), steps: 4 } });
    expect(xrai.figures).toMatchObject({ dilationRadius: 1, minPixelDiff: 1 });
  });
});
