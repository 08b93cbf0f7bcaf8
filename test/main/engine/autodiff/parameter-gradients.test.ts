import { describe, expect, it } from 'vitest';
import { compileAttributionGraph } from '../../../../src/main/engine/autodiff/compile';
import type { Objective } from '../../../../src/main/engine/autodiff/objective';
import { gradientRuleSet } from '../../../../src/main/engine/autodiff/rule-set';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import type { Model } from '../../../../src/main/engine/onnx/ir';
import { InferenceSession, OrtTensor } from '../../../../src/main/engine/runtime/onnxruntime';
import { floatTensor, graphModel } from '../../../helpers/compiled-runner';
import { rng } from '../../../helpers/gradient-check';

const ints = (name: string, values: number[]) => ({ name, type: 7, ints: values });
const int = (name: string, value: number) => ({ name, type: 2, i: value });
const random = (n: number, seed: number, scale = 1): number[] => {
  const r = rng(seed);
  return Array.from({ length: n }, () => scale * (2 * r() - 1));
};

/**
 * Compiles `model` as a training graph, then compares every parameter's gradient of
 * sum_b sum_k seed[b,k] z[b,k] (a batch of 2) with central finite differences of the objective.
 * Returns the worst relative error: max |fd - gradient| / max |fd| per parameter.
 */
async function worstRelativeError(model: Model, dims: number[], objective: Objective = 'logit', h = 1e-3): Promise<Record<string, number>> {
  const compiled = await compileAttributionGraph({ model, input: { name: 'x', dims: [1, ...dims.slice(1)] }, output: 'scores', objective, rules: gradientRuleSet, inputGradient: false, parameters: true });
  const session = await InferenceSession.create(encodeModel(compiled.model), { logSeverityLevel: 4 });
  const batch = dims[0]!;
  const x = Float32Array.from(random(dims.reduce((a, b) => a * b, 1), 11));
  const seed = Float32Array.from(random(batch * compiled.classCount, 12));
  const values = new Map(model.graph.initializers.map((t) => [t.name, Float32Array.from(new Float32Array(t.raw!.buffer, t.raw!.byteOffset, t.raw!.byteLength / 4))]));
  const run = async (): Promise<Record<string, { data: unknown }>> => {
    const feeds: Record<string, InstanceType<typeof OrtTensor>> = { x: new OrtTensor('float32', x, dims), lumen_seed: new OrtTensor('float32', seed, [batch, compiled.classCount]) };
    for (const p of compiled.io.parameters!) feeds[p.name] = new OrtTensor('float32', values.get(p.name)!, p.dims);
    return session.run(feeds);
  };
  const objectiveValue = async (): Promise<number> => Array.from((await run()).lumen_objective!.data as Float32Array).reduce((a, b) => a + b, 0);
  const base = await run();
  const errors: Record<string, number> = {};
  for (const p of compiled.io.parameters!) {
    const gradient = base[p.gradient]!.data as Float32Array;
    const v = values.get(p.name)!;
    expect(gradient.length).toBe(v.length);
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < v.length; i++) {
      const keep = v[i]!;
      v[i] = keep + h;
      const fp = await objectiveValue();
      v[i] = keep - h;
      const fm = await objectiveValue();
      v[i] = keep;
      const fd = (fp - fm) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - gradient[i]!));
      scale = Math.max(scale, Math.abs(fd));
    }
    errors[p.name] = worst / Math.max(scale, 1e-6);
  }
  await session.release();
  return errors;
}

function expectSmall(errors: Record<string, number>, names: string[]): void {
  console.info(`parameter gradients, relative error vs finite differences: ${Object.entries(errors).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ')}`);
  expect(Object.keys(errors).sort()).toEqual([...names].sort());
  for (const [name, err] of Object.entries(errors)) expect(err, name).toBeLessThan(1e-3);
}

