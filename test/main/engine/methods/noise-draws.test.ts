import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { encodeNpy } from '../../../../src/main/engine/io/npy';
import { Rng } from '../../../../src/main/engine/random/rng';
import { testApi } from '../../../helpers/engine';
import { rng } from '../../../helpers/gradient-check';
import { openTestModel, smoothImageModel } from '../../../helpers/image-models';
import { tempDir } from '../../../helpers/tiny-models';

/**
 * The noise tunnels and GradientSHAP draw their noise (and GradientSHAP its baselines and alphas)
 * as the work goes, a chunk or a run at a time. These tests rebuild each result from the definition
 * (draw every sample in order from a generator with the recorded seed, take plain gradients one by
 * one, average), on a model whose gradient changes with the input, with more samples than fit in one
 * chunk or run: a draw out of order, a skipped or repeated sample or a chunk summed twice fails.
 */
const r = rng(23);
const randoms = (n: number, scale = 1): number[] => Array.from({ length: n }, () => scale * (2 * r() - 1));

describe('noise drawn as the work goes equals noise drawn up front', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let smooth: string;
  const x = Float32Array.from(randoms(16));
  const tensor = (data: Float32Array) => ({ kind: 'tensor' as const, dims: [1, 1, 4, 4], data });

  beforeAll(async () => {
    ({ api, close } = testApi());
    smooth = await openTestModel(api, smoothImageModel(randoms(96, 1.5), randoms(18, 1.5)), 'smooth');
  });
  afterAll(() => close());

  const attribute = (method: string, params: Record<string, unknown>, input: Float32Array, target: number) =>
    api.call('attribute', { modelId: smooth, input: tensor(input), method, params, target });
  const gradientAt = async (input: Float32Array, target: number) => Float32Array.from((await attribute('gradient', {}, input, target)).data);

  it('SmoothGrad and VarGrad over 70 samples (three chunks) are the mean and variance of the gradients of the noisy copies, in draw order', async () => {
    const [samples, seed, noiseStd, target] = [70, 5, 0.3, 1];
    const draws = new Rng(seed);
    const grads: Float32Array[] = [];
    for (let k = 0; k < samples; k++) grads.push(await gradientAt(draws.addNormal(x, noiseStd), target));
    const mean = x.map((_, j) => grads.reduce((s, g) => s + g[j]!, 0) / samples);
    const variance = x.map((_, j) => grads.reduce((s, g) => s + g[j]! * g[j]!, 0) / samples - mean[j]! * mean[j]!);
    expect(Math.max(...variance)).toBeGreaterThan(1e-4); // the gradients really differ between copies

    const sg = await attribute('smoothgrad', { samples, seed, noiseStd }, x, target);
    const vg = await attribute('vargrad', { samples, seed, noiseStd }, x, target);
    mean.forEach((v, j) => expect(sg.data[j]).toBeCloseTo(v, 6));
    variance.forEach((v, j) => expect(vg.data[j]).toBeCloseTo(v, 6));
  });

  it('reports its progress once over all chunks: every report counts all 70 copies, and the count only grows', async () => {
    const reports: Array<{ done: number; total: number }> = [];
    await api.call(
      'attribute',
      { modelId: smooth, input: tensor(x), method: 'smoothgrad', params: { samples: 70, seed: 1 }, target: 0 },
      { onProgress: ({ done, total }) => reports.push({ done, total }) },
    );
    expect(reports.length).toBeGreaterThan(2);
    expect(new Set(reports.map((p) => p.total))).toEqual(new Set([70]));
    reports.slice(1).forEach((p, i) => expect(p.done).toBeGreaterThan(reports[i]!.done));
    expect(reports.at(-1)!.done).toBe(70);
  });

  it('GradientSHAP over 150 samples (several runs) is the mean of (x_noisy - b) * grad at b + alpha (x_noisy - b), with b, alpha and the noise drawn in that order', async () => {
    const [samples, seed, noiseStd, target] = [150, 9, 0.2, 2];
    const bases = [Float32Array.from(randoms(16)), Float32Array.from(randoms(16))];
    const path = join(tempDir(), 'two.npy');
    writeFileSync(path, encodeNpy({ shape: [2, 1, 4, 4], data: Float32Array.from([...bases[0]!, ...bases[1]!]) }));
    const draws = new Rng(seed);
    const expected = new Float64Array(16);
    for (let k = 0; k < samples; k++) {
      const b = bases[draws.int(2)]!;
      const alpha = draws.uniform();
      const noisy = draws.addNormal(x, noiseStd);
      const point = Float32Array.from(noisy, (v, j) => b[j]! + alpha * (v - b[j]!));
      const g = await gradientAt(point, target);
      for (let j = 0; j < 16; j++) expected[j]! += ((noisy[j]! - b[j]!) * g[j]!) / samples;
    }
    const gs = await attribute('gradient-shap', { baselines: path, samples, seed, noiseStd }, x, target);
    expected.forEach((v, j) => expect(gs.data[j]).toBeCloseTo(v, 6));
  });
});
