import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { LumenError } from '../../../../src/shared/errors';
import { methodCatalogue } from '../../../../src/shared/methods/catalogue';
import { methods } from '../../../../src/main/engine/methods/registry';
import { encodeNpy } from '../../../../src/main/engine/io/npy';
import { testApi } from '../../../helpers/engine';
import { rng } from '../../../helpers/gradient-check';
import { linearImageModel, openTestModel, saturatingImageModel, smoothImageModel } from '../../../helpers/image-models';
import { tempDir } from '../../../helpers/tiny-models';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const r = rng(11);
const randoms = (n: number, scale = 1): number[] => Array.from({ length: n }, () => scale * (2 * r() - 1));
const total = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);

describe('attribution methods on models with closed-form answers', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let linear: string;
  let saturating: string;
  let smooth: string;
  const w = randoms(16 * 3);
  const b = [0.1, -0.2, 0.3];
  const x = Float32Array.from(randoms(16));
  const tensor = (data: Float32Array, dims = [1, 1, 4, 4]) => ({ kind: 'tensor' as const, dims, data });
  const weightsOf = (k: number): number[] => Array.from({ length: 16 }, (_, i) => w[i * 3 + k]!);

  beforeAll(async () => {
    ({ api, close } = testApi());
    linear = await openTestModel(api, linearImageModel(w, b, [1, 4, 4]), 'linear');
    saturating = await openTestModel(api, saturatingImageModel(), 'saturating');
    smooth = await openTestModel(api, smoothImageModel(randoms(96), randoms(18)), 'smooth');
  });
  afterAll(() => close());

  const attribute = (modelId: string, method: string, params: Record<string, unknown> = {}, input = tensor(x), target?: number) =>
    api.call('attribute', { modelId, input, method, params, ...(target === undefined ? {} : { target }) });

  it('every catalogue entry has an implementation and vice versa', () => {
    expect(methods.map((m) => m.id).sort()).toEqual(methodCatalogue.map((m) => m.id).sort());
  });

  it('gradient of a linear model is its weight row; gradient x input multiplies by x', async () => {
    const g = await attribute(linear, 'gradient', {}, tensor(x), 1);
    weightsOf(1).forEach((v, i) => expect(g.data[i]).toBeCloseTo(v, 5));
    expect(g.dims).toEqual([1, 1, 4, 4]);
    const gx = await attribute(linear, 'gradient-x-input', {}, tensor(x), 1);
    weightsOf(1).forEach((v, i) => expect(gx.data[i]).toBeCloseTo(v * x[i]!, 5));
    const abs = await attribute(linear, 'gradient', { absolute: true }, tensor(x), 1);
    weightsOf(1).forEach((v, i) => expect(abs.data[i]).toBeCloseTo(Math.abs(v), 5));
  });

  it('defaults to the top class and names it', async () => {
    const g = await attribute(linear, 'gradient');
    const scores = [0, 1, 2].map((k) => total(weightsOf(k).map((v, i) => v * x[i]!)) + b[k]!);
    expect(g.target).toBe(scores.indexOf(Math.max(...scores)));
    expect(g.targetLabel).toBe(`class ${g.target}`);
  });

  it('integrated gradients: the saturated ReLU gets 0.5 + 0.5 where the gradient is 0 (riemann-left, exact)', async () => {
    const input = tensor(Float32Array.from([1, 1]), [1, 1, 1, 2]);
    const g = await attribute(saturating, 'gradient', {}, input, 0);
    expect([...g.data]).toEqual([0, 0]);
    const ig = await attribute(saturating, 'integrated-gradients', { stepRule: 'riemann-left', steps: 50 }, input, 0);
    expect(ig.data[0]).toBeCloseTo(0.5, 6);
    expect(ig.data[1]).toBeCloseTo(0.5, 6);
    expect(ig.figures['completenessError']).toBeLessThan(1e-6);
    expect(ig.figures['outputDifference']).toBeCloseTo(1, 6);
  });

  it('DeepLIFT gives the same 0.5 + 0.5 and sums to the output difference', async () => {
    const input = tensor(Float32Array.from([1, 1]), [1, 1, 1, 2]);
    const dl = await attribute(saturating, 'deeplift', {}, input, 0);
    expect(dl.data[0]).toBeCloseTo(0.5, 6);
    expect(dl.data[1]).toBeCloseTo(0.5, 6);
    expect(dl.figures['summationToDeltaError']).toBeLessThan(1e-6);
  });

  it("DeepLIFT's f(x) - f(x'), read from its graph's reference pass, is the difference of two separate forward rows, for every objective", async () => {
    for (const objective of ['logit', 'probability', 'log-probability', 'sigmoid']) {
      const dl = await attribute(smooth, 'deeplift', { objective }, tensor(x), 2);
      // Integrated gradients runs x and the baseline as rows of their own for its completeness check.
      const ig = await attribute(smooth, 'integrated-gradients', { objective, steps: 4 }, tensor(x), 2);
      expect(Math.abs(ig.figures['outputDifference']!)).toBeGreaterThan(1e-3);
      expect(dl.figures['outputDifference']).toBeCloseTo(ig.figures['outputDifference']!, 5);
    }
  });

  it('integrated gradients is complete on a smooth network (gauss-legendre, 64 steps)', async () => {
    const ig = await attribute(smooth, 'integrated-gradients', { steps: 64 }, tensor(x), 2);
    expect(ig.figures['completenessError']).toBeLessThan(1e-4);
    expect(total(ig.data)).toBeCloseTo(ig.figures['outputDifference']!, 4);
    expect(ig.params).toMatchObject({ steps: 64, stepRule: 'gauss-legendre', baseline: 'zeros', objective: 'logit', seed: 0 });
  });

  it('integrated gradients on a linear model is (x - baseline) * w, for every baseline preset', async () => {
    for (const baseline of ['zeros', 'black', 'white']) {
      const ig = await attribute(linear, 'integrated-gradients', { baseline, steps: 4, stepRule: 'riemann-middle' }, tensor(x), 0);
      // The card has mean 0 and std 1: black is 0, white is 1 in tensor space.
      const x0 = baseline === 'white' ? 1 : 0;
      weightsOf(0).forEach((v, i) => expect(ig.data[i]).toBeCloseTo((x[i]! - x0) * v, 5));
    }
  });

  it('several baselines from a .npy file are averaged', async () => {
    const dir = tempDir();
    const path = join(dir, 'baselines.npy');
    const baselines = Float32Array.from(randoms(32));
    writeFileSync(path, encodeNpy({ shape: [2, 1, 4, 4], data: baselines }));
    const ig = await attribute(linear, 'integrated-gradients', { baselines: path, steps: 3 }, tensor(x), 0);
    weightsOf(0).forEach((v, i) => expect(ig.data[i]).toBeCloseTo((x[i]! - (baselines[i]! + baselines[16 + i]!) / 2) * v, 5));
  });

  it('noise tunnels on a linear model: SmoothGrad = w, SmoothGrad² = w², VarGrad = 0 (for any noise)', async () => {
    const sg = await attribute(linear, 'smoothgrad', { samples: 7, noiseFraction: 0.5 }, tensor(x), 2);
    const sq = await attribute(linear, 'smoothgrad-squared', { samples: 7 }, tensor(x), 2);
    const vg = await attribute(linear, 'vargrad', { samples: 7 }, tensor(x), 2);
    weightsOf(2).forEach((v, i) => {
      expect(sg.data[i]).toBeCloseTo(v, 5);
      expect(sq.data[i]).toBeCloseTo(v * v, 5);
      expect(Math.abs(vg.data[i]!)).toBeLessThan(1e-6);
    });
  });

  it('noise tunnels are reproducible by seed and differ across seeds (gradient x input varies with noise)', async () => {
    const run = (seed: number) => attribute(linear, 'smoothgrad', { samples: 5, seed, base: 'gradient-x-input' }, tensor(x), 0);
    const [a, a2, c] = [await run(1), await run(1), await run(2)];
    expect([...a.data]).toEqual([...a2.data]);
    expect([...a.data]).not.toEqual([...c.data]);
  });

  it('smooth-ig wraps integrated gradients', async () => {
    const s = await attribute(linear, 'smooth-ig', { samples: 3, noiseStd: 0, baseParams: { steps: 4 } }, tensor(x), 0);
    weightsOf(0).forEach((v, i) => expect(s.data[i]).toBeCloseTo(x[i]! * v, 5));
  });

  it('GradientSHAP and DeepSHAP on a linear model: (x - mean baseline) * w with one baseline', async () => {
    const dir = tempDir();
    const path = join(dir, 'one.npy');
    const base = Float32Array.from(randoms(16));
    writeFileSync(path, encodeNpy({ shape: [1, 1, 4, 4], data: base }));
    const gs = await attribute(linear, 'gradient-shap', { baselines: path, samples: 5 }, tensor(x), 1);
    const ds = await attribute(linear, 'deepshap', { baselines: path }, tensor(x), 1);
    weightsOf(1).forEach((v, i) => {
      expect(gs.data[i]).toBeCloseTo((x[i]! - base[i]!) * v, 5);
      expect(ds.data[i]).toBeCloseTo((x[i]! - base[i]!) * v, 5);
    });
  });

  it('LRP-epsilon on a linear model: x * w * z / (z + eps) (the bias absorbs its share)', async () => {
    const lrp = await attribute(linear, 'lrp-epsilon', { epsilon: 1e-9, startRelevance: 'output' }, tensor(x), 0);
    const z = total(weightsOf(0).map((v, i) => v * x[i]!)) + b[0]!;
    weightsOf(0).forEach((v, i) => expect(lrp.data[i]).toBeCloseTo((x[i]! * v * z) / z, 4));
    expect(lrp.figures['logit']).toBeCloseTo(z, 5);
    expect(lrp.figures['conservationError']).toBeCloseTo(Math.abs(b[0]!), 4);
  });

  it('objectives: probability and log-probability gradients follow the softmax chain rule', async () => {
    const logits = [0, 1, 2].map((k) => total(weightsOf(k).map((v, i) => v * x[i]!)) + b[k]!);
    const m = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - m));
    const p = e.map((v) => v / total(e));
    const gp = await attribute(linear, 'gradient', { objective: 'probability' }, tensor(x), 0);
    const glp = await attribute(linear, 'gradient', { objective: 'log-probability' }, tensor(x), 0);
    for (let i = 0; i < 16; i++) {
      const mix = [0, 1, 2].reduce((s, k) => s + p[k]! * w[i * 3 + k]!, 0);
      expect(gp.data[i]).toBeCloseTo(p[0]! * (w[i * 3]! - mix), 5);
      expect(glp.data[i]).toBeCloseTo(w[i * 3]! - mix, 5);
    }
  });
});

