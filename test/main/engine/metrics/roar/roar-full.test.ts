import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FullRetrainer, type FullRetrainOptions } from '../../../../../src/main/engine/metrics/roar/full-retrain';
import type { Model } from '../../../../../src/main/engine/onnx/ir';
import { floatTensor } from '../../../../../src/main/engine/onnx/tensor-values';
import { Rng } from '../../../../../src/main/engine/random/rng';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { graphModel } from '../../../../helpers/compiled-runner';
import { testApi } from '../../../../helpers/engine';
import { openTestModel } from '../../../../helpers/image-models';
import { tempDir } from '../../../../helpers/tiny-models';

const ints = (name: string, values: number[]) => ({ name, type: 7, ints: values });

/** Conv 1->4 (3x3, stride 2, pad 1) + Relu + Flatten + Gemm 64->2 on a 1 x 8 x 8 grey image "image". */
function tinyCnn(weights: Record<string, Float32Array> = {}): Model {
  const r = new Rng(3);
  const values = (name: string, n: number): ArrayLike<number> => weights[name] ?? Array.from({ length: n }, () => 0.1 * (2 * r.uniform() - 1));
  const model = graphModel(
    [
      { opType: 'Conv', inputs: ['x', 'K', 'kb'], outputs: ['c'], attributes: [ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), ints('kernel_shape', [3, 3])] },
      { opType: 'Relu', inputs: ['c'], outputs: ['r'] },
      { opType: 'Flatten', inputs: ['r'], outputs: ['f'] },
      { opType: 'Gemm', inputs: ['f', 'W', 'b'], outputs: ['scores'], attributes: [{ name: 'transB', type: 2, i: 1 }] },
    ],
    [floatTensor('K', [4, 1, 3, 3], values('K', 36)), floatTensor('kb', [4], values('kb', 4)), floatTensor('W', [2, 64], values('W', 128)), floatTensor('b', [2], values('b', 2))],
    ['N', 1, 8, 8],
  );
  const rename = (n: string): string => (n === 'x' ? 'image' : n);
  return { ...model, graph: { ...model.graph, nodes: model.graph.nodes.map((n) => ({ ...n, inputs: n.inputs.map(rename) })), inputs: [{ name: 'image', elemType: 1, shape: ['N', 1, 8, 8] }] } };
}

// 8 x 8 grey images of random grey levels; class "top" has a white 2 x 2 blob at rows/cols 1-2,
// class "bottom" at rows/cols 5-6: the signal is in known pixels.
const blob = (cls: number): number[] => (cls === 0 ? [9, 10, 17, 18] : [45, 46, 53, 54]);
function dataset(perClass: number, seed: number): Array<{ bytes: Uint8Array; label: number }> {
  const rng = new Rng(seed);
  const out: Array<{ bytes: Uint8Array; label: number }> = [];
  for (let k = 0; k < perClass; k++) {
    for (const cls of [0, 1]) out.push({ label: cls, bytes: Uint8Array.from({ length: 64 }, (_, p) => (blob(cls).includes(p) ? 255 : Math.round(200 * rng.uniform()))) });
  }
  return out;
}
const toInput = (bytes: Uint8Array): Float32Array => Float32Array.from(bytes, (v) => v / 255);

