import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FullRetrainer, type FullRetrainOptions } from '../../../../../src/main/engine/metrics/roar/full-retrain';
import type { Model } from '../../../../../src/main/engine/onnx/ir';
import { floatTensor } from '../../../../../src/main/engine/onnx/tensor-values';
import { Rng } from '../../../../../src/main/engine/random/rng';
import { graphModel } from '../../../../helpers/compiled-runner';

const ints = (name: string, values: number[]) => ({ name, type: 7, ints: values });

/** Conv 1->4 (3x3, stride 2, pad 1) + BatchNormalization + Relu + Flatten + Gemm 64->2 on 1 x 8 x 8 images. */
function batchNormCnn(w: Record<string, ArrayLike<number>>): Model {
  return graphModel(
    [
      { opType: 'Conv', inputs: ['x', 'K', 'kb'], outputs: ['c'], attributes: [ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), ints('kernel_shape', [3, 3])] },
      { opType: 'BatchNormalization', inputs: ['c', 'gamma', 'beta', 'mean', 'var'], outputs: ['n'], attributes: [{ name: 'epsilon', type: 1, f: 1e-5 }, { name: 'momentum', type: 1, f: 0.9 }] },
      { opType: 'Relu', inputs: ['n'], outputs: ['r'] },
      { opType: 'Flatten', inputs: ['r'], outputs: ['f'] },
      { opType: 'Gemm', inputs: ['f', 'W', 'b'], outputs: ['scores'], attributes: [{ name: 'transB', type: 2, i: 1 }] },
    ],
    [
      floatTensor('K', [4, 1, 3, 3], w['K']!),
      floatTensor('kb', [4], w['kb']!),
      floatTensor('gamma', [4], w['gamma']!),
      floatTensor('beta', [4], w['beta']!),
      floatTensor('mean', [4], w['mean']!),
      floatTensor('var', [4], w['var']!),
      floatTensor('W', [2, 64], w['W']!),
      floatTensor('b', [2], w['b']!),
    ],
    ['N', 1, 8, 8],
  );
}
const input = { name: 'x', dims: [1, 1, 8, 8] };

/** Written by tools/fixtures/make_batchnorm_training_fixtures.py: PyTorch's SGD steps in model.train(). */
const reference = JSON.parse(readFileSync(new URL('../../../../fixtures/roar/batchnorm-training.json', import.meta.url), 'utf8')) as {
  learningRate: number;
  momentum: number;
  steps: number;
  inputs: number[];
  labels: number[];
  start: Record<string, number[]>;
  after: Record<string, number[]>;
  evalLogits: number[];
};
const rows = (flat: number[], size: number): Float32Array[] => Array.from({ length: flat.length / size }, (_, k) => Float32Array.from(flat.slice(k * size, (k + 1) * size)));

// Class 0: a bright 2 x 2 blob top left; class 1: bottom right; random grey elsewhere (as roar-full.test.ts).
function dataset(perClass: number, seed: number): { inputs: Float32Array[]; labels: number[] } {
  const rng = new Rng(seed);
  const blob = (cls: number): number[] => (cls === 0 ? [9, 10, 17, 18] : [45, 46, 53, 54]);
  const inputs: Float32Array[] = [];
  const labels: number[] = [];
  for (let k = 0; k < perClass; k++) {
    for (const cls of [0, 1]) {
      inputs.push(Float32Array.from({ length: 64 }, (_, p) => (blob(cls).includes(p) ? 1 : (200 / 255) * rng.uniform())));
      labels.push(cls);
    }
  }
  return { inputs, labels };
}

describe('full retraining of a network with BatchNormalization (training mode)', () => {
  it('three SGD steps match PyTorch in model.train(): batch statistics in the forward and backward, running averages updated', async () => {
    const trainer = await FullRetrainer.create(batchNormCnn(reference.start), input, 'scores');
    expect(trainer.parameters.map((p) => p.name).sort()).toEqual(['K', 'W', 'b', 'beta', 'gamma', 'kb']);
    expect(trainer.parameterCount).toBe(36 + 4 + 4 + 4 + 128 + 2);
    expect(trainer.notes).toContainEqual(expect.stringMatching(/^BatchNormalization \(1 layer\) trained as in PyTorch's training mode: batch statistics/));
    const options: FullRetrainOptions = { epochs: reference.steps, learningRate: reference.learningRate, momentum: reference.momentum, batchSize: 8, init: 'fine-tune', seed: 0 };
    const inputs = rows(reference.inputs, 64);
    const weights = await trainer.train(inputs, reference.labels, options);
    for (const [name, expected] of Object.entries(reference.after)) {
      const got = weights.get(name)!;
      const scale = Math.max(...expected.map(Math.abs));
      expected.forEach((v, i) => expect(Math.abs(got[i]! - v) / scale, `${name}[${i}]`).toBeLessThan(2e-4));
    }
    // Evaluation uses the running averages (eval mode): the same classes as PyTorch's eval logits.
    const predicted = await trainer.predict(weights, inputs);
    expect(predicted).toEqual(reference.labels.map((_, k) => (reference.evalLogits[2 * k]! >= reference.evalLogits[2 * k + 1]! ? 0 : 1)));
    await trainer.release();
  });

  it('a BatchNorm CNN learns its task from scratch, with its running statistics reset and then learnt', async () => {
    const r = new Rng(5);
    const random = (n: number, scale: number, offset = 0) => Array.from({ length: n }, () => offset + scale * (2 * r.uniform() - 1));
    // The model's own statistics are far off: from scratch they must not survive.
    const model = batchNormCnn({ K: random(36, 0.3), kb: random(4, 0.1), gamma: random(4, 0.2, 1), beta: random(4, 0.1), mean: [5, -5, 5, -5], var: [100, 100, 100, 100], W: random(128, 0.1), b: [0, 0] });
    const trainer = await FullRetrainer.create(model, input, 'scores');
    const start = trainer.initialWeights('scratch', 4);
    expect(Array.from(start.get('mean')!)).toEqual([0, 0, 0, 0]);
    expect(Array.from(start.get('var')!)).toEqual([1, 1, 1, 1]);
    const train = dataset(30, 1);
    const test = dataset(20, 2);
    const options: FullRetrainOptions = { epochs: 20, learningRate: 0.05, momentum: 0.9, batchSize: 8, init: 'scratch', seed: 4 };
    const weights = await trainer.train(train.inputs, train.labels, options);
    const predicted = await trainer.predict(weights, test.inputs);
    const accuracy = predicted.filter((p, i) => p === test.labels[i]).length / test.labels.length;
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    // The running averages followed the batches (the reset 0 / 1 moved).
    expect(Array.from(weights.get('mean')!).some((v) => Math.abs(v) > 1e-3)).toBe(true);
    expect(Array.from(weights.get('var')!).some((v) => Math.abs(v - 1) > 1e-3)).toBe(true);
    await trainer.release();
  });
});
