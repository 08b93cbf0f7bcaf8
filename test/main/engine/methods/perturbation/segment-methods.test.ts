import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { encodeNpy } from '../../../../../src/main/engine/io/npy';
import { testApi, useBundledModel } from '../../../../helpers/engine';
import { linearImageModel, openTestModel } from '../../../../helpers/image-models';
import { tempDir } from '../../../../helpers/tiny-models';

describe('segment methods on a model that is exactly linear in its segments', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let id: string;
  const dir = tempDir();
  const [H, W] = [12, 12];
  // Six vertical stripes of 2 columns; with absent segments set to zero the score is
  // f(z) = b + sum_s z_s c_s, where c_s is the sum of w_i x_i over stripe s.
  const stripe = (p: number): number => Math.floor((p % W) / 2);
  // Stripe weights well apart (and of both signs), with some per-pixel variation.
  const w = Array.from({ length: H * W }, (_, i) => 0.05 * (stripe(i) - 2.5) * (stripe(i) % 2 ? -1 : 1) + Math.cos(i * 1.3) * 0.01);
  const x = Float32Array.from({ length: H * W }, (_, i) => 0.2 + ((i * 13) % 7) / 7);
  const bias = 0.7;
  const c = [0, 1, 2, 3, 4, 5].map((s) => x.reduce((acc, v, p) => (stripe(p) === s ? acc + w[p]! * v : acc), 0));
  const input = () => ({ kind: 'tensor' as const, dims: [1, 1, H, W], data: x });
  const segments = () => join(dir, 'stripes.npy');
  beforeAll(async () => {
    ({ api, close } = testApi());
    id = await openTestModel(api, linearImageModel(w, [bias], [1, H, W]), 'linear12');
    writeFileSync(segments(), encodeNpy({ shape: [H, W], data: Int32Array.from({ length: H * W }, (_, p) => stripe(p)) }));
    writeFileSync(join(dir, 'wrong.npy'), encodeNpy({ shape: [H, W + 1], data: new Int32Array(H * (W + 1)) }));
    writeFileSync(join(dir, 'many.npy'), encodeNpy({ shape: [H, W], data: Int32Array.from({ length: H * W }, (_, p) => p % 15) }));
  });
  afterAll(() => close());
  const run = (method: string, params: Record<string, unknown>) =>
    api.call('attribute', { modelId: id, input: input(), method, target: 0, params: { objective: 'logit', segmentation: segments(), ...params } });

  it('LIME recovers the true segment weights, with R^2 = 1', async () => {
    const result = await run('lime', { hide: 'zeros', samples: 2000, featureSelection: 'none', seed: 3 });
    // Ridge (alpha 1, as LIME) shrinks by well under 1% with 2000 weighted samples.
    result.segments!.values.forEach((v, s) => expect(Math.abs(v - c[s]!)).toBeLessThan(0.01 * Math.max(...c.map(Math.abs))));
    expect(result.figures['r2']).toBeGreaterThan(0.9999);
    expect(result.figures['intercept']).toBeCloseTo(bias, 1);
    // The map paints each segment's weight on its pixels.
    result.data.forEach((v, p) => expect(v).toBe(Math.fround(result.segments!.values[stripe(p)]!)));
  });

  it('exact Shapley values of an additive game are its terms; KernelSHAP agrees and both are efficient', async () => {
    const exact = await run('shapley-exact', { background: 'zeros' });
    exact.segments!.values.forEach((v, s) => expect(v).toBeCloseTo(c[s]!, 4));
    expect(exact.figures['forwardPasses']).toBe(64);
    expect(exact.figures['efficiencyError']).toBeLessThan(1e-5);
    const sampled = await run('kernel-shap', { background: 'zeros', samples: 30, seed: 1 });
    sampled.segments!.values.forEach((v, s) => expect(v).toBeCloseTo(c[s]!, 4));
    expect(sampled.figures['efficiencyError']).toBeLessThan(1e-5);
  });

  it('same seed, same result; the stability option reports the rank agreement of several seeds', async () => {
    const a = await run('lime', { hide: 'zeros', samples: 200, seed: 5 });
    const b = await run('lime', { hide: 'zeros', samples: 200, seed: 5 });
    expect(b.data).toEqual(a.data);
    const stable = await run('lime', { hide: 'zeros', samples: 200, seed: 5, stability: 3 });
    expect(stable.figures['stabilityRuns']).toBe(3);
    // On an exactly linear model every run ranks the stripes the same way.
    expect(stable.figures['stabilityRankCorrelation']).toBeCloseTo(1, 6);
  });

  it('rejects a segment map of the wrong shape, too many segments for exact Shapley, and zero samples', async () => {
    await expect(run('lime', { segmentation: join(dir, 'wrong.npy') })).rejects.toThrow(/shape \[12, 13\]; it must be 12 x 12/);
    await expect(run('kernel-shap', { segmentation: join(dir, 'wrong.npy') })).rejects.toThrow(/it must be 12 x 12/);
    await expect(run('shapley-exact', { segmentation: join(dir, 'many.npy') })).rejects.toThrow(/at most 14 segments.*gave 15/);
    await expect(run('lime', { samples: 0 })).rejects.toThrow(/at least one sample is needed/);
    await expect(run('kernel-shap', { samples: 0 })).rejects.toThrow(/at least one sample is needed/);
  });
});

describe('KernelSHAP converges to exact Shapley values on the bundled MobileNetV2', () => {
  const bundled = useBundledModel('coffee');

  it('the error falls as samples grow, reaching zero once every coalition is enumerated', async () => {
    const params = { segmentation: 'slic', segments: 8, background: 'blurred' };
    const run = (method: string, extra: Record<string, unknown>) => bundled.api.call('attribute', { modelId: bundled.modelId, input: { kind: 'image', imageId: bundled.imageId }, method, params: { ...params, ...extra } });
    const exact = await run('shapley-exact', {});
    const k = exact.figures['segments']!;
    expect(k).toBeGreaterThanOrEqual(5);
    expect(k).toBeLessThanOrEqual(14);
    expect(exact.figures['efficiencyError']).toBeLessThan(1e-3);
    const truth = exact.segments!.values;
    const norm = Math.hypot(...truth);
    const curve: Array<[number, number]> = [];
    for (const samples of [16, 48, 2 ** k]) {
      const errors = await Promise.all(
        [0, 1, 2].map(async (seed) => {
          const r = await run('kernel-shap', { samples, seed });
          // Efficiency is a constraint of the fit: it holds whatever the sample count.
          expect(r.figures['efficiencyError']).toBeLessThan(1e-3);
          return Math.hypot(...r.segments!.values.map((v, i) => v - truth[i]!)) / norm;
        }),
      );
      curve.push([samples, errors.reduce((a, b) => a + b, 0) / errors.length]);
    }
    console.info(`KernelSHAP relative L2 error vs exact (${k} segments): ${curve.map(([n, e]) => `${n}: ${e.toFixed(4)}`).join(', ')}`);
    expect(curve[1]![1]).toBeLessThan(curve[0]![1]);
    expect(curve[2]![1]).toBeLessThan(1e-4);
  });
});