describe('ROAR with the whole network retrained (roar-full)', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const dir = tempDir();
  const options: FullRetrainOptions = { epochs: 30, learningRate: 0.05, momentum: 0.9, batchSize: 8, init: 'scratch', seed: 4 };
  let trained: Record<string, Float32Array> = {};

  beforeAll(async () => {
    ({ api, close } = testApi());
    const data = dataset(40, 9);
    for (const [cls, name] of ['top', 'bottom'].entries()) mkdirSync(join(dir, name));
    await Promise.all(data.map((d, k) => sharp(Buffer.from(d.bytes), { raw: { width: 8, height: 8, channels: 1 } }).png().toFile(join(dir, d.label === 0 ? 'top' : 'bottom', `${k}.png`))));
  });
  afterAll(() => close());

  it('trains a tiny CNN from scratch to high accuracy, deterministically, and can be cancelled', async () => {
    const trainer = await FullRetrainer.create(tinyCnn(), { name: 'image', dims: [1, 1, 8, 8] }, 'scores');
    expect(trainer.parameterCount).toBe(36 + 4 + 128 + 2);
    expect(trainer.parameters.map((p) => p.name).sort()).toEqual(['K', 'W', 'b', 'kb']);
    const train = dataset(30, 1);
    const test = dataset(20, 2);
    const t = performance.now();
    let steps = 0;
    const weights = await trainer.train(train.map((d) => toInput(d.bytes)), train.map((d) => d.label), options, { onProgress: (done, total) => (steps = done) && expect(total).toBe(30 * Math.ceil(60 / 8)) });
    const ms = performance.now() - t;
    expect(steps).toBe(30 * 8);
    const predicted = await trainer.predict(weights, test.map((d) => toInput(d.bytes)));
    const accuracy = predicted.filter((p, i) => p === test[i]!.label).length / test.length;
    console.info(`roar-full: tiny CNN trained from scratch in ${ms.toFixed(0)} ms (${steps} steps), test accuracy ${accuracy}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    const again = await trainer.train(train.map((d) => toInput(d.bytes)), train.map((d) => d.label), options);
    for (const [name, w] of weights) expect(Array.from(again.get(name)!), name).toEqual(Array.from(w));
    const abort = new AbortController();
    abort.abort();
    await expect(trainer.train([toInput(train[0]!.bytes)], [0], options, { signal: abort.signal })).rejects.toThrow(/cancelled/);
    trained = Object.fromEntries(weights);
    await trainer.release();
  });

  it('removing the pixels gradient x input ranks first hurts the retrained network more than random removal', async () => {
    const id = await openTestModel(api, tinyCnn(trained), 'roar-full-cnn');
    const request = { modelId: id, dataset: dir, method: 'gradient-x-input', fractions: [0.1, 0.5], testFraction: 0.25, seed: 1, retrain: 'full' as const, training: { epochs: 30, batchSize: 8 } };
    const estimate = await api.call('roar', { ...request, estimateOnly: true });
    expect(estimate.estimate).toMatchObject({ images: 80, parameters: 170, fullTrainings: 5, trainingSteps: 5 * 30 * 8, parameterImageEpochs: 170 * 60 * 30 * 5 });
    const result = await api.call('roar', request);
    console.info(`roar-full synthetic: ${result.computeMs.toFixed(0)} ms, baseline ${result.baselineAccuracy}, method ${result.methodAccuracy.join(', ')}, random ${result.randomAccuracy.join(', ')}`);
    expect(result.mode).toBe('roar-full');
    expect([result.trainImages, result.testImages]).toEqual([60, 20]);
    expect(result.training).toMatchObject({ init: 'scratch', epochs: 30, batchSize: 8, seed: 1 });
    expect(result.notes[0]).toMatch(/roar-full: the whole network \(170 parameters\) was retrained 5 times, from scratch/);
    expect(result.baselineAccuracy).toBeGreaterThanOrEqual(0.9);
    // At 10% the method removes the blob (and little else): the retrained network is left guessing
    // far more often than after random removal. At 50% the shape of what was removed starts to
    // reveal the class again (the leak ROAD describes), so only the order is asserted there.
    expect(result.methodAccuracy[0]).toBeLessThanOrEqual(result.randomAccuracy[0]! - 0.2);
    expect(result.methodAccuracy[1]).toBeLessThanOrEqual(result.randomAccuracy[1]!);
    expect(result.score).toBeGreaterThan(0);
  });

  it('refuses models over the size limit and parameters it cannot train', async () => {
    const big = graphModel(
      [
        { opType: 'Flatten', inputs: ['x'], outputs: ['f'] },
        { opType: 'MatMul', inputs: ['f', 'W'], outputs: ['scores'] },
      ],
      [floatTensor('W', [64, 80_000], new Float32Array(64 * 80_000))],
      ['N', 1, 8, 8],
    );
    await expect(FullRetrainer.create(big, { name: 'x', dims: [1, 1, 8, 8] }, 'scores')).rejects.toThrow(/small models \(at most 5,000,000 parameters\); this one has 5,120,000/);
    const clipped = graphModel(
      [
        { opType: 'Clip', inputs: ['x', 'lo', 'hi'], outputs: ['c'] },
        { opType: 'Flatten', inputs: ['c'], outputs: ['f'] },
        { opType: 'MatMul', inputs: ['f', 'W'], outputs: ['scores'] },
      ],
      [floatTensor('lo', [], [0]), floatTensor('hi', [], [1]), floatTensor('W', [64, 2], new Float32Array(128))],
      ['N', 1, 8, 8],
    );
    await expect(FullRetrainer.create(clipped, { name: 'x', dims: [1, 1, 8, 8] }, 'scores')).rejects.toThrow(/Full retraining does not support Clip parameters.*/);
  });
});