describe('bad input to attribute', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let linear: string;
  beforeAll(async () => {
    ({ api, close } = testApi());
    linear = await openTestModel(api, linearImageModel(randoms(48), [0, 0, 0], [1, 4, 4]), 'linear');
  });
  afterAll(() => close());

  const fail = async (p: Promise<unknown>): Promise<LumenError> => {
    const e = await p.then(() => new Error('expected failure'), (err: unknown) => err);
    expect(e).toBeInstanceOf(LumenError);
    return e as LumenError;
  };
  const x = (values?: number[], dims = [1, 1, 4, 4]) => ({ kind: 'tensor' as const, dims, data: Float32Array.from(values ?? new Array(16).fill(0.5)) });

  it('an unknown method lists the available ones', async () => {
    const e = await fail(api.call('attribute', { modelId: linear, input: x(), method: 'magic' }));
    expect(e.message).toBe('Unknown attribution method "magic".');
    expect(e.hint).toContain('integrated-gradients');
  });

  it('invalid or misspelt parameters name the field', async () => {
    expect((await fail(api.call('attribute', { modelId: linear, input: x(), method: 'integrated-gradients', params: { steps: 1 } }))).message).toMatch(/steps: at least 2 steps/);
    expect((await fail(api.call('attribute', { modelId: linear, input: x(), method: 'integrated-gradients', params: { step: 10 } }))).message).toMatch(/Unrecognized key: "step"/);
  });

  it('a target out of range', async () => {
    const e = await fail(api.call('attribute', { modelId: linear, input: x(), method: 'gradient', target: 3 }));
    expect(e.message).toBe('Target class 3 is out of range: the model has 3 classes (0 to 2).');
  });

  it('NaN or infinite input values', async () => {
    const values = new Array(16).fill(0);
    values[5] = Number.NaN;
    expect((await fail(api.call('attribute', { modelId: linear, input: x(values), method: 'gradient' }))).message).toBe('The input contains NaN at element 5.');
    values[5] = Infinity;
    expect((await fail(api.call('attribute', { modelId: linear, input: x(values), method: 'gradient' }))).message).toMatch(/infinite value at element 5/);
  });

  it('a tensor of the wrong shape', async () => {
    const e = await fail(api.call('attribute', { modelId: linear, input: x(new Array(12).fill(0), [1, 1, 3, 4]), method: 'gradient' }));
    expect(e.message).toBe('The input tensor has shape [1, 1, 3, 4]; the model expects [1, 1, 4, 4].');
  });

  it('a baseline file of the wrong size', async () => {
    const path = join(tempDir(), 'bad.npy');
    writeFileSync(path, encodeNpy({ shape: [5], data: new Float32Array(5) }));
    const e = await fail(api.call('attribute', { modelId: linear, input: x(), method: 'integrated-gradients', params: { baseline: path } }));
    expect(e.message).toMatch(/not a whole number of inputs of 16 values/);
  });
});
