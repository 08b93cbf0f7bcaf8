import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { testApi } from '../../../helpers/engine';
import { openTestModel, smoothImageModel } from '../../../helpers/image-models';
import { guidedIgPath } from '../../../../src/main/engine/methods/guided-ig-path';
import { quantileLower } from '../../../../src/main/engine/methods/quantile';

/** References computed independently in Python (tools/fixtures/make_path_fixtures.py). */
const reference = JSON.parse(readFileSync(new URL('../../../fixtures/numeric/path-methods.json', import.meta.url), 'utf8')) as {
  W1: number[];
  W2: number[];
  x: number[];
  target: number;
  blurIg: { maxSigma: number; steps: number; gradStep: number; attribution: number[] };
  guidedIg: Array<{ steps: number; fraction: number; maxDist: number; attribution: number[] }>;
};

/** Analytic float64 gradient of tanh(x W1) W2[:, target], the model the references use. */
function gradient(x: ArrayLike<number>): Float64Array {
  const h = Array.from({ length: 6 }, (_, j) => Array.from({ length: 16 }, (_, i) => x[i]! * reference.W1[i * 6 + j]!).reduce((a, b) => a + b, 0));
  const back = h.map((v, j) => (1 - Math.tanh(v) ** 2) * reference.W2[j * 3 + reference.target]!);
  return Float64Array.from({ length: 16 }, (_, i) => back.reduce((s, b, j) => s + b * reference.W1[i * 6 + j]!, 0));
}

describe('quantile with NumPy\'s "lower" rule', () => {
  it('is the element at floor(q (n - 1)) of the sorted values', () => {
    const values = [5, 1, 4, 1, 3, 9, 2, 6];
    for (const q of [0, 0.25, 0.5, 0.9, 1]) {
      const sorted = [...values].sort((a, b) => a - b);
      expect(quantileLower(Float64Array.from(values), q)).toBe(sorted[Math.floor(q * (values.length - 1))]);
    }
    expect(quantileLower(Float64Array.from([3, Infinity, 1, Infinity]), 0.5)).toBe(3);
  });
});

describe('Guided IG path (the algorithm, with the reference\'s exact gradients)', () => {
  it.each(reference.guidedIg.map((c) => [c.maxDist, c] as const))('max distance %s matches the independent Python implementation', async (_d, c) => {
    const attr = await guidedIgPath(reference.x, new Float64Array(16), async (x) => gradient(x), c);
    c.attribution.forEach((v, i) => expect(attr[i]).toBeCloseTo(v, 10));
  });
});

describe('Blur IG and Guided IG through the engine (onnxruntime float32 gradients)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  beforeAll(async () => {
    ({ api, close } = testApi());
    modelId = await openTestModel(api, smoothImageModel(reference.W1, reference.W2), 'smooth');
  });
  afterAll(() => close());
  const input = () => ({ kind: 'tensor' as const, dims: [1, 1, 4, 4], data: Float32Array.from(reference.x) });

  it('Blur IG matches the reference (PAIR\'s blur path, scipy constant-mode blur)', async () => {
    const { maxSigma, steps, gradStep, attribution } = reference.blurIg;
    const r = await api.call('attribute', { modelId, input: input(), method: 'blur-ig', target: reference.target, params: { maxSigma, steps, gradStep } });
    attribution.forEach((v, i) => expect(r.data[i]).toBeCloseTo(v, 4));
    expect(r.figures).toHaveProperty('completenessError');
  });

  it('Guided IG matches the reference', async () => {
    const c = reference.guidedIg[0]!;
    const r = await api.call('attribute', { modelId, input: input(), method: 'guided-ig', target: reference.target, params: { steps: c.steps, fraction: c.fraction, maxDist: c.maxDist } });
    c.attribution.forEach((v, i) => expect(r.data[i]).toBeCloseTo(v, 4));
    expect(Math.abs(r.figures['attributionSum']! - r.figures['outputDifference']!)).toBeCloseTo(r.figures['completenessError']!, 10);
  });

  it('Guided IG with max distance 0 is Integrated Gradients on the straight line', async () => {
    const guided = await api.call('attribute', { modelId, input: input(), method: 'guided-ig', target: 0, params: { steps: 64, maxDist: 0 } });
    const ig = await api.call('attribute', { modelId, input: input(), method: 'integrated-gradients', target: 0, params: { steps: 64, stepRule: 'riemann-left' } });
    Array.from(ig.data).forEach((v, i) => expect(guided.data[i]).toBeCloseTo(v, 3));
  });
});
