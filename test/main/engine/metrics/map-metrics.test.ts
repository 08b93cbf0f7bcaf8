import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { testApi } from '../../../helpers/engine';
import { linearImageModel, openTestModel } from '../../../helpers/image-models';

describe('localisation and complexity metrics through the evaluate request', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let id: string;
  const [H, W] = [10, 10];
  const n = H * W;
  beforeAll(async () => {
    ({ api, close } = testApi());
    id = await openTestModel(api, linearImageModel(new Array(n).fill(0.1), [0], [1, H, W]), 'linear-map-metrics');
  });
  afterAll(() => close());
  // The object: a 4 x 5 box (20 pixels) at x 2..6, y 3..7.
  const box = { x0: 2, y0: 3, x1: 6, y1: 8 };
  const inBox = (p: number): boolean => p % W >= 2 && p % W < 6 && Math.floor(p / W) >= 3 && Math.floor(p / W) < 8;
  const evaluate = (attribution: Float32Array, metrics: string[], params: Record<string, unknown> = {}) =>
    api.call('evaluate', {
      modelId: id,
      input: { kind: 'tensor', dims: [1, 1, H, W], data: new Float32Array(n).fill(1) },
      method: 'gradient',
      target: 0,
      attribution: { dims: [1, 1, H, W], data: attribution },
      metrics: metrics.map((metric) => ({ metric, params })),
      groundTruth: { boxes: [box] },
    });
  const scores = async (attribution: Float32Array, metrics: string[], params: Record<string, unknown> = {}) =>
    Object.fromEntries((await evaluate(attribution, metrics, params)).metrics.map((m) => [m.metric, m.score]));

  it('a map exactly on the object scores perfectly; one beside it scores 0 (computed by hand)', async () => {
    const on = Float32Array.from({ length: n }, (_, p) => (inBox(p) ? 1 : 0));
    const all = ['pointing-game', 'energy-pointing-game', 'top-fraction-iou', 'top-k-intersection', 'relevance-mass-accuracy', 'relevance-rank-accuracy'];
    // Top 10% = 10 pixels, all inside the 20-pixel box: IoU 10 / 20. k = 1000 is capped at the 100 pixels: 20 / 100.
    expect(await scores(on, all)).toEqual({ 'pointing-game': 1, 'energy-pointing-game': 1, 'top-fraction-iou': 0.5, 'top-k-intersection': 0.2, 'relevance-mass-accuracy': 1, 'relevance-rank-accuracy': 1 });
    // Thresholded at half the maximum: a map at 1 on the box and 0.6 on the row above it covers
    // 20 + 4 pixels, 20 of them on the 20-pixel box: IoU 20 / 24.
    const spill = Float32Array.from({ length: n }, (_, p) => (inBox(p) ? 1 : Math.floor(p / W) === 2 && p % W >= 2 && p % W < 6 ? 0.6 : 0));
    expect((await scores(spill, ['top-fraction-iou'], { threshold: 0.5 }))['top-fraction-iou']).toBeCloseTo(20 / 24, 12);
    const off = Float32Array.from({ length: n }, (_, p) => (p === 0 ? 1 : 0));
    const missed = await scores(off, ['pointing-game', 'energy-pointing-game', 'relevance-mass-accuracy']);
    expect(missed).toEqual({ 'pointing-game': 0, 'energy-pointing-game': 0, 'relevance-mass-accuracy': 0 });
    // Zhang et al.'s tolerance: the corner pixel (0, 0) is sqrt(2² + 3²) = 3.6 px from the box's nearest pixel (2, 3).
    expect((await scores(off, ['pointing-game'], { tolerance: 4 }))['pointing-game']).toBe(1);
    expect((await scores(off, ['pointing-game'], { tolerance: 3 }))['pointing-game']).toBe(0);
  });

  it('sparseness and complexity: a one-hot map is as sparse and simple as it gets, a flat one the opposite', async () => {
    const oneHot = Float32Array.from({ length: n }, (_, p) => (p === 42 ? 5 : 0));
    const flat = new Float32Array(n).fill(0.3);
    const a = await scores(oneHot, ['sparseness', 'complexity']);
    expect(a['sparseness']).toBeCloseTo(1 - 1 / n, 12);
    expect(a['complexity']).toBeCloseTo(0, 12);
    const b = await scores(flat, ['sparseness', 'complexity']);
    expect(b['sparseness']).toBeCloseTo(0, 12);
    expect(b['complexity']).toBeCloseTo(Math.log(n), 12);
  });

  it('localisation without ground truth, or with a box outside the image, is a clear error', async () => {
    const map = new Float32Array(n).fill(1);
    await expect(
      api.call('evaluate', { modelId: id, input: { kind: 'tensor', dims: [1, 1, H, W], data: map }, method: 'gradient', target: 0, metrics: [{ metric: 'pointing-game', params: {} }] }),
    ).rejects.toThrow(/Pointing game needs ground truth/);
    await expect(
      api.call('evaluate', { modelId: id, input: { kind: 'tensor', dims: [1, 1, H, W], data: map }, method: 'gradient', target: 0, metrics: [{ metric: 'pointing-game', params: {} }], groundTruth: { boxes: [{ x0: 20, y0: 20, x1: 30, y1: 30 }] } }),
    ).rejects.toThrow(/lies outside the 10 x 10/);
  });
});