describe('parameter gradients of training graphs', () => {
  it('an MLP: Gemm (transB) + Relu + Gemm, and MatMul + Add + Tanh + Mul', async () => {
    const mlp = graphModel(
      [
        { opType: 'Gemm', inputs: ['x', 'W1', 'b1'], outputs: ['h0'], attributes: [int('transB', 1)] },
        { opType: 'Relu', inputs: ['h0'], outputs: ['h'] },
        { opType: 'Gemm', inputs: ['h', 'W2', 'b2'], outputs: ['scores'], attributes: [{ name: 'alpha', type: 1, f: 0.5 }] },
      ],
      [floatTensor('W1', [5, 6], random(30, 1)), floatTensor('b1', [5], random(5, 2, 0.1)), floatTensor('W2', [5, 3], random(15, 3)), floatTensor('b2', [1, 3], random(3, 4))],
      ['N', 6],
    );
    expectSmall(await worstRelativeError(mlp, [3, 6]), ['W1', 'b1', 'W2', 'b2']);
    const matmul = graphModel(
      [
        { opType: 'MatMul', inputs: ['x', 'W1'], outputs: ['h0'] },
        { opType: 'Add', inputs: ['h0', 'b1'], outputs: ['h1'] },
        { opType: 'Tanh', inputs: ['h1'], outputs: ['h2'] },
        { opType: 'Mul', inputs: ['h2', 's'], outputs: ['h3'] },
        { opType: 'Sub', inputs: ['h3', 'c'], outputs: ['h'] },
        { opType: 'Gemm', inputs: ['h', 'W2'], outputs: ['scores'], attributes: [int('transA', 0)] },
      ],
      [floatTensor('W1', [6, 4], random(24, 5)), floatTensor('b1', [4], random(4, 6)), floatTensor('s', [1, 4], random(4, 7)), floatTensor('c', [4], random(4, 8)), floatTensor('W2', [4, 3], random(12, 9))],
      ['N', 6],
    );
    expectSmall(await worstRelativeError(matmul, [2, 6], 'log-probability', 1e-2), ['W1', 'b1', 's', 'c', 'W2']);
  });

  it('a tiny CNN: Conv (stride, padding, dilation) + BatchNorm + Relu + GlobalAveragePool + Gemm', async () => {
    const conv = (stride: number, pad: number[], dilation: number) =>
      graphModel(
        [
          { opType: 'Conv', inputs: ['x', 'K', 'kb'], outputs: ['c'], attributes: [ints('strides', [stride, stride]), ints('pads', pad), ints('dilations', [dilation, dilation])] },
          { opType: 'BatchNormalization', inputs: ['c', 'gamma', 'beta', 'mean', 'var'], outputs: ['n'] },
          { opType: 'Relu', inputs: ['n'], outputs: ['r'] },
          { opType: 'Conv', inputs: ['r', 'K2'], outputs: ['c2'], attributes: [ints('kernel_shape', [2, 2])] },
          { opType: 'GlobalAveragePool', inputs: ['c2'], outputs: ['p'] },
          { opType: 'Flatten', inputs: ['p'], outputs: ['f'] },
          { opType: 'Gemm', inputs: ['f', 'W', 'b'], outputs: ['scores'], attributes: [int('transB', 1)] },
        ],
        [
          floatTensor('K', [3, 2, 3, 3], random(54, 21)),
          floatTensor('kb', [3], random(3, 22)),
          floatTensor('gamma', [3], random(3, 23).map((v) => 1 + 0.5 * v)),
          floatTensor('beta', [3], random(3, 24)),
          floatTensor('mean', [3], random(3, 25, 0.2)),
          floatTensor('var', [3], [0.8, 1.2, 1.5]),
          floatTensor('K2', [4, 3, 2, 2], random(48, 26)),
          floatTensor('W', [2, 4], random(8, 27)),
          floatTensor('b', [2], random(2, 28)),
        ],
        ['N', 2, 7, 8],
      );
    const names = ['K', 'kb', 'gamma', 'beta', 'K2', 'W', 'b'];
    expectSmall(await worstRelativeError(conv(2, [1, 1, 1, 1], 1), [2, 2, 7, 8]), names);
    expectSmall(await worstRelativeError(conv(1, [0, 2, 1, 0], 2), [2, 2, 7, 8]), names);
  });

  it("a transformer's layer norm trains its scale and bias: LayerNormalization, and one spelled out (fused when compiled)", async () => {
    const after = [
      { opType: 'MatMul', inputs: ['n', 'W'], outputs: ['h'] },
      { opType: 'Tanh', inputs: ['h'], outputs: ['t'] },
      { opType: 'ReduceMean', inputs: ['t'], outputs: ['scores'], attributes: [ints('axes', [1]), int('keepdims', 0)] },
    ];
    const weights = [floatTensor('gamma', [4], random(4, 31).map((v) => 1 + 0.5 * v)), floatTensor('beta', [4], random(4, 32)), floatTensor('W', [4, 3], random(12, 33))];
    const fused = graphModel([{ opType: 'LayerNormalization', inputs: ['x', 'gamma', 'beta'], outputs: ['n'], attributes: [int('axis', -1)] }, ...after], weights, ['N', 3, 4]);
    expectSmall(await worstRelativeError(fused, [2, 3, 4]), ['gamma', 'beta', 'W']);
    const spelled = graphModel(
      [
        { opType: 'ReduceMean', inputs: ['x'], outputs: ['mu'], attributes: [ints('axes', [-1])] },
        { opType: 'Sub', inputs: ['x', 'mu'], outputs: ['d'] },
        { opType: 'Pow', inputs: ['d', 'two'], outputs: ['sq'] },
        { opType: 'ReduceMean', inputs: ['sq'], outputs: ['var'], attributes: [ints('axes', [-1])] },
        { opType: 'Add', inputs: ['var', 'eps'], outputs: ['ve'] },
        { opType: 'Sqrt', inputs: ['ve'], outputs: ['std'] },
        { opType: 'Div', inputs: ['d', 'std'], outputs: ['q'] },
        { opType: 'Mul', inputs: ['q', 'gamma'], outputs: ['s'] },
        { opType: 'Add', inputs: ['s', 'beta'], outputs: ['n'] },
        ...after,
      ],
      [...weights, floatTensor('two', [], [2]), floatTensor('eps', [], [1e-5])],
      ['N', 3, 4],
    );
    expectSmall(await worstRelativeError(spelled, [2, 3, 4]), ['gamma', 'beta', 'W']);
  });

  it('refuses parameters it cannot train, naming the node', async () => {
    const grouped = graphModel(
      [
        { opType: 'Conv', inputs: ['x', 'K'], outputs: ['c'], attributes: [int('group', 2)] },
        { opType: 'GlobalAveragePool', inputs: ['c'], outputs: ['p'] },
        { opType: 'Flatten', inputs: ['p'], outputs: ['scores'] },
      ],
      [floatTensor('K', [2, 1, 3, 3], random(18, 1))],
      ['N', 2, 5, 5],
    );
    const compile = (model: Model) => compileAttributionGraph({ model, input: { name: 'x', dims: [1, 2, 5, 5] }, output: 'scores', objective: 'logit', rules: gradientRuleSet, inputGradient: false, parameters: true });
    await expect(compile(grouped)).rejects.toThrow(/grouped Conv parameters.*roar-head/);
    const clip = graphModel(
      [
        { opType: 'Clip', inputs: ['x', 'lo', 'hi'], outputs: ['c'] },
        { opType: 'GlobalAveragePool', inputs: ['c'], outputs: ['p'] },
        { opType: 'Flatten', inputs: ['p'], outputs: ['scores'] },
      ],
      [floatTensor('lo', [], [0]), floatTensor('hi', [], [1])],
      ['N', 2, 5, 5],
    );
    await expect(compile(clip)).rejects.toThrow(/Full retraining does not support Clip parameters \(node "n0"/);
  });
});
