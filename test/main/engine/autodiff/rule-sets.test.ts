import { describe, expect, it } from 'vitest';
import { deepLiftRuleSet } from '../../../../src/main/engine/autodiff/rule-sets/deeplift';
import { deconvnetRuleSet, guidedBackpropRuleSet } from '../../../../src/main/engine/autodiff/rule-sets/guided-backprop';
import { compositeRuleSet, lrpRuleSet } from '../../../../src/main/engine/autodiff/lrp/composites';
import { foldBatchNorm } from '../../../../src/main/engine/autodiff/canonizers/fold-batchnorm';
import { compiledRunner, floatTensor, graphModel } from '../../../helpers/compiled-runner';
import { rng } from '../../../helpers/gradient-check';
import { int64Tensor } from '../../../../src/main/engine/onnx/tensor-values';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import { InferenceSession, OrtTensor } from '../../../../src/main/engine/runtime/onnxruntime';

const r = rng(7);
const randoms = (n: number, scale = 1): number[] => Array.from({ length: n }, () => scale * (2 * r() - 1));
const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);

/** y = W2 relu(W1 x + b1) (+ b2): a two-layer perceptron with explicit weights. */
function mlp(w1: number[], w2: number[], hidden: number, inputs: number, outputs: number, bias = true) {
  const init = [floatTensor('W1', [inputs, hidden], w1), floatTensor('W2', [hidden, outputs], w2)];
  const nodes = [
    { opType: 'MatMul', inputs: ['x', 'W1'], outputs: ['h0'] },
    ...(bias ? [{ opType: 'Add', inputs: ['h0', 'b1'], outputs: ['h1'] }] : []),
    { opType: 'Relu', inputs: [bias ? 'h1' : 'h0'], outputs: ['h'] },
    { opType: 'MatMul', inputs: ['h', 'W2'], outputs: bias ? ['s0'] : ['scores'] },
    ...(bias ? [{ opType: 'Add', inputs: ['s0', 'b2'], outputs: ['scores'] }] : []),
  ];
  if (bias) init.push(floatTensor('b1', [hidden], randoms(hidden, 0.3)), floatTensor('b2', [outputs], randoms(outputs, 0.3)));
  return graphModel(nodes, init, [1, inputs]);
}

/** Reference maths in JS for the MLP: pre-activations and ReLU mask. */
function mlpForward(x: number[], w1: number[], hidden: number): number[] {
  return Array.from({ length: hidden }, (_, j) => x.reduce((s, xi, i) => s + xi * w1[i * hidden + j]!, 0));
}

describe('guided backprop and deconvnet', () => {
  const [inputs, hidden, outputs] = [4, 5, 3];
  const w1 = randoms(inputs * hidden);
  const w2 = randoms(hidden * outputs);
  const x = randoms(inputs);
  const seed = [0, 1, 0];
  const back = (mask: (j: number, g: number) => number): number[] => {
    const g = Array.from({ length: hidden }, (_, j) => mask(j, w2[j * outputs + 1]!));
    return Array.from({ length: inputs }, (_, i) => g.reduce((s, gj, j) => s + gj * w1[i * hidden + j]!, 0));
  };

  it('guided backprop passes positive gradient through active units only', async () => {
    const runner = await compiledRunner(mlp(w1, w2, hidden, inputs, outputs, false), [1, inputs], { rules: guidedBackpropRuleSet });
    const { gradient } = await runner.run(Float32Array.from(x), Float32Array.from(seed));
    const z = mlpForward(x, w1, hidden);
    const expected = back((j, g) => (z[j]! > 0 ? Math.max(g, 0) : 0));
    expected.forEach((v, i) => expect(gradient[i]).toBeCloseTo(v, 5));
  });

  it('deconvnet rectifies the gradient and ignores the forward mask', async () => {
    const runner = await compiledRunner(mlp(w1, w2, hidden, inputs, outputs, false), [1, inputs], { rules: deconvnetRuleSet });
    const { gradient } = await runner.run(Float32Array.from(x), Float32Array.from(seed));
    const expected = back((_j, g) => Math.max(g, 0));
    expected.forEach((v, i) => expect(gradient[i]).toBeCloseTo(v, 5));
  });
});

/** y = 1 - relu(1 - i1 - i2): the saturation example of the DeepLIFT and IG papers. */
function saturating() {
  return graphModel(
    [
      { opType: 'MatMul', inputs: ['x', 'minusOnes'], outputs: ['s'] },
      { opType: 'Add', inputs: ['s', 'one'], outputs: ['t'] },
      { opType: 'Relu', inputs: ['t'], outputs: ['u'] },
      { opType: 'Sub', inputs: ['one', 'u'], outputs: ['scores'] },
    ],
    [floatTensor('minusOnes', [2, 1], [-1, -1]), floatTensor('one', [1], [1])],
    [1, 2],
  );
}

