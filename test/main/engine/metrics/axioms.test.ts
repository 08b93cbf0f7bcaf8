import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { testApi, useBundledModel } from '../../../helpers/engine';
import { linearImageModel, openTestModel } from '../../../helpers/image-models';

describe('axioms on a linear model (known answers)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let id: string;
  const [H, W] = [8, 8];
  const w = Array.from({ length: H * W }, (_, i) => Math.sin(i) * 0.3);
  const x = Float32Array.from({ length: H * W }, (_, i) => 0.2 + (i % 4) * 0.1);
  beforeAll(async () => {
    ({ api, close } = testApi());
    id = await openTestModel(api, linearImageModel(w, [0.1], [1, H, W]), 'linear-axioms');
  });
  afterAll(() => close());
  const axioms = (method: string, params: Record<string, unknown> = {}) =>
    api.call('evaluate', { modelId: id, input: { kind: 'tensor', dims: [1, 1, H, W], data: x }, method, target: 0, params, metrics: [{ metric: 'axioms', params: {} }] }).then((r) => r.metrics[0]!);

  it('gradient x input and IG are complete on a linear model (zero baseline); the plain gradient is not', async () => {
    const gxi = await axioms('gradient-x-input');
    expect(gxi.figures['completenessHolds']).toBe(1);
    expect(gxi.figures['completenessError']).toBeLessThan(1e-5);
    const ig = await axioms('integrated-gradients', { steps: 8 });
    expect(ig.figures['completenessHolds']).toBe(1);
    const grad = await axioms('gradient');
    expect(grad.figures['completenessHolds']).toBe(0);
    // No Conv to rewrite: implementation invariance is not checked here.
    expect(grad.figures['implementationInvarianceHolds']).toBeUndefined();
    // On the synthetic model (a ReLU of the top half), dummies get nothing and symmetric inputs share equally.
    for (const r of [gxi, ig, grad]) {
      expect(r.figures['dummyHolds']).toBe(1);
      expect(r.figures['symmetryHolds']).toBe(1);
    }
    expect(ig.score).toBe(1);
    expect(grad.score).toBeCloseTo(2 / 3, 12);
  });
});

describe('axioms on the bundled MobileNetV2', () => {
  const bundled = useBundledModel('coffee');
  const axioms = (method: string, params: Record<string, unknown> = {}) =>
    bundled.api.call('evaluate', { modelId: bundled.modelId, input: { kind: 'image', imageId: bundled.imageId }, method, params, metrics: [{ metric: 'axioms', params: {} }] }).then((r) => r.metrics[0]!);

  it('the gradient is implementation invariant under inserted BatchNorms; Grad-CAM cannot run on the synthetic model and says so', async () => {
    const grad = await axioms('gradient');
    console.info(`gradient on MobileNetV2: ${JSON.stringify(grad.figures)}`);
    expect(grad.figures['insertedBatchNorms']).toBeGreaterThan(30);
    expect(grad.figures['implementationInvarianceHolds']).toBe(1);
    expect(grad.figures['implementationInvarianceSpearman']).toBeGreaterThan(0.99);
    expect(grad.figures['dummyHolds']).toBe(1);
    const cam = await axioms('grad-cam');
    expect(cam.figures['syntheticNotApplicable']).toBe(1);
    expect(cam.figures['dummyHolds']).toBeUndefined();
  });
});
