import { describe, expect, it } from 'vitest';
import { compositeRuleSet } from '../../../../../src/main/engine/autodiff/lrp/composites';
import { int64Tensor } from '../../../../../src/main/engine/onnx/tensor-values';
import { compiledRunner, floatTensor, graphModel } from '../../../../helpers/compiled-runner';

/**
 * LayerNormalization over several axes (axis 1 of [1, 2, 3], as torch exports
 * nn.LayerNorm([2, 3])), with its std detached: the epsilon rule of the linear map
 * y = (x - mean x) / std * scale + shift written from its definition with the explicit Jacobian,
 * R_x_i = x_i * sum_j J_ji R_j / y_j, J_ji = scale_j / std * (delta_ij - 1/N), here computed in
 * float64 in the test; then a bias-free dense layer reads y.
 */
const x = [0.9, -1.4, 0.3, 2.2, -0.5, 0.1];
const scale = [1.2, 0.7, 1.0, 0.5, 1.6, 0.9];
const w = Array.from({ length: 6 * 2 }, (_, i) => Math.sin(3.1 * i + 0.4));

/** Zennit's stabiliser, as every epsilon rule uses it (1e-6, sign(0) = +1). */
const stab = (v: number): number => v + (v >= 0 ? 1e-6 : -1e-6);

/** Float32 against float64, relative to the largest relevance. */
function expectClose(actual: Float32Array, want: number[]): void {
  const scale = Math.max(...want.map(Math.abs));
  want.forEach((r, i) => expect(Math.abs(actual[i]! - r) / scale, `element ${i}`).toBeLessThan(1e-5));
}

function expected(shift: number[]): { relevance: number[]; sum: number } {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(x.reduce((a, v) => a + (v - mean) ** 2, 0) / n + 1e-5);
  const y = x.map((v, j) => ((v - mean) / std) * scale[j]! + shift[j]!);
  // The dense layer (column 1, the target) by the epsilon rule, no bias: R_y_j = y_j w_j1 / z.
  const z = y.reduce((a, v, j) => a + v * w[j * 2 + 1]!, 0);
  const ry = y.map((v, j) => (v * w[j * 2 + 1]!) / stab(z));
  const relevance = x.map((xi, i) => xi * y.reduce((a, yj, j) => a + (scale[j]! / std) * ((i === j ? 1 : 0) - 1 / n) * (ry[j]! / stab(yj)), 0));
  return { relevance, sum: relevance.reduce((a, b) => a + b, 0) };
}

async function lumen(shift: number[], composite: 'attn-lrp' | 'cp-lrp'): Promise<Float32Array> {
  const model = graphModel(
    [
      { opType: 'LayerNormalization', inputs: ['x', 'scale', 'shift'], outputs: ['y'], attributes: [{ name: 'axis', type: 2, i: 1 }] },
      { opType: 'Reshape', inputs: ['y', 'flat'], outputs: ['f'] },
      { opType: 'MatMul', inputs: ['f', 'w'], outputs: ['scores'] },
    ],
    [floatTensor('scale', [2, 3], scale), floatTensor('shift', [2, 3], shift), floatTensor('w', [6, 2], w), int64Tensor('flat', [2], [-1, 6])],
    [1, 2, 3],
  );
  const runner = await compiledRunner(model, [1, 2, 3], { rules: compositeRuleSet(composite) });
  return (await runner.run(new Float32Array(x), new Float32Array([0, 1]))).gradient;
}

describe('the LayerNorm rule over two axes', () => {
  for (const composite of ['attn-lrp', 'cp-lrp'] as const) {
    it(`${composite}: equals the epsilon rule of the std-detached map, and conserves without a shift`, async () => {
      const zero = [0, 0, 0, 0, 0, 0];
      const bare = await lumen(zero, composite);
      const want = expected(zero);
      expectClose(bare, want.relevance);
      // Conserved but for what the stabilisers absorb (the dense layer's sum is small here: 4e-5).
      expect(Math.abs(want.sum - 1)).toBeLessThan(1e-4);
      expect(Math.abs(bare.reduce((a, b) => a + b, 0) - want.sum)).toBeLessThan(1e-5);
      const shift = [0.3, -0.2, 0.5, 0.1, -0.4, 0.2];
      const shifted = await lumen(shift, composite);
      expectClose(shifted, expected(shift).relevance);
    });
  }
});

