import { describe, expect, it } from 'vitest';
import { predictSoftmaxRegression, trainSoftmaxRegression } from '../../../../../src/main/engine/metrics/roar/softmax-regression';
import { Rng } from '../../../../../src/main/engine/random/rng';

describe('softmax regression (the retrained head)', () => {
  it('separates three Gaussian clusters and generalises to fresh samples from them', () => {
    const rng = new Rng(3);
    const centres = [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0]];
    const sample = (k: number) => Float32Array.from(centres[k]!, (c) => c + 0.4 * rng.normal());
    const labels = Array.from({ length: 90 }, (_, i) => i % 3);
    const model = trainSoftmaxRegression(labels.map(sample), labels, 3);
    const test = Array.from({ length: 60 }, (_, i) => i % 3);
    const predicted = predictSoftmaxRegression(model, test.map(sample));
    expect(predicted.filter((p, i) => p === test[i]).length / test.length).toBeGreaterThan(0.95);
  });

  it('features that carry no information give chance accuracy, and training is deterministic', () => {
    const rng = new Rng(4);
    const noise = () => Float32Array.from({ length: 8 }, () => rng.normal());
    const labels = Array.from({ length: 200 }, (_, i) => i % 2);
    const features = labels.map(noise);
    const a = trainSoftmaxRegression(features, labels, 2);
    const b = trainSoftmaxRegression(features, labels, 2);
    expect(a.weights).toEqual(b.weights);
    const test = Array.from({ length: 400 }, (_, i) => i % 2);
    const accuracy = predictSoftmaxRegression(a, test.map(noise)).filter((p, i) => p === test[i]).length / test.length;
    expect(Math.abs(accuracy - 0.5)).toBeLessThan(0.1);
  });

  it('rejects mismatched labels', () => {
    expect(() => trainSoftmaxRegression([new Float32Array(2)], [0, 1], 2)).toThrow(/one label per feature vector/);
  });
});