describe('DeepLIFT (rescale)', () => {
  it('attributes the saturated ReLU example where the gradient is zero', async () => {
    const x = Float32Array.from([1, 1]);
    const gradientRun = await compiledRunner(saturating(), [1, 2]);
    expect([...(await gradientRun.run(x, Float32Array.from([1]))).gradient]).toEqual([0, 0]);
    const deeplift = await compiledRunner(saturating(), [1, 2], { rules: deepLiftRuleSet });
    const { gradient, objective } = await deeplift.run(x, Float32Array.from([1]), Float32Array.from([0, 0]));
    expect(objective[0]).toBeCloseTo(1, 6);
    // multipliers (1 - 0) / (2 - 0) = 0.5 each; attributions (x - x') * m = 0.5 each, summing to f(x) - f(x') = 1.
    expect(gradient[0]).toBeCloseTo(0.5, 6);
    expect(gradient[1]).toBeCloseTo(0.5, 6);
  });

  it('sums to the difference of outputs on a ReLU network (summation-to-delta)', async () => {
    const [inputs, hidden, outputs] = [6, 8, 3];
    const model = mlp(randoms(inputs * hidden), randoms(hidden * outputs), hidden, inputs, outputs);
    const runner = await compiledRunner(model, [1, inputs], { rules: deepLiftRuleSet });
    const x = Float32Array.from(randoms(inputs));
    const ref = Float32Array.from(randoms(inputs, 0.2));
    const seed = Float32Array.from([0, 0, 1]);
    const { gradient, objective } = await runner.run(x, seed, ref);
    const atRef = await runner.run(ref, seed, ref);
    const attribution = Array.from(gradient, (m, i) => m * (x[i]! - ref[i]!));
    expect(sum(attribution)).toBeCloseTo(objective[0]! - atRef.objective[0]!, 4);
  });

  it('on a convolutional network with ReLU6 (Clip) and pooling too', async () => {
    const model = graphModel(
      [
        { opType: 'Conv', inputs: ['x', 'W', 'b'], outputs: ['c'], attributes: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }] },
        { opType: 'Clip', inputs: ['c', 'zero', 'six'], outputs: ['a'] },
        { opType: 'GlobalAveragePool', inputs: ['a'], outputs: ['p'] },
        { opType: 'Flatten', inputs: ['p'], outputs: ['f'] },
        { opType: 'Gemm', inputs: ['f', 'D', 'e'], outputs: ['scores'] },
      ],
      [floatTensor('W', [4, 2, 3, 3], randoms(72)), floatTensor('b', [4], randoms(4, 0.2)), floatTensor('zero', [], [0]), floatTensor('six', [], [6]), floatTensor('D', [4, 3], randoms(12)), floatTensor('e', [3], randoms(3))],
      ['N', 2, 5, 5],
    );
    const runner = await compiledRunner(model, [1, 2, 5, 5], { rules: deepLiftRuleSet });
    const x = Float32Array.from(randoms(50, 2));
    const ref = new Float32Array(50);
    const seed = Float32Array.from([1, 0, 0]);
    const { gradient, objective } = await runner.run(x, seed, ref);
    const atRef = await runner.run(ref, seed, ref);
    const total = sum(Array.from(gradient, (m, i) => m * (x[i]! - ref[i]!)));
    expect(total).toBeCloseTo(objective[0]! - atRef.objective[0]!, 4);
  });
});

