import { describe, expect, it } from 'vitest';
import { fitLime, limeSamples, limeWeights, selectFeatures } from '../../../../src/main/engine/methods/perturbation/lime-core';
import { weightedRidge } from '../../../../src/main/engine/linalg/solve';
import { Rng } from '../../../../src/main/engine/random/rng';

describe('weighted ridge regression', () => {
  it('recovers an exact linear relation (alpha 0) with intercept, R^2 = 1', () => {
    const rng = new Rng(4);
    const x = Array.from({ length: 40 }, () => Float64Array.from({ length: 3 }, () => rng.uniform()));
    const y = x.map((r) => 0.5 + 2 * r[0]! - r[1]! + 3 * r[2]!);
    const w = x.map(() => 0.2 + rng.uniform());
    const fit = weightedRidge(x, y, w, [0, 1, 2], 0);
    [2, -1, 3].forEach((v, i) => expect(fit.coefficients[i]).toBeCloseTo(v, 8));
    expect(fit.intercept).toBeCloseTo(0.5, 8);
    expect(fit.r2).toBeCloseTo(1, 10);
  });
});

describe('LIME', () => {
  it('samples: the first keeps everything, the others are fair coin flips, reproducible by seed', () => {
    const a = limeSamples(20, 500, new Rng(1));
    expect([...a[0]!]).toEqual(new Array(20).fill(1));
    expect(limeSamples(20, 500, new Rng(1))).toEqual(a);
    const mean = a.slice(1).reduce((s, z) => s + z.reduce((t, v) => t + v, 0), 0) / (499 * 20);
    expect(mean).toBeCloseTo(0.5, 1);
  });

  it('weights: the full sample weighs 1; fewer kept segments weigh less', () => {
    const w = limeWeights([new Uint8Array([1, 1, 1, 1]), new Uint8Array([1, 1, 0, 0]), new Uint8Array([0, 0, 0, 0])], 0.25);
    expect(w[0]).toBeCloseTo(1, 12);
    // cosine distance of (1,1,0,0) to (1,1,1,1): 1 - 2 / (sqrt 2 * 2)
    const d = 1 - 2 / (Math.SQRT2 * 2);
    expect(w[1]).toBeCloseTo(Math.sqrt(Math.exp(-(d * d) / 0.0625)), 12);
    expect(w[2]).toBeCloseTo(Math.sqrt(Math.exp(-16)), 12);
  });

  it('on a model exactly linear in its segments, recovers the true weights', () => {
    const truth = [1.5, -0.5, 0, 2, 0.25, -1];
    const samples = limeSamples(truth.length, 1000, new Rng(7));
    const y = samples.map((z) => 0.3 + z.reduce((s, v, i) => s + v * truth[i]!, 0));
    const w = limeWeights(samples, 0.25);
    const fit = fitLime(samples, y, w, truth.length, 'none');
    // Ridge with alpha 1 shrinks slightly; the weights are recovered to within the shrinkage.
    truth.forEach((v, i) => expect(fit.weights[i]).toBeCloseTo(v, 1));
    expect(fit.r2).toBeGreaterThan(0.99);
  });

  it.each(['forward-selection', 'highest-weights', 'lasso-path'] as const)('%s picks the features that matter', (method) => {
    const truth = [0, 3, 0, -2, 0, 0, 0.1, 0];
    const samples = limeSamples(truth.length, 600, new Rng(11));
    const y = samples.map((z) => z.reduce((s, v, i) => s + v * truth[i]!, 0));
    const chosen = selectFeatures(samples, y, limeWeights(samples, 0.25), 2, method);
    expect([...chosen].sort()).toEqual([1, 3]);
  });
});
