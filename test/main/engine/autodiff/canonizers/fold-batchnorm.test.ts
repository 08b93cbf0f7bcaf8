import { describe, expect, it } from 'vitest';
import { foldBatchNorm } from '../../../../../src/main/engine/autodiff/canonizers/fold-batchnorm';
import { encodeModel } from '../../../../../src/main/engine/onnx/encode';
import type { Model } from '../../../../../src/main/engine/onnx/ir';
import { InferenceSession, OrtTensor } from '../../../../../src/main/engine/runtime/onnxruntime';
import { graphModel } from '../../../../helpers/compiled-runner';
import { rng } from '../../../../helpers/gradient-check';
import { floatTensor } from '../../../../helpers/tiny-models';

const r = rng(29);
const randoms = (n: number): number[] => Array.from({ length: n }, () => 2 * r() - 1);

async function scores(model: Model, x: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await InferenceSession.create(encodeModel(model), { logSeverityLevel: 4 });
  try {
    return (await session.run({ x: new OrtTensor('float32', x, dims) })).scores!.data as Float32Array;
  } finally {
    await session.release();
  }
}

const batchNorm = () => [floatTensor('s', [3], [1.5, 0.5, -2]), floatTensor('beta', [3], randoms(3)), floatTensor('mean', [3], randoms(3)), floatTensor('var', [3], [0.5, 2, 1])];

describe('foldBatchNorm into dense layers (Zennit merges BatchNorm after torch.nn.Linear too)', () => {
  it.each([
    { transB: 1, weightDims: [3, 4], bias: [3] },
    { transB: 0, weightDims: [4, 3], bias: [1, 3] },
    { transB: 0, weightDims: [4, 3], bias: [1] },
  ])('Gemm (transB $transB, bias dims $bias) followed by BatchNormalization: one Gemm, the same outputs', async ({ transB, weightDims, bias }) => {
    const model = graphModel(
      [
        { opType: 'Gemm', inputs: ['x', 'W', 'b'], outputs: ['g'], attributes: [{ name: 'transB', type: 2, i: transB }] },
        { opType: 'BatchNormalization', inputs: ['g', 's', 'beta', 'mean', 'var'], outputs: ['scores'] },
      ],
      [floatTensor('W', weightDims, randoms(12)), floatTensor('b', bias, randoms(bias.reduce((a, d) => a * d, 1))), ...batchNorm()],
      [2, 4],
    );
    const folded = foldBatchNorm(model);
    expect(folded.graph.nodes.map((n) => n.opType)).toEqual(['Gemm']);
    const x = Float32Array.from(randoms(8));
    const [before, after] = [await scores(model, x, [2, 4]), await scores(folded, x, [2, 4])];
    before.forEach((v, i) => expect(after[i]).toBeCloseTo(v, 5));
  });

  it('leaves a Gemm with alpha other than 1, and a BatchNorm after a non-linear layer, as they are', () => {
    const scaled = graphModel(
      [
        { opType: 'Gemm', inputs: ['x', 'W'], outputs: ['g'], attributes: [{ name: 'alpha', type: 1, f: 2 }] },
        { opType: 'BatchNormalization', inputs: ['g', 's', 'beta', 'mean', 'var'], outputs: ['scores'] },
      ],
      [floatTensor('W', [4, 3], randoms(12)), ...batchNorm()],
      [2, 4],
    );
    expect(foldBatchNorm(scaled)).toBe(scaled);
    const afterRelu = graphModel(
      [
        { opType: 'Relu', inputs: ['x'], outputs: ['a'] },
        { opType: 'BatchNormalization', inputs: ['a', 's', 'beta', 'mean', 'var'], outputs: ['scores'] },
      ],
      batchNorm(),
      [2, 3],
    );
    expect(foldBatchNorm(afterRelu)).toBe(afterRelu);
  });
});
