import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { testApi, useBundledModel } from '../../../helpers/engine';
import { linearImageModel, openTestModel } from '../../../helpers/image-models';
import { Rng } from '../../../../src/main/engine/random/rng';
import { encodeNpy } from '../../../../src/main/engine/io/npy';
import { tempDir } from '../../../helpers/tiny-models';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

describe('deletion, insertion and faithfulness correlation on a linear model (closed forms)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let id: string;
  const [H, W] = [12, 12];
  const n = H * W;
  // score = b + sum w_i x_i: removing pixel i (to zero) changes the score by exactly -w_i x_i.
  const w = Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + 0.2);
  const x = Float32Array.from({ length: n }, (_, i) => 0.3 + ((i * 7) % 5) / 5);
  const b = 0.4;
  const contribution = x.map((v, i) => Math.fround(w[i]!) * v);
  const input = () => ({ kind: 'tensor' as const, dims: [1, 1, H, W], data: x });
  beforeAll(async () => {
    ({ api, close } = testApi());
    id = await openTestModel(api, linearImageModel(w, [b], [1, H, W]), 'linear-metrics');
  });
  afterAll(() => close());
  const evaluate = (metrics: Array<{ metric: string; params?: Record<string, unknown> }>, extra: Record<string, unknown> = {}) =>
    api.call('evaluate', { modelId: id, input: input(), method: 'gradient-x-input', target: 0, metrics: metrics.map((m) => ({ params: {}, ...m })), ...extra });

  /** The curve by hand: pixels by decreasing contribution, `perStep` at a time. */
  function handCurve(mode: 'deletion' | 'insertion', perStep: number): { x: number[]; y: number[]; auc: number } {
    const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => contribution[q]! - contribution[p]! || p - q);
    const total = contribution.reduce((s, v) => s + v, 0);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k <= Math.ceil(n / perStep); k++) {
      const count = Math.min(n, k * perStep);
      const moved = order.slice(0, count).reduce((s, p) => s + contribution[p]!, 0);
      xs.push(count / n);
      ys.push(b + (mode === 'deletion' ? total - moved : moved));
    }
    let auc = 0;
    for (let i = 1; i < xs.length; i++) auc += ((xs[i]! - xs[i - 1]!) * (ys[i]! + ys[i - 1]!)) / 2;
    return { x: xs, y: ys, auc };
  }

  it.each(['deletion', 'insertion'] as const)('%s: the curve and its area match the hand computation', async (mode) => {
    const result = await evaluate([{ metric: mode, params: { objective: 'logit', stepFraction: 0.1, baseline: 'zeros' } }]);
    const [m] = result.metrics;
    // 10% of 144 pixels = 14 per step: 11 steps, 12 points.
    const hand = handCurve(mode, 14);
    expect(m!.curves[0]!.x).toEqual(hand.x);
    m!.curves[0]!.y.forEach((v, i) => expect(v).toBeCloseTo(hand.y[i]!, 4));
    expect(m!.score).toBeCloseTo(hand.auc, 4);
    expect(m!.forwardPasses).toBe(12);
    expect(m!.higherIsBetter).toBe(mode === 'insertion');
  });

  it('faithfulness correlation is 1 for the exact attribution and near 0 for a random one', async () => {
    const params = { objective: 'logit', baseline: 'zeros', subsetSize: 20, normalise: false };
    const exact = await evaluate([{ metric: 'faithfulness-correlation', params }]);
    expect(exact.metrics[0]!.score).toBeCloseTo(1, 6);
    expect(exact.metrics[0]!.forwardPasses).toBe(101);
    const rng = new Rng(8);
    const noise = Float32Array.from({ length: n }, () => rng.normal());
    const random = await evaluate([{ metric: 'faithfulness-correlation', params }], { attribution: { dims: [1, 1, H, W], data: noise } });
    expect(Math.abs(random.metrics[0]!.score)).toBeLessThan(0.35);
    // Same seed, same score.
    const again = await evaluate([{ metric: 'faithfulness-correlation', params }], { attribution: { dims: [1, 1, H, W], data: noise } });
    expect(again.metrics[0]!.score).toBe(random.metrics[0]!.score);
  });

  it('faithfulness estimate: each patch’s drop is exactly its attribution on a linear model (correlation 1)', async () => {
    const result = await evaluate([{ metric: 'faithfulness-estimate', params: { objective: 'logit', baseline: 'zeros', patchSize: 5 } }]);
    const [m] = result.metrics;
    // 12 x 12 in patches of 5: 3 x 3 patches, the last row and column 2 pixels wide.
    expect(m!.figures['features']).toBe(9);
    m!.curves[0]!.x.forEach((sum, i) => expect(m!.curves[0]!.y[i]).toBeCloseTo(sum, 4));
    expect(m!.score).toBeCloseTo(1, 6);
    expect(m!.forwardPasses).toBe(10);
    // Superpixels from a given segment map (three horizontal bands) work the same way.
    const bands = join(tempDir(), 'bands.npy');
    writeFileSync(bands, encodeNpy({ shape: [H, W], data: Int32Array.from({ length: n }, (_, p) => Math.floor(p / W / 4)) }));
    const segmented = (await evaluate([{ metric: 'faithfulness-estimate', params: { objective: 'logit', baseline: 'zeros', features: bands } }])).metrics[0]!;
    expect(segmented.figures['features']).toBe(3);
    expect(segmented.score).toBeCloseTo(1, 6);
  });

  it('sensitivity-n: the exact attribution of a linear model is additive at every n (correlation 1)', async () => {
    const result = await evaluate([{ metric: 'sensitivity-n', params: { fractions: [0.01, 0.1, 0.5, 0.8], samples: 20 } }]);
    const [m] = result.metrics;
    // 1% of 144 rounds to 1 pixel; sizes are 1, 14, 72, 115.
    expect(m!.curves[0]!.x).toEqual([1, 14, 72, 115]);
    m!.curves[0]!.y.forEach((r) => expect(r).toBeCloseTo(1, 6));
    expect(m!.score).toBeCloseTo(1, 6);
    expect(m!.forwardPasses).toBe(81);
    // A map that ignores the model is not additive.
    const flat = await evaluate([{ metric: 'sensitivity-n', params: { fractions: [0.1, 0.5], samples: 30 } }], { attribution: { dims: [1, 1, H, W], data: Float32Array.from({ length: n }, (_, i) => (i % 3) - 1) } });
    expect(flat.metrics[0]!.score).toBeLessThan(0.6);
  });

  it('several metrics share one attribution; bad metrics and parameters are clear errors', async () => {
    const both = await evaluate([{ metric: 'deletion' }, { metric: 'insertion' }]);
    expect(both.metrics.map((m) => m.metric)).toEqual(['deletion', 'insertion']);
    expect(both.methodParams).toEqual({ objective: 'logit' });
    await expect(evaluate([{ metric: 'telepathy' }])).rejects.toThrow(/Unknown metric "telepathy"/);
    await expect(evaluate([{ metric: 'deletion', params: { stepFraction: 2 } }])).rejects.toThrow(/Invalid parameters for deletion/);
    await expect(evaluate([{ metric: 'faithfulness-correlation', params: { subsetSize: 144 } }])).rejects.toThrow(/subsetSize 144 must be smaller than the number of pixels \(144\)/);
    await expect(evaluate([{ metric: 'deletion' }], { attribution: { dims: [1, 1, 5, 5], data: new Float32Array(25) } })).rejects.toThrow(/25 values/);
    await expect(evaluate([])).rejects.toThrow(/at least one metric/);
  });
});

