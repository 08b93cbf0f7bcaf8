import { describe, expect, it } from 'vitest';
import { composeLayerNormalization } from '../../../../../src/main/engine/autodiff/canonizers/compose-layer-norm';
import { compileAttributionGraph } from '../../../../../src/main/engine/autodiff/compile';
import { asExportedGradientRuleSet, gradientRuleSet } from '../../../../../src/main/engine/autodiff/rule-set';
import { encodeModel } from '../../../../../src/main/engine/onnx/encode';
import type { Model, Node, Tensor } from '../../../../../src/main/engine/onnx/ir';
import { probeModel } from '../../../../../src/main/engine/onnx/shape-probe';
import { floatTensor, int64Tensor } from '../../../../../src/main/engine/onnx/tensor-values';
import { InferenceSession, OrtTensor } from '../../../../../src/main/engine/runtime/onnxruntime';
import { graphModel } from '../../../../helpers/compiled-runner';
import { centralDifferences, rng } from '../../../../helpers/gradient-check';
import { promoteToFloat64 } from '../../../../helpers/gradient-check-f64';

/**
 * A layer norm as exporters before opset 17 spell it (torch.onnx at opset 14 for nn.LayerNorm):
 * mean, centre, square, mean, + epsilon, sqrt, divide, scale, shift. The canonizer makes it one
 * LayerNormalization, which must compute the same values and, through its rule, the same
 * gradient as the spelled-out form differentiated node by node.
 */
const dims = [1, 3, 4];
const random = (n: number, seed: number, offset = 0): number[] => {
  const r = rng(seed);
  return Array.from({ length: n }, () => offset + 2 * r() - 1);
};
const attr = {
  ints: (name: string, ints: number[]) => ({ name, type: 7, ints }),
  int: (name: string, i: number) => ({ name, type: 2, i }),
  float: (name: string, f: number) => ({ name, type: 1, f }),
};

interface Spelling {
  opset?: number;
  /** Mul(d, d) instead of Pow(d, 2). */
  squareByMul?: boolean;
  /** The scale's dims (default [4]); leading 1s are allowed. */
  scaleDims?: number[];
  bias?: boolean;
  /** Means over the last axis written as -1 (default) or 2, or over axis 1 (not a trailing axis). */
  axes?: number[];
  /** The centred values are also read by another node (then nothing may be fused). */
  centredReadElsewhere?: boolean;
}

/** x [1, 3, 4] -> spelled-out layer norm -> Tanh -> flatten into 12 scores (+ the centred values' sum when read elsewhere). */
function spelledOut(s: Spelling = {}): Model {
  const opset = s.opset ?? 14;
  const axes = s.axes ?? [-1];
  const mean = (input: string, output: string): Parameters<typeof graphModel>[0][number] =>
    opset >= 18 ? { opType: 'ReduceMean', inputs: [input, 'axes'], outputs: [output] } : { opType: 'ReduceMean', inputs: [input], outputs: [output], attributes: [attr.ints('axes', axes)] };
  const scaleDims = s.scaleDims ?? [4];
  const nodes: Parameters<typeof graphModel>[0] = [
    mean('x', 'mu'),
    { opType: 'Sub', inputs: ['x', 'mu'], outputs: ['d'] },
    s.squareByMul ? { opType: 'Mul', inputs: ['d', 'd'], outputs: ['sq'] } : { opType: 'Pow', inputs: ['d', 'two'], outputs: ['sq'] },
    mean('sq', 'var'),
    { opType: 'Constant', inputs: [], outputs: ['eps'], attributes: [{ name: 'value', type: 4, t: floatTensor('', [], [1e-5]) }] },
    { opType: 'Add', inputs: ['var', 'eps'], outputs: ['ve'] },
    { opType: 'Sqrt', inputs: ['ve'], outputs: ['std'] },
    { opType: 'Div', inputs: ['d', 'std'], outputs: ['n'] },
    { opType: 'Mul', inputs: ['n', 'gamma'], outputs: ['scaled'] },
  ];
  let last = 'scaled';
  if (s.bias !== false) {
    nodes.push({ opType: 'Add', inputs: ['scaled', 'beta'], outputs: ['shifted'] });
    last = 'shifted';
  }
  nodes.push({ opType: 'Tanh', inputs: [last], outputs: ['t'] }, { opType: 'Flatten', inputs: ['t'], outputs: ['f'] });
  if (s.centredReadElsewhere) {
    nodes.push({ opType: 'ReduceSum', inputs: ['d'], outputs: ['ds'], attributes: [attr.int('keepdims', 0)] }, { opType: 'Reshape', inputs: ['ds', 'one'], outputs: ['dsr'] });
    nodes.push({ opType: 'Concat', inputs: ['f', 'dsr'], outputs: ['scores'], attributes: [attr.int('axis', 1)] });
  } else {
    nodes.push({ opType: 'Identity', inputs: ['f'], outputs: ['scores'] });
  }
  const initializers: Tensor[] = [
    floatTensor('two', [], [2]),
    floatTensor('gamma', scaleDims, random(4, 3, 1)),
    floatTensor('beta', [4], random(4, 4)),
    int64Tensor('axes', [axes.length], axes),
    int64Tensor('one', [2], [1, 1]),
  ];
  const model = graphModel(nodes, initializers, ['N', 3, 4]);
  return { ...model, opsets: [{ domain: '', version: opset }] };
}

const opTypes = (nodes: Node[]): string[] => nodes.map((n) => n.opType);