describe('LRP', () => {
  it('epsilon rule matches a hand computation on a two-layer network', async () => {
    const [inputs, hidden, outputs] = [4, 5, 2];
    const w1 = randoms(inputs * hidden);
    const w2 = randoms(hidden * outputs);
    const x = randoms(inputs);
    const epsilon = 1e-6;
    const runner = await compiledRunner(mlp(w1, w2, hidden, inputs, outputs, false), [1, inputs], { rules: compositeRuleSet('epsilon', { epsilon, startRelevance: 'output' }) });
    const { gradient, objective } = await runner.run(Float32Array.from(x), Float32Array.from([1, 0]));
    // Hand: R_out = z_out[0] (Captum's convention: start from the logit); back through W2 and W1.
    const stab = (z: number): number => z + (z >= 0 ? epsilon : -epsilon);
    const z1 = mlpForward(x, w1, hidden);
    const h = z1.map((v) => Math.max(v, 0));
    const zOut = h.reduce((s, hj, j) => s + hj * w2[j * outputs]!, 0);
    const rHidden = h.map((hj, j) => (hj * w2[j * outputs]! * zOut) / stab(zOut));
    const rInput = x.map((xi, i) => z1.reduce((s, zj, j) => s + (xi * w1[i * hidden + j]! * rHidden[j]!) / stab(zj), 0));
    expect(objective[0]).toBeCloseTo(zOut, 5);
    rInput.forEach((v, i) => expect(gradient[i]).toBeCloseTo(v, 4));
  });

  it.each(['epsilon-plus-flat', 'epsilon-plus', 'epsilon-alpha2-beta1-flat', 'epsilon-alpha2-beta1', 'epsilon'] as const)(
    '%s conserves relevance on a bias-free ReLU CNN (sum of input relevance = logit)',
    async (name) => {
      const model = graphModel(
        [
          { opType: 'Conv', inputs: ['x', 'W1'], outputs: ['c1'], attributes: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }] },
          { opType: 'Relu', inputs: ['c1'], outputs: ['a1'] },
          { opType: 'Conv', inputs: ['a1', 'W2'], outputs: ['c2'] },
          { opType: 'Relu', inputs: ['c2'], outputs: ['a2'] },
          { opType: 'Add', inputs: ['a2', 'a2'], outputs: ['res'] },
          { opType: 'MaxPool', inputs: ['res'], outputs: ['m'], attributes: [{ name: 'kernel_shape', type: 7, ints: [2, 2] }] },
          { opType: 'GlobalAveragePool', inputs: ['m'], outputs: ['p'] },
          { opType: 'Flatten', inputs: ['p'], outputs: ['f'] },
          { opType: 'MatMul', inputs: ['f', 'D'], outputs: ['scores'] },
        ],
        [floatTensor('W1', [4, 3, 3, 3], randoms(108)), floatTensor('W2', [4, 4, 3, 3], randoms(144)), floatTensor('D', [4, 3], randoms(12))],
        ['N', 3, 8, 8],
      );
      const runner = await compiledRunner(model, [1, 3, 8, 8], { rules: compositeRuleSet(name, { epsilon: 1e-9, startRelevance: 'output' }) });
      const x = Float32Array.from(randoms(192));
      const { gradient, objective } = await runner.run(x, Float32Array.from([0, 1, 0]));
      // alpha2-beta1 conserves alpha - beta = 1 times the relevance as well.
      expect(sum(gradient)).toBeCloseTo(objective[0]!, 3);
    },
  );

  it('w-square and flat first-layer rules conserve relevance', async () => {
    const model = graphModel(
      [
        { opType: 'Conv', inputs: ['x', 'W1'], outputs: ['c1'], attributes: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }] },
        { opType: 'Relu', inputs: ['c1'], outputs: ['a1'] },
        { opType: 'GlobalAveragePool', inputs: ['a1'], outputs: ['p'] },
        { opType: 'Flatten', inputs: ['p'], outputs: ['f'] },
        { opType: 'MatMul', inputs: ['f', 'D'], outputs: ['scores'] },
      ],
      [floatTensor('W1', [4, 3, 3, 3], randoms(108)), floatTensor('D', [4, 3], randoms(12))],
      ['N', 3, 6, 6],
    );
    for (const first of ['wsquare', 'flat'] as const) {
      const runner = await compiledRunner(model, [1, 3, 6, 6], { rules: lrpRuleSet({ first, conv: 'epsilon', dense: 'epsilon' }, { epsilon: 1e-9, startRelevance: 'output' }, first) });
      const { gradient, objective } = await runner.run(Float32Array.from(randoms(108)), Float32Array.from([1, 0, 0]));
      expect(sum(gradient)).toBeCloseTo(objective[0]!, 3);
    }
  });

  it('rejects attention-like layers it has no rule for, naming the operator', async () => {
    const model = graphModel(
      [
        { opType: 'MatMul', inputs: ['x', 'x'], outputs: ['a'] },
        { opType: 'Reshape', inputs: ['a', 'shape'], outputs: ['scores'] },
      ],
      [int64Tensor('shape', [2], [1, -1])],
      [1, 2, 2],
    );
    await expect(compiledRunner(model, [1, 2, 2], { rules: lrpRuleSet({ first: 'epsilon', conv: 'epsilon', dense: 'epsilon' }, { epsilon: 1e-6 }, 'test') })).rejects.toThrow(/MatMul/);
  });
});

describe('BatchNorm folding canonizer', () => {
  it('gives the same outputs with one node fewer', async () => {
    const model = graphModel(
      [
        { opType: 'Conv', inputs: ['x', 'W', 'b'], outputs: ['c'] },
        { opType: 'BatchNormalization', inputs: ['c', 's', 'beta', 'mean', 'var'], outputs: ['n'] },
        { opType: 'GlobalAveragePool', inputs: ['n'], outputs: ['p'] },
        { opType: 'Flatten', inputs: ['p'], outputs: ['scores'] },
      ],
      [
        floatTensor('W', [3, 2, 3, 3], randoms(54)),
        floatTensor('b', [3], randoms(3)),
        floatTensor('s', [3], [1.5, 0.5, -2]),
        floatTensor('beta', [3], randoms(3)),
        floatTensor('mean', [3], randoms(3)),
        floatTensor('var', [3], [0.5, 2, 1]),
      ],
      [1, 2, 6, 6],
    );
    const folded = foldBatchNorm(model);
    expect(folded.graph.nodes.map((n) => n.opType)).toEqual(['Conv', 'GlobalAveragePool', 'Flatten']);
    const x = new OrtTensor('float32', Float32Array.from(randoms(72)), [1, 2, 6, 6]);
    const a = await (await InferenceSession.create(encodeModel(model))).run({ x });
    const b = await (await InferenceSession.create(encodeModel(folded))).run({ x });
    Array.from(a.scores!.data as Float32Array).forEach((v, i) => expect((b.scores!.data as Float32Array)[i]).toBeCloseTo(v, 5));
  });
});