describe('deletion and insertion on the bundled MobileNetV2', () => {
  const bundled = useBundledModel('coffee');

  // On the cat photo the two cat classes compete and the curves are not monotone; the espresso is clean.
  it('Grad-CAM beats its own reversal on both (1% steps), so the metrics can tell maps apart', async () => {
    const metrics = [{ metric: 'deletion', params: {} }, { metric: 'insertion', params: {} }];
    const t0 = performance.now();
    const gradCam = await bundled.api.call('evaluate', { modelId: bundled.modelId, input: { kind: 'image', imageId: bundled.imageId }, method: 'grad-cam', metrics });
    const ms = performance.now() - t0;
    const map = await bundled.api.call('attribute', { modelId: bundled.modelId, input: { kind: 'image', imageId: bundled.imageId }, method: 'grad-cam' });
    // The same smooth map, ranked backwards: least relevant pixels first.
    const reversed = await bundled.api.call('evaluate', { modelId: bundled.modelId, input: { kind: 'image', imageId: bundled.imageId }, method: 'grad-cam', metrics, attribution: { dims: map.dims, data: map.data.map((v) => -v) } });
    const [gDel, gIns] = gradCam.metrics;
    const [rDel, rIns] = reversed.metrics;
    console.info(`espresso, Grad-CAM: deletion AUC ${gDel!.score.toFixed(4)} (reversed ${rDel!.score.toFixed(4)}), insertion AUC ${gIns!.score.toFixed(4)} (reversed ${rIns!.score.toFixed(4)}); ${gDel!.forwardPasses + gIns!.forwardPasses} forward passes, ${ms.toFixed(0)} ms with the attribution`);
    expect(gDel!.curves[0]!.x).toHaveLength(101);
    expect(gDel!.score).toBeLessThan(rDel!.score);
    expect(gIns!.score).toBeGreaterThan(rIns!.score);
  });
});