async function composed(model: Model): Promise<Model> {
  return composeLayerNormalization(model, await probeModel(model, { name: 'x', dims }));
}

/** Runs `model` on x and returns its scores. */
async function scores(model: Model, x: Float32Array): Promise<Float32Array> {
  const session = await InferenceSession.create(encodeModel(model), { logSeverityLevel: 4 });
  const out = await session.run({ x: new OrtTensor('float32', x, dims) });
  await session.release();
  return out.scores!.data as Float32Array;
}

/** The compiled gradient (float64) against central differences, and against the spelled-out form compiled as exported. */
async function expectSameGradient(model: Model): Promise<void> {
  const request = { model, input: { name: 'x', dims }, output: 'scores', objective: 'logit' as const };
  const fused = await compileAttributionGraph({ ...request, rules: gradientRuleSet });
  const asExported = await compileAttributionGraph({ ...request, rules: asExportedGradientRuleSet });
  expect(opTypes(fused.model.graph.nodes.filter((n) => !n.name.startsWith('lumen_n_')))).toContain('LayerNormalization');
  const r = rng(7);
  const x = Float64Array.from({ length: 12 }, () => 2 * r() - 1);
  const seed = Float64Array.from({ length: fused.classCount }, () => 2 * r() - 1);
  const gradientOf = async (compiled: typeof fused) => {
    const session = await InferenceSession.create(encodeModel(promoteToFloat64(compiled.model)), { logSeverityLevel: 4 });
    const run = async (input: Float64Array) => session.run({ x: new OrtTensor('float64', input, dims), lumen_seed: new OrtTensor('float64', seed, [1, compiled.classCount]) });
    const gradient = (await run(x)).lumen_input_gradient!.data as Float64Array;
    const fd = await centralDifferences(x, 1e-5, async (input) => ((await run(input)).lumen_objective!.data as Float64Array)[0]!);
    await session.release();
    return { gradient, fd };
  };
  const a = await gradientOf(fused);
  const b = await gradientOf(asExported);
  // LayerNormalization keeps its statistics in float32 even in double: about 1e-7 of the gradient.
  a.fd.forEach((v, i) => expect(Math.abs(v - a.gradient[i]!), `element ${i} vs finite differences`).toBeLessThan(1e-6));
  a.gradient.forEach((v, i) => expect(Math.abs(v - b.gradient[i]!), `element ${i} vs the spelled-out backward`).toBeLessThan(1e-6));
}

describe('composeLayerNormalization: a spelled-out layer norm as one LayerNormalization', () => {
  it('fuses the opset-14 spelling (Pow 2, axes as an attribute, epsilon a Constant node) and computes the same values', async () => {
    const model = spelledOut();
    const fused = await composed(model);
    expect(opTypes(fused.graph.nodes)).toEqual(['Constant', 'LayerNormalization', 'Tanh', 'Flatten', 'Identity']);
    const ln = fused.graph.nodes[1]!;
    expect(ln.inputs).toEqual(['x', 'gamma', 'beta']);
    expect(ln.outputs).toEqual(['shifted']);
    expect(ln.attributes.find((a) => a.name === 'axis')?.i).toBe(2);
    expect(ln.attributes.find((a) => a.name === 'epsilon')?.f).toBeCloseTo(1e-5, 10);
    expect(fused.opsets.find((o) => o.domain === '')?.version).toBe(17);
    const x = Float32Array.from(random(12, 5));
    const [before, after] = [await scores(model, x), await scores(fused, x)];
    after.forEach((v, i) => expect(v).toBeCloseTo(before[i]!, 5));
  });

  it('fuses the other spellings: Mul(d, d), axes as an input (opset 18), a scale with leading 1s (reshaped), no bias', async () => {
    expect(opTypes((await composed(spelledOut({ squareByMul: true, axes: [2] }))).graph.nodes)).toContain('LayerNormalization');
    const opset18 = await composed(spelledOut({ opset: 18 }));
    expect(opTypes(opset18.graph.nodes)).toContain('LayerNormalization');
    expect(opset18.opsets.find((o) => o.domain === '')?.version).toBe(18);
    const leadingOnes = await composed(spelledOut({ scaleDims: [1, 1, 4] }));
    expect(opTypes(leadingOnes.graph.nodes)).toEqual(['Constant', 'Reshape', 'LayerNormalization', 'Tanh', 'Flatten', 'Identity']);
    const noBias = await composed(spelledOut({ bias: false }));
    expect(noBias.graph.nodes.find((n) => n.opType === 'LayerNormalization')?.inputs).toEqual(['x', 'gamma']);
    for (const model of [spelledOut({ scaleDims: [1, 1, 4] }), spelledOut({ bias: false })]) {
      const x = Float32Array.from(random(12, 6));
      const [before, after] = [await scores(model, x), await scores(await composed(model), x)];
      after.forEach((v, i) => expect(v).toBeCloseTo(before[i]!, 5));
    }
  });

  it('leaves it spelled out when an intermediate is read elsewhere or the mean is not over trailing axes', async () => {
    for (const model of [spelledOut({ centredReadElsewhere: true }), spelledOut({ axes: [1] })]) {
      const fused = await composed(model);
      expect(fused).toBe(model);
    }
  });

  it('gives the gradient of the spelled-out form (finite differences, and the node-by-node backward)', async () => {
    await expectSameGradient(spelledOut());
    await expectSameGradient(spelledOut({ scaleDims: [1, 1, 4], bias: false }));
  });
});
