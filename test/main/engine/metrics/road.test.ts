import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { noisyLinearImputation } from '../../../../src/main/engine/metrics/functions/noisy-linear-imputation';
import { testApi } from '../../../helpers/engine';
import { linearImageModel, openTestModel } from '../../../helpers/image-models';

describe('ROAD', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let id: string;
  const [H, W] = [10, 10];
  const n = H * W;
  const w = Array.from({ length: n }, (_, i) => Math.cos(i * 0.7) * 0.5);
  const x = Float32Array.from({ length: n }, (_, i) => 0.1 + ((i * 3) % 10) / 10);
  const b = 0.3;
  beforeAll(async () => {
    ({ api, close } = testApi());
    id = await openTestModel(api, linearImageModel(w, [b], [1, H, W]), 'linear-road');
  });
  afterAll(() => close());

  it('MoRF and LeRF curves are the model on the imputed images (linear model, noise 0), in attribution order', async () => {
    const fractions = [0.2, 0.5];
    const result = await api.call('evaluate', {
      modelId: id,
      input: { kind: 'tensor', dims: [1, 1, H, W], data: x },
      method: 'gradient-x-input',
      target: 0,
      metrics: [{ metric: 'road', params: { objective: 'logit', fractions, noise: 0 } }],
    });
    const [m] = result.metrics;
    const contribution = Array.from(x, (v, i) => Math.fround(w[i]!) * v);
    const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => contribution[q]! - contribution[p]! || p - q);
    const score = (image: Float32Array): number => b + image.reduce((s, v, i) => s + Math.fround(w[i]!) * v, 0);
    const expected = (morf: boolean) => [
      score(x),
      ...fractions.map((f) => {
        const remove = new Uint8Array(n);
        for (let r = 0; r < Math.round(f * n); r++) remove[order[morf ? r : n - 1 - r]!] = 1;
        return score(noisyLinearImputation(x, 'NCHW', 1, H, W, remove, { noise: 0 }));
      }),
    ];
    const [morf, lerf] = m!.curves;
    expect(morf!.x).toEqual([0, 0.2, 0.5]);
    morf!.y.forEach((v, i) => expect(v).toBeCloseTo(expected(true)[i]!, 4));
    lerf!.y.forEach((v, i) => expect(v).toBeCloseTo(expected(false)[i]!, 4));
    expect(m!.score).toBeCloseTo(m!.figures['lerfArea']! - m!.figures['morfArea']!, 12);
    expect(m!.score).toBeGreaterThan(0);
    expect(m!.forwardPasses).toBe(5);
  });
});
