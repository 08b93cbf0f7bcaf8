import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { testApi } from '../../../helpers/engine';
import { linearImageModel, openTestModel } from '../../../helpers/image-models';

describe('infidelity and max-sensitivity on a linear model (closed forms)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let id: string;
  const [H, W] = [12, 12];
  const n = H * W;
  const w = Array.from({ length: n }, (_, i) => Math.cos(i * 0.9) + 0.1);
  const x = Float32Array.from({ length: n }, (_, i) => 0.5 + ((i * 11) % 7) / 7);
  beforeAll(async () => {
    ({ api, close } = testApi());
    id = await openTestModel(api, linearImageModel(w, [0.2], [1, H, W]), 'linear-robustness');
  });
  afterAll(() => close());
  const evaluate = (method: string, metric: string, params: Record<string, unknown>) =>
    api.call('evaluate', { modelId: id, input: { kind: 'tensor', dims: [1, 1, H, W], data: x }, method, target: 0, metrics: [{ metric, params }] }).then((r) => r.metrics[0]!);

  it.each(['gaussian', 'square'] as const)('infidelity (%s): the gradient of a linear model predicts every change exactly; gradient x input does not', async (perturbation) => {
    const params = { perturbation, samples: 40, noiseStd: 0.1, normalize: false };
    const exact = await evaluate('gradient', 'infidelity', params);
    const actual = exact.curves[0]!.y;
    const meanSquare = actual.reduce((s, v) => s + v * v, 0) / actual.length;
    // f(x) − f(x − I) = w·I = Iᵀ Φ: only float32 rounding is left.
    expect(exact.score / meanSquare).toBeLessThan(1e-6);
    expect(exact.forwardPasses).toBe(41);
    const wrong = await evaluate('gradient-x-input', 'infidelity', params);
    expect(wrong.score / meanSquare).toBeGreaterThan(perturbation === 'gaussian' ? 0.05 : 0.01);
    // Normalising (the optimal scale β) can only lower it.
    const scaled = await evaluate('gradient-x-input', 'infidelity', { ...params, normalize: true });
    expect(scaled.score).toBeLessThanOrEqual(wrong.score);
  });

  it('max-sensitivity: 0 for the constant gradient of a linear model; bounded by r ||w|| / ||w x|| for gradient x input', async () => {
    const constant = await evaluate('gradient', 'max-sensitivity', { samples: 10 });
    expect(constant.score).toBe(0);
    const r = 0.2;
    const moving = await evaluate('gradient-x-input', 'max-sensitivity', { samples: 10, radius: r, seed: 4 });
    const wx = Math.hypot(...w.map((v, i) => Math.fround(v) * x[i]!));
    const bound = (r * Math.hypot(...w)) / wx;
    expect(moving.score).toBeGreaterThan(0.2 * bound);
    expect(moving.score).toBeLessThanOrEqual(bound * (1 + 1e-5));
    const again = await evaluate('gradient-x-input', 'max-sensitivity', { samples: 10, radius: r, seed: 4 });
    expect(again.score).toBe(moving.score);
  });

  it('max-sensitivity of an all-zero attribution is a clear error', async () => {
    await expect(
      api.call('evaluate', { modelId: id, input: { kind: 'tensor', dims: [1, 1, H, W], data: x }, method: 'gradient', target: 0, attribution: { dims: [1, 1, H, W], data: new Float32Array(n) }, metrics: [{ metric: 'max-sensitivity', params: { samples: 2 } }] }),
    ).rejects.toThrow(/zero everywhere/);
  });
});
