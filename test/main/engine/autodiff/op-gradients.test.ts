import { describe, it } from 'vitest';
import { expectGradientMatchesFiniteDifferences, rng, type OpCase } from '../../../helpers/gradient-check';

const r = rng(42);
const randoms = (n: number, scale = 1): number[] => Array.from({ length: n }, () => scale * (2 * r() - 1));
const w = (dims: number[], scale = 0.5): { floats: number[]; dims: number[] } => ({ floats: randoms(dims.reduce((a, b) => a * b, 1), scale), dims });

/** Each case: one operator, random shapes and attributes, backward vs central finite differences. */
const cases: Record<string, OpCase> = {
  // --- convolution ---------------------------------------------------------------------------
  'Conv 3x3 pad 1': { op: 'Conv', x: [1, 2, 5, 5], inputs: ['x', w([3, 2, 3, 3]), w([3])], attrs: { pads: [1, 1, 1, 1] } },
  'Conv stride 2 with remainder (last row unused)': { op: 'Conv', x: [1, 2, 6, 7], inputs: ['x', w([2, 2, 3, 3])], attrs: { strides: [2, 2] } },
  'Conv asymmetric pads, stride 2': { op: 'Conv', x: [1, 1, 7, 6], inputs: ['x', w([2, 1, 3, 2])], attrs: { strides: [2, 2], pads: [0, 1, 2, 0] } },
  'Conv dilation 2': { op: 'Conv', x: [1, 2, 7, 7], inputs: ['x', w([2, 2, 3, 3])], attrs: { dilations: [2, 2], pads: [2, 2, 2, 2] } },
  'Conv groups 2': { op: 'Conv', x: [1, 4, 5, 5], inputs: ['x', w([6, 2, 3, 3])], attrs: { group: 2, pads: [1, 1, 1, 1] } },
  'Conv depthwise stride 2': { op: 'Conv', x: [1, 3, 6, 6], inputs: ['x', w([3, 1, 3, 3])], attrs: { group: 3, strides: [2, 2], pads: [0, 0, 1, 1] } },
  'Conv auto_pad SAME_UPPER stride 2': { op: 'Conv', x: [1, 2, 6, 5], inputs: ['x', w([2, 2, 3, 3])], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] } },
  'Conv auto_pad SAME_LOWER': { op: 'Conv', x: [1, 2, 5, 5], inputs: ['x', w([2, 2, 4, 4])], attrs: { auto_pad: 'SAME_LOWER' } },
  'Conv auto_pad VALID': { op: 'Conv', x: [1, 2, 5, 6], inputs: ['x', w([2, 2, 2, 3])], attrs: { auto_pad: 'VALID', strides: [1, 2] } },
  'Conv 1-D': { op: 'Conv', x: [1, 2, 9], inputs: ['x', w([3, 2, 3])], attrs: { strides: [2], pads: [1, 1] } },
  'ConvTranspose stride 2 output_padding 1': {
    op: 'ConvTranspose', x: [1, 2, 3, 3], inputs: ['x', w([2, 3, 3, 3])], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] },
  },
  'ConvTranspose groups 2': { op: 'ConvTranspose', x: [1, 4, 3, 3], inputs: ['x', w([4, 1, 2, 2])], attrs: { group: 2, strides: [2, 2] } },
  // --- linear -------------------------------------------------------------------------------------
  'Gemm': { op: 'Gemm', x: [3, 4], inputs: ['x', w([4, 5]), w([5])] },
  'Gemm transB alpha beta': { op: 'Gemm', x: [2, 4], inputs: ['x', w([3, 4]), w([2, 3])], attrs: { transB: 1, alpha: { float: 0.7 }, beta: { float: 1.3 } } },
  'Gemm transA': { op: 'Gemm', x: [4, 3], inputs: ['x', w([4, 2])], attrs: { transA: 1 } },
  'Gemm transA transB, x as B': { op: 'Gemm', x: [5, 4], inputs: [w([4, 2]), 'x'], attrs: { transA: 1, transB: 1 } },
  'MatMul 2-D': { op: 'MatMul', x: [3, 4], inputs: ['x', w([4, 2])] },
  'MatMul batched, broadcast weights': { op: 'MatMul', x: [2, 3, 3, 4], inputs: ['x', w([4, 5])] },
  'MatMul broadcast batch on the weight side': { op: 'MatMul', x: [3, 4], inputs: [w([2, 5, 3]), 'x'] },
  'MatMul x @ x^T-like (both sides the input)': { op: 'MatMul', x: [1, 3, 3], inputs: ['x', 'x'] },
  'MatMul with a vector': { op: 'MatMul', x: [2, 3, 4], inputs: ['x', w([4])] },
  // --- elementwise ----------------------------------------------------------------------------------
  'Add broadcast bias': { op: 'Add', x: [1, 3, 2, 2], inputs: ['x', w([3, 1, 1])] },
  'Add x + x': { op: 'Add', x: [2, 3], inputs: ['x', 'x'] },
  'Add with x broadcast': { op: 'Add', x: [3, 1], inputs: [w([2, 3, 4]), 'x'] },
  'Sub': { op: 'Sub', x: [2, 3], inputs: [w([3]), 'x'] },
  'Mul x * x (fan-out)': { op: 'Mul', x: [2, 3], inputs: ['x', 'x'] },
  'Mul broadcast': { op: 'Mul', x: [1, 2, 3], inputs: ['x', w([2, 1])] },
  'Div by x': { op: 'Div', x: [2, 3], inputs: [w([2, 3]), 'x'], values: 'positive' },
  'Div x by constant': { op: 'Div', x: [2, 3], inputs: ['x', { floats: [2, -3, 4], dims: [3] }] },
  'Neg': { op: 'Neg', x: [2, 3] },
  'Abs': { op: 'Abs', x: [2, 5], values: 'spaced' },
  'Pow constant exponent': { op: 'Pow', x: [2, 3], inputs: ['x', { floats: [3], dims: [] }] },
  'Pow fractional exponent': { op: 'Pow', x: [2, 3], inputs: ['x', { floats: [0.5], dims: [] }], values: 'positive' },
  'Sqrt': { op: 'Sqrt', x: [2, 3], values: 'positive' },
  'Exp': { op: 'Exp', x: [2, 3] },
  'Log': { op: 'Log', x: [2, 3], values: 'positive' },
  'Erf': { op: 'Erf', x: [2, 4] },
  'Where': { op: 'Where', x: [2, 3], inputs: [{ bools: [true, false, true], dims: [3] }, 'x', w([2, 3])] },
  'Max (elementwise)': { op: 'Max', x: [2, 4], inputs: ['x', w([4])], values: 'spaced' },
  'Min (elementwise)': { op: 'Min', x: [2, 4], inputs: ['x', w([2, 4])], values: 'spaced' },
  'Sum (variadic)': { op: 'Sum', x: [2, 3], inputs: ['x', w([3]), 'x'] },
  // --- activations ---------------------------------------------------------------------------------
  'Relu': { op: 'Relu', x: [2, 6], values: 'spaced' },
  'LeakyRelu': { op: 'LeakyRelu', x: [2, 6], attrs: { alpha: { float: 0.1 } }, values: 'spaced' },
  'PRelu per channel': { op: 'PRelu', x: [1, 3, 2, 2], inputs: ['x', { floats: [0.1, 0.2, 0.3], dims: [3, 1, 1] }], values: 'spaced' },
  'Elu': { op: 'Elu', x: [2, 6], attrs: { alpha: { float: 0.8 } }, values: 'spaced' },
  'Sigmoid': { op: 'Sigmoid', x: [2, 4] },
  'Tanh': { op: 'Tanh', x: [2, 4] },
  'HardSigmoid': { op: 'HardSigmoid', x: [2, 10], values: 'spaced', attrs: { alpha: { float: 0.5 } } },
  'HardSwish': { op: 'HardSwish', x: [4, 30], values: 'spaced', opset: 14 },
  'Clip (ReLU6)': { op: 'Clip', x: [2, 10], inputs: ['x', { floats: [0], dims: [] }, { floats: [0.53], dims: [] }], values: 'spaced' },
  'Clip without max': { op: 'Clip', x: [2, 6], inputs: ['x', { floats: [-0.3], dims: [] }], values: 'spaced' },
  'Gelu exact': { op: 'Gelu', x: [2, 4], opset: 20 },
  'Gelu tanh approximation': { op: 'Gelu', x: [2, 4], opset: 20, attrs: { approximate: 'tanh' } },
  'Softmax last axis': { op: 'Softmax', x: [2, 5] },
  'Softmax axis 1 of 3-D': { op: 'Softmax', x: [2, 3, 4], attrs: { axis: 1 } },
  'Softmax opset 11 (flattening semantics)': { op: 'Softmax', x: [2, 3, 4], attrs: { axis: 1 }, opset: 11 },
  'LogSoftmax': { op: 'LogSoftmax', x: [2, 5], attrs: { axis: -1 } },
  // --- pooling ---------------------------------------------------------------------------------------
  'MaxPool 2x2 stride 2': { op: 'MaxPool', x: [1, 2, 4, 4], attrs: { kernel_shape: [2, 2], strides: [2, 2] }, values: 'spaced' },
  'MaxPool overlapping 3x3 stride 2 pads': { op: 'MaxPool', x: [1, 2, 5, 5], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, values: 'spaced' },
  'MaxPool ceil_mode': { op: 'MaxPool', x: [1, 1, 6, 6], attrs: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }, values: 'spaced' },
  'MaxPool dilation': { op: 'MaxPool', x: [1, 1, 6, 6], attrs: { kernel_shape: [2, 2], dilations: [2, 2] }, values: 'spaced' },
  'MaxPool with Indices output': { op: 'MaxPool', x: [1, 1, 4, 4], attrs: { kernel_shape: [2, 2], strides: [2, 2] }, values: 'spaced' },
  'MaxPool 1-D': { op: 'MaxPool', x: [1, 2, 9], attrs: { kernel_shape: [3], strides: [2] }, values: 'spaced' },
  'AveragePool count_include_pad 0': { op: 'AveragePool', x: [1, 2, 5, 5], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
  'AveragePool count_include_pad 1': { op: 'AveragePool', x: [1, 2, 5, 5], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 } },
  'AveragePool ceil_mode': { op: 'AveragePool', x: [1, 1, 6, 6], attrs: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 } },
  'AveragePool ceil_mode count_include_pad pads': {
    op: 'AveragePool', x: [1, 1, 7, 7], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 },
  },
  'AveragePool auto_pad SAME_UPPER': { op: 'AveragePool', x: [1, 1, 5, 5], attrs: { kernel_shape: [2, 2], auto_pad: 'SAME_UPPER' } },
  'GlobalAveragePool': { op: 'GlobalAveragePool', x: [2, 3, 3, 2] },
  'GlobalMaxPool': { op: 'GlobalMaxPool', x: [1, 3, 3, 3], values: 'spaced' },
  // --- normalisation -------------------------------------------------------------------------------
  'BatchNormalization': {
    op: 'BatchNormalization', x: [2, 3, 2, 2],
    inputs: ['x', { floats: [1.5, -0.5, 2], dims: [3] }, w([3]), w([3]), { floats: [0.5, 2, 1], dims: [3] }],
  },
  'LayerNormalization last axis': { op: 'LayerNormalization', x: [2, 3, 4], inputs: ['x', w([4], 1), w([4])], attrs: { axis: -1, epsilon: { float: 1e-5 } } },
  'LayerNormalization two axes': { op: 'LayerNormalization', x: [2, 3, 4], inputs: ['x', w([3, 4], 1)], attrs: { axis: 1 } },
  'InstanceNormalization': { op: 'InstanceNormalization', x: [2, 3, 2, 3], inputs: ['x', w([3], 1), w([3])] },
  // --- shapes and indexing ------------------------------------------------------------------------
  'Flatten': { op: 'Flatten', x: [2, 3, 2], attrs: { axis: 2 } },
  'Reshape': { op: 'Reshape', x: [2, 3, 4], inputs: ['x', { ints: [4, -1] }] },
  'Transpose': { op: 'Transpose', x: [2, 3, 4], attrs: { perm: [2, 0, 1] } },
  'Squeeze': { op: 'Squeeze', x: [2, 1, 3], inputs: ['x', { ints: [1] }] },
  'Unsqueeze': { op: 'Unsqueeze', x: [2, 3], inputs: ['x', { ints: [0, 2] }] },
  'Squeeze opset 11 (axes attribute)': { op: 'Squeeze', x: [2, 1, 3], attrs: { axes: [1] }, opset: 11 },
  'Concat with itself': { op: 'Concat', x: [2, 3], inputs: ['x', w([2, 2]), 'x'], attrs: { axis: 1 } },
  'Split': { op: 'Split', x: [2, 6], inputs: ['x', { ints: [1, 2, 3] }], attrs: { axis: 1 }, outputs: 3 },
  'Split, one output unused downstream': { op: 'Split', x: [4, 2], attrs: { axis: 0 }, outputs: 2, opset: 13 },
  'Slice': { op: 'Slice', x: [3, 5], inputs: ['x', { ints: [1, 1] }, { ints: [3, -1] }, { ints: [0, 1] }] },
  'Slice with step 2': { op: 'Slice', x: [2, 7], inputs: ['x', { ints: [1] }, { ints: [7] }, { ints: [1] }, { ints: [2] }] },
  'Slice with steps on two axes': { op: 'Slice', x: [1, 5, 6], inputs: ['x', { ints: [0, 1] }, { ints: [5, 6] }, { ints: [1, 2] }, { ints: [2, 2] }] },
  'Gather scalar index': { op: 'Gather', x: [2, 4, 3], inputs: ['x', { ints: [2], dims: [] }], attrs: { axis: 1 } },
  'Gather repeated indices': { op: 'Gather', x: [2, 4], inputs: ['x', { ints: [3, 0, 3], dims: [3] }], attrs: { axis: 1 } },
  'Pad constant (and crop)': { op: 'Pad', x: [1, 2, 3, 3], inputs: ['x', { ints: [0, 0, 1, -1, 0, 0, 2, 1] }] },
  'Expand': { op: 'Expand', x: [3, 1], inputs: ['x', { ints: [2, 3, 4] }] },
  'Tile': { op: 'Tile', x: [2, 3], inputs: ['x', { ints: [2, 3] }] },
  'Identity': { op: 'Identity', x: [2, 3] },
  'Dropout (inference)': { op: 'Dropout', x: [2, 3] },
  'Cast float to float': { op: 'Cast', x: [2, 3], attrs: { to: 1 } },
  'ReduceMean keepdims': { op: 'ReduceMean', x: [2, 3, 4], attrs: { axes: [1, 2] } },
  'ReduceMean all axes, no keepdims': { op: 'ReduceMean', x: [2, 3], attrs: { keepdims: 0 } },
  'ReduceSum axes input': { op: 'ReduceSum', x: [2, 3, 4], inputs: ['x', { ints: [-1] }], attrs: { keepdims: 0 } },
  'ReduceSum opset 11 (axes attribute)': { op: 'ReduceSum', x: [2, 3, 4], attrs: { axes: [1] }, opset: 11 },
  'ReduceMax': { op: 'ReduceMax', x: [2, 3, 4], attrs: { axes: [2], keepdims: 0 }, values: 'spaced' },
  'ReduceMean opset 18 (axes input)': { op: 'ReduceMean', x: [2, 3, 4], inputs: ['x', { ints: [1] }], opset: 18 },
  // --- resampling ------------------------------------------------------------------------------------
  'Resize nearest x2': { op: 'Resize', x: [1, 2, 3, 3], inputs: ['x', '', { floats: [1, 1, 2, 2], dims: [4] }], attrs: { mode: 'nearest' } },
  'Resize linear half_pixel x1.5': { op: 'Resize', x: [1, 1, 4, 4], inputs: ['x', '', { floats: [1, 1, 1.5, 1.5], dims: [4] }], attrs: { mode: 'linear' } },
  'Resize linear align_corners to sizes': {
    op: 'Resize', x: [1, 2, 3, 4], inputs: ['x', '', '', { ints: [1, 2, 5, 7] }], attrs: { mode: 'linear', coordinate_transformation_mode: 'align_corners' },
  },
  'Resize linear downsample': { op: 'Resize', x: [1, 1, 6, 6], inputs: ['x', '', { floats: [1, 1, 0.5, 0.5], dims: [4] }], attrs: { mode: 'linear' } },
  'Resize cubic': { op: 'Resize', x: [1, 1, 4, 4], inputs: ['x', '', { floats: [1, 1, 2, 2], dims: [4] }], attrs: { mode: 'cubic' } },
};

describe('backward of each operator vs central finite differences', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      await expectGradientMatchesFiniteDifferences(c);
    });
  }
});
