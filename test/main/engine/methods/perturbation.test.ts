import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { windowStarts } from '../../../../src/main/engine/methods/perturbation/occlusion';
import { riseMask } from '../../../../src/main/engine/methods/perturbation/rise-masks';
import { Rng } from '../../../../src/main/engine/random/rng';
import { testApi } from '../../../helpers/engine';
import { linearImageModel, openTestModel } from '../../../helpers/image-models';

describe('occlusion windows', () => {
  it('every stride, plus one flush with the end when the stride does not reach it', () => {
    expect(windowStarts(10, 4, 3)).toEqual([0, 3, 6]);
    expect(windowStarts(11, 4, 3)).toEqual([0, 3, 6, 7]);
    expect(windowStarts(4, 4, 2)).toEqual([0]);
  });
});

describe('RISE masks', () => {
  it('are reproducible by seed, lie in [0, 1], and keep about p of the image', () => {
    const a = riseMask(new Rng(3), 7, 0.5, 64, 48, new Float32Array(64 * 48));
    const b = riseMask(new Rng(3), 7, 0.5, 64, 48, new Float32Array(64 * 48));
    expect(a).toEqual(b);
    let mean = 0;
    const rng = new Rng(9);
    for (let k = 0; k < 200; k++) {
      const m = riseMask(rng, 7, 0.3, 64, 48, new Float32Array(64 * 48));
      for (const v of m) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        mean += v / (64 * 48 * 200);
      }
    }
    expect(mean).toBeCloseTo(0.3, 1);
  });
});

describe('perturbation methods on a linear model', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let id: string;
  // One class: score = sum_i w_i x_i over a 1 x 4 x 4 image.
  const w = Array.from({ length: 16 }, (_, i) => (i % 5) - 2 + 0.5);
  const x = Float32Array.from({ length: 16 }, (_, i) => 1 + (i % 3));
  beforeAll(async () => {
    ({ api, close } = testApi());
    id = await openTestModel(api, linearImageModel(w, [0.25], [1, 4, 4]), 'linear1');
  });
  afterAll(() => close());
  const input = () => ({ kind: 'tensor' as const, dims: [1, 1, 4, 4], data: x });

  it('occlusion: each pixel gets the mean score drop of the windows covering it (computed by hand)', async () => {
    const r = await api.call('attribute', { modelId: id, input: input(), method: 'occlusion', target: 0, params: { window: 2, stride: 2 } });
    // Windows of 2 x 2 with stride 2 tile the image: each pixel is covered once and gets its window's drop.
    for (let y = 0; y < 4; y++) {
      for (let xx = 0; xx < 4; xx++) {
        const [y0, x0] = [y - (y % 2), xx - (xx % 2)];
        let drop = 0;
        for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) drop += w[(y0 + dy) * 4 + x0 + dx]! * x[(y0 + dy) * 4 + x0 + dx]!;
        expect(r.data[y * 4 + xx]).toBeCloseTo(drop, 5);
      }
    }
    expect(r.figures['forwardPasses']).toBe(5);
  });

  it('occlusion with overlapping windows averages the drops', async () => {
    const r = await api.call('attribute', { modelId: id, input: input(), method: 'occlusion', target: 0, params: { window: 2, stride: 1 } });
    const windowDrop = (y0: number, x0: number): number => [0, 1].flatMap((dy) => [0, 1].map((dx) => w[(y0 + dy) * 4 + x0 + dx]! * x[(y0 + dy) * 4 + x0 + dx]!)).reduce((a, b) => a + b, 0);
    // Pixel (1, 1) lies in the four windows starting at (0,0), (0,1), (1,0), (1,1).
    const expected = (windowDrop(0, 0) + windowDrop(0, 1) + windowDrop(1, 0) + windowDrop(1, 1)) / 4;
    expect(r.data[5]).toBeCloseTo(expected, 5);
  });

  it('RISE is reproducible by seed and converges to the linear weights times the inputs (up to scale and offset)', async () => {
    const run = (seed: number) => api.call('attribute', { modelId: id, input: input(), method: 'rise', target: 0, params: { masks: 3000, cells: 4, seed, objective: 'logit' } });
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    expect([...a.data]).toEqual([...b.data]);
    expect([...a.data]).not.toEqual([...c.data]);
    // For a linear score the RISE map is an affine function of w * x blurred by the mask smoothing: strongly correlated.
    const truth = Array.from(x, (v, i) => v * w[i]!);
    const corr = (p: number[], q: number[]): number => {
      const mp = p.reduce((s, v) => s + v, 0) / p.length;
      const mq = q.reduce((s, v) => s + v, 0) / q.length;
      const cov = p.reduce((s, v, i) => s + (v - mp) * (q[i]! - mq), 0);
      return cov / Math.sqrt(p.reduce((s, v) => s + (v - mp) ** 2, 0) * q.reduce((s, v) => s + (v - mq) ** 2, 0));
    };
    expect(corr([...a.data], truth)).toBeGreaterThan(0.5);
  });
});