/**
 * LayerNorm written out the ways exporters write it (before opset 17, or by hand as ConvNeXt and
 * RMSNorm code does): divided by its std, or multiplied by the std's Reciprocal or by
 * (variance + eps) ^ -0.5 (torch's rsqrt). Each must give the relevance the LayerNormalization
 * operator gives: the recognised division is detached and the centring gets the exact rule.
 */
describe('LayerNorm written out gives what the operator gives', () => {
  const c = (name: string, dims: number[], values: number[]) => floatTensor(name, dims, values);
  const constants = [
    c('two', [], [2]),
    c('eps', [], [1e-5]),
    c('minusHalf', [], [-0.5]),
    c('scale', [3], scale.slice(0, 3)),
    c('shift', [3], [0.3, -0.2, 0.1]),
    c('w', [6, 2], w),
    int64Tensor('axes', [1], [-1]),
    int64Tensor('flat', [2], [-1, 6]),
  ];
  const head = [
    { opType: 'Reshape', inputs: ['y', 'flat'], outputs: ['f'] },
    { opType: 'MatMul', inputs: ['f', 'w'], outputs: ['scores'] },
  ];
  const centre = [
    { opType: 'ReduceMean', inputs: ['x'], outputs: ['m'], attributes: [{ name: 'axes', type: 7, ints: [-1] }] },
    { opType: 'Sub', inputs: ['x', 'm'], outputs: ['c'] },
    { opType: 'Pow', inputs: ['c', 'two'], outputs: ['sq'] },
    { opType: 'ReduceMean', inputs: ['sq'], outputs: ['v'], attributes: [{ name: 'axes', type: 7, ints: [-1] }] },
    { opType: 'Add', inputs: ['v', 'eps'], outputs: ['ve'] },
  ];
  const affine = [
    { opType: 'Mul', inputs: ['n', 'scale'], outputs: ['ns'] },
    { opType: 'Add', inputs: ['ns', 'shift'], outputs: ['y'] },
  ];
  const forms = {
    div: [{ opType: 'Sqrt', inputs: ['ve'], outputs: ['s'] }, { opType: 'Div', inputs: ['c', 's'], outputs: ['n'] }],
    reciprocal: [{ opType: 'Sqrt', inputs: ['ve'], outputs: ['s'] }, { opType: 'Reciprocal', inputs: ['s'], outputs: ['r'] }, { opType: 'Mul', inputs: ['c', 'r'], outputs: ['n'] }],
    rsqrt: [{ opType: 'Pow', inputs: ['ve', 'minusHalf'], outputs: ['r'] }, { opType: 'Mul', inputs: ['r', 'c'], outputs: ['n'] }],
  };
  const run = async (nodes: Parameters<typeof graphModel>[0]): Promise<Float32Array> => {
    const model = graphModel(nodes, constants, [1, 2, 3]);
    // Opset 17 for LayerNormalization; the written-out forms use attribute axes (valid to 17).
    const runner = await compiledRunner(model, [1, 2, 3], { rules: compositeRuleSet('attn-lrp') });
    return (await runner.run(new Float32Array(x), new Float32Array([0, 1]))).gradient;
  };

  for (const [form, nodes] of Object.entries(forms)) {
    it(`${form}: the same relevance as LayerNormalization`, async () => {
      const operator = await run([{ opType: 'LayerNormalization', inputs: ['x', 'scale', 'shift'], outputs: ['y'], attributes: [{ name: 'axis', type: 2, i: -1 }] }, ...head]);
      const written = await run([...centre, ...nodes, ...affine, ...head]);
      expectClose(written, Array.from(operator));
    });
  }
});
