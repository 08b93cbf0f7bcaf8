import { describe, expect, it } from 'vitest';
import { supportedOperators } from '../../../../src/main/engine/autodiff/rules';
import { compileAttributionGraph } from '../../../../src/main/engine/autodiff/compile';
import { gradientRuleSet } from '../../../../src/main/engine/autodiff/rule-set';
import { opModel, rng } from '../../../helpers/gradient-check';
import { expectGradient, type GradientCase } from '../../../helpers/gradient-check-f64';

const r = rng(42);
const randoms = (n: number, scale = 1): number[] => Array.from({ length: n }, () => scale * (2 * r() - 1));
const w = (dims: number[], scale = 0.5): { floats: number[]; dims: number[] } => ({ floats: randoms(dims.reduce((a, b) => a * b, 1), scale), dims });

/**
 * Each case: one operator, random shapes and attributes, backward vs central finite differences,
 * in float64 unless onnxruntime has only a float32 kernel for an operator of the case (`float32`).
 */
const cases: Record<string, GradientCase> = {
  // --- convolution ---------------------------------------------------------------------------
  'Conv 3x3 pad 1': { op: 'Conv', x: [1, 2, 5, 5], inputs: ['x', w([3, 2, 3, 3]), w([3])], attrs: { pads: [1, 1, 1, 1] }, float32: true },
  'Conv stride 2 with remainder (last row unused)': { op: 'Conv', x: [1, 2, 6, 7], inputs: ['x', w([2, 2, 3, 3])], attrs: { strides: [2, 2] }, float32: true },
  'Conv asymmetric pads, stride 2': { op: 'Conv', x: [1, 1, 7, 6], inputs: ['x', w([2, 1, 3, 2])], attrs: { strides: [2, 2], pads: [0, 1, 2, 0] }, float32: true },
  'Conv dilation 2': { op: 'Conv', x: [1, 2, 7, 7], inputs: ['x', w([2, 2, 3, 3])], attrs: { dilations: [2, 2], pads: [2, 2, 2, 2] }, float32: true },
  'Conv groups 2': { op: 'Conv', x: [1, 4, 5, 5], inputs: ['x', w([6, 2, 3, 3])], attrs: { group: 2, pads: [1, 1, 1, 1] }, float32: true },
  'Conv depthwise stride 2': { op: 'Conv', x: [1, 3, 6, 6], inputs: ['x', w([3, 1, 3, 3])], attrs: { group: 3, strides: [2, 2], pads: [0, 0, 1, 1] }, float32: true },
  'Conv auto_pad SAME_UPPER stride 2': { op: 'Conv', x: [1, 2, 6, 5], inputs: ['x', w([2, 2, 3, 3])], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] }, float32: true },
  'Conv auto_pad SAME_LOWER': { op: 'Conv', x: [1, 2, 5, 5], inputs: ['x', w([2, 2, 4, 4])], attrs: { auto_pad: 'SAME_LOWER' }, float32: true },
  'Conv auto_pad VALID': { op: 'Conv', x: [1, 2, 5, 6], inputs: ['x', w([2, 2, 2, 3])], attrs: { auto_pad: 'VALID', strides: [1, 2] }, float32: true },
  'Conv 1-D': { op: 'Conv', x: [1, 2, 9], inputs: ['x', w([3, 2, 3])], attrs: { strides: [2], pads: [1, 1] }, float32: true },
  'Conv 3-D, strides and asymmetric pads': {
    op: 'Conv', x: [1, 2, 4, 5, 3], inputs: ['x', w([3, 2, 2, 3, 2]), w([3])], attrs: { strides: [2, 1, 1], pads: [1, 0, 1, 0, 1, 0] }, float32: true,
  },
  'Conv 3-D depthwise, dilation': {
    op: 'Conv', x: [1, 2, 4, 4, 4], inputs: ['x', w([2, 1, 2, 2, 2])], attrs: { group: 2, dilations: [1, 2, 1], pads: [0, 1, 1, 1, 1, 0] }, float32: true,
  },
  'Conv 1-D depthwise, dilation 2': { op: 'Conv', x: [1, 3, 10], inputs: ['x', w([3, 1, 3])], attrs: { group: 3, dilations: [2], pads: [2, 2] }, float32: true },
  'Conv whose windows along one axis read only padding': {
    op: 'Conv', x: [1, 2, 3, 1], inputs: ['x', w([2, 2, 2, 1])], attrs: { strides: [1, 2], pads: [1, 1, 0, 0] }, float32: true,
  },
  'ConvTranspose stride 2 output_padding 1': {
    op: 'ConvTranspose', x: [1, 2, 3, 3], inputs: ['x', w([2, 3, 3, 3])], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }, float32: true,
  },
  'ConvTranspose groups 2': { op: 'ConvTranspose', x: [1, 4, 3, 3], inputs: ['x', w([4, 1, 2, 2])], attrs: { group: 2, strides: [2, 2] }, float32: true },
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
  'Einsum matrix product': { op: 'Einsum', x: [3, 4], inputs: ['x', w([4, 2])], attrs: { equation: 'ij,jk->ik' } },
  'Einsum attention scores, both operands x': { op: 'Einsum', x: [2, 3, 4], inputs: ['x', 'x'], attrs: { equation: 'bqd,bkd->bqk' } },
  'Einsum ellipsis with broadcast batch': { op: 'Einsum', x: [1, 3, 4], inputs: ['x', w([2, 4, 2])], attrs: { equation: '...ij,...jk->...ik' } },
  'Einsum implicit output': { op: 'Einsum', x: [3, 4], inputs: [w([2, 3]), 'x'], attrs: { equation: 'ki,ij' } },
  'Einsum index summed only in x': { op: 'Einsum', x: [2, 3, 4], inputs: ['x', w([2])], attrs: { equation: 'ijk,i->i' } },
  'Einsum full contraction to a scalar': { op: 'Einsum', x: [2, 3], inputs: ['x', w([2, 3])], attrs: { equation: 'ij,ij->' } },
  'Einsum transpose': { op: 'Einsum', x: [2, 3, 4], attrs: { equation: 'abc->cab' } },
  'Einsum three operands': { op: 'Einsum', x: [3, 4], inputs: [w([2, 3]), 'x', w([4, 5])], attrs: { equation: 'ai,ij,jb->ab' } },
  'Einsum ellipsis, operands of different ranks': { op: 'Einsum', x: [2, 3, 4], inputs: ['x', w([4, 5])], attrs: { equation: '...ij,jk->...ik' } },
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
  'Pow integer exponent': { op: 'Pow', x: [2, 3], inputs: ['x', { ints: [3], dims: [] }] },
  'Pow squared (a LayerNorm variance as exporters spell it)': { op: 'Pow', x: [2, 3], inputs: ['x', { floats: [2], dims: [] }] },
  'Pow squared, integer exponent': { op: 'Pow', x: [2, 3], inputs: ['x', { ints: [2], dims: [] }] },
  'Pow squared, exponent broadcast to a larger output': { op: 'Pow', x: [3], inputs: ['x', { floats: [2], dims: [1, 1] }] },
  'Pow exponent 1': { op: 'Pow', x: [2, 3], inputs: ['x', { floats: [1], dims: [] }] },
  'Pow exponent 0': { op: 'Pow', x: [2, 3], inputs: ['x', { ints: [0], dims: [] }] },
  'Pow negative exponent': { op: 'Pow', x: [2, 3], inputs: ['x', { floats: [-1.5], dims: [] }], values: 'positive' },
  'Sqrt': { op: 'Sqrt', x: [2, 3], values: 'positive' },
  'Exp': { op: 'Exp', x: [2, 3] },
  'Log': { op: 'Log', x: [2, 3], values: 'positive' },
  'Erf': { op: 'Erf', x: [2, 4], float32: true },
  'Where': { op: 'Where', x: [2, 3], inputs: [{ bools: [true, false, true], dims: [3] }, 'x', w([2, 3])] },
  'Max (elementwise)': { op: 'Max', x: [2, 4], inputs: ['x', w([4])], values: 'spaced' },
  'Min (elementwise)': { op: 'Min', x: [2, 4], inputs: ['x', w([2, 4])], values: 'spaced' },
  'Sum (variadic)': { op: 'Sum', x: [2, 3], inputs: ['x', w([3]), 'x'] },
  'Mean (variadic, broadcast)': { op: 'Mean', x: [2, 3], inputs: ['x', w([3]), 'x'], float32: true },
  'Mean of one operand': { op: 'Mean', x: [2, 3], float32: true },
  'Where, x in both branches, broadcast condition': { op: 'Where', x: [2, 3], inputs: [{ bools: [true, false], dims: [2, 1] }, 'x', 'x'] },
  'Where, x in the else branch, broadcast to the condition': { op: 'Where', x: [3], inputs: [{ bools: [true, false, false, true, true, false], dims: [2, 3] }, w([2, 1]), 'x'] },
  'Reciprocal': { op: 'Reciprocal', x: [2, 3], values: 'positive' },
  'Sin': { op: 'Sin', x: [2, 4], inputs: ['x'] },
  'Cos': { op: 'Cos', x: [2, 4] },
  'Tan': { op: 'Tan', x: [2, 4], float32: true },
  'Softplus': { op: 'Softplus', x: [2, 5], float32: true },
  'Softsign': { op: 'Softsign', x: [2, 5], values: 'spaced', float32: true },
  'CastLike float to float': { op: 'CastLike', x: [2, 3], inputs: ['x', { floats: [0], dims: [] }] },
  // --- activations ---------------------------------------------------------------------------------
  'Relu': { op: 'Relu', x: [2, 6], values: 'spaced' },
  'LeakyRelu': { op: 'LeakyRelu', x: [2, 6], attrs: { alpha: { float: 0.1 } }, values: 'spaced' },
  'PRelu per channel': { op: 'PRelu', x: [1, 3, 2, 2], inputs: ['x', { floats: [0.1, 0.2, 0.3], dims: [3, 1, 1] }], values: 'spaced' },
  'Elu': { op: 'Elu', x: [2, 6], attrs: { alpha: { float: 0.8 } }, values: 'spaced', float32: true },
  'Selu': { op: 'Selu', x: [2, 6], values: 'spaced', float32: true },
  'Selu custom alpha gamma': { op: 'Selu', x: [2, 6], values: 'spaced', attrs: { alpha: { float: 1.5 }, gamma: { float: 0.9 } }, float32: true },
  'Celu': { op: 'Celu', x: [2, 6], values: 'spaced', attrs: { alpha: { float: 0.7 } }, float32: true },
  'ThresholdedRelu': { op: 'ThresholdedRelu', x: [2, 6], values: 'spaced', attrs: { alpha: { float: 0.1 } }, float32: true },
  'Mish': { op: 'Mish', x: [2, 6], opset: 18, float32: true },
  'Sigmoid': { op: 'Sigmoid', x: [2, 4] },
  'Tanh': { op: 'Tanh', x: [2, 4] },
  'HardSigmoid': { op: 'HardSigmoid', x: [2, 10], values: 'spaced', attrs: { alpha: { float: 0.5 } }, float32: true },
  'HardSwish': { op: 'HardSwish', x: [4, 30], values: 'spaced', opset: 14, float32: true },
  'Clip (ReLU6)': { op: 'Clip', x: [2, 10], inputs: ['x', { floats: [0], dims: [] }, { floats: [0.53], dims: [] }], values: 'spaced' },
  'Clip without max': { op: 'Clip', x: [2, 6], inputs: ['x', { floats: [-0.3], dims: [] }], values: 'spaced' },
  'Clip without min (empty input)': { op: 'Clip', x: [2, 6], inputs: ['x', '', { floats: [0.13], dims: [] }], values: 'spaced' },
  'Gelu exact': { op: 'Gelu', x: [2, 4], opset: 20, float32: true },
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
  'MaxPool with Indices output': { op: 'MaxPool', x: [1, 1, 4, 4], attrs: { kernel_shape: [2, 2], strides: [2, 2] }, unread: 1, values: 'spaced' },
  'MaxPool with Indices output in column-major order': {
    op: 'MaxPool', x: [1, 2, 4, 3], attrs: { kernel_shape: [2, 2], strides: [1, 1], storage_order: 1 }, unread: 1, values: 'spaced',
  },
  'MaxPool 1-D': { op: 'MaxPool', x: [1, 2, 9], attrs: { kernel_shape: [3], strides: [2] }, values: 'spaced' },
  'MaxPool 3-D': { op: 'MaxPool', x: [1, 2, 4, 4, 3], attrs: { kernel_shape: [2, 2, 2], strides: [2, 2, 1] }, values: 'spaced' },
  'MaxPool auto_pad SAME_UPPER': { op: 'MaxPool', x: [1, 1, 5, 5], attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' }, values: 'spaced' },
  'AveragePool count_include_pad 0': { op: 'AveragePool', x: [1, 2, 5, 5], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, float32: true },
  'AveragePool count_include_pad 1': { op: 'AveragePool', x: [1, 2, 5, 5], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }, float32: true },
  'AveragePool ceil_mode': { op: 'AveragePool', x: [1, 1, 6, 6], attrs: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }, float32: true },
  'AveragePool ceil_mode count_include_pad pads': {
    op: 'AveragePool', x: [1, 1, 7, 7], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 }, float32: true,
  },
  'AveragePool auto_pad SAME_UPPER': { op: 'AveragePool', x: [1, 1, 5, 5], attrs: { kernel_shape: [2, 2], auto_pad: 'SAME_UPPER' }, float32: true },
  'AveragePool dilation (opset 19)': { op: 'AveragePool', x: [1, 1, 6, 6], attrs: { kernel_shape: [2, 2], dilations: [2, 2], pads: [1, 1, 1, 1] }, opset: 19, float32: true },
  'AveragePool 3-D': { op: 'AveragePool', x: [1, 2, 4, 4, 4], attrs: { kernel_shape: [2, 3, 2], strides: [2, 1, 2], pads: [0, 1, 0, 0, 1, 0] }, float32: true },
  'GlobalAveragePool': { op: 'GlobalAveragePool', x: [2, 3, 3, 2], float32: true },
  'GlobalAveragePool 3-D': { op: 'GlobalAveragePool', x: [1, 2, 3, 2, 2], float32: true },
  'GlobalMaxPool': { op: 'GlobalMaxPool', x: [1, 3, 3, 3], values: 'spaced', float32: true },
  // --- normalisation -------------------------------------------------------------------------------
  'BatchNormalization': {
    op: 'BatchNormalization', x: [2, 3, 2, 2],
    inputs: ['x', { floats: [1.5, -0.5, 2], dims: [3] }, w([3]), w([3]), { floats: [0.5, 2, 1], dims: [3] }],
  },
  'LayerNormalization last axis': { op: 'LayerNormalization', x: [2, 3, 4], inputs: ['x', w([4], 1), w([4])], attrs: { axis: -1, epsilon: { float: 1e-5 } } },
  'LayerNormalization two axes': { op: 'LayerNormalization', x: [2, 3, 4], inputs: ['x', w([3, 4], 1)], attrs: { axis: 1 } },
  'LayerNormalization axis 1 of 4-D, with bias': { op: 'LayerNormalization', x: [2, 3, 2, 2], inputs: ['x', w([3, 2, 2], 1), w([3, 2, 2])], attrs: { axis: 1 } },
  'GroupNormalization opset 18 (scale per group)': {
    op: 'GroupNormalization', x: [2, 4, 3, 2], inputs: ['x', w([2], 1), w([2])], attrs: { num_groups: 2, epsilon: { float: 1e-5 } }, opset: 18,
  },
  // Opset 21's stash_type (default float32) computes the statistics in float32 even for double.
  'GroupNormalization opset 21 (scale per channel)': {
    op: 'GroupNormalization', x: [2, 6, 2, 2], inputs: ['x', w([6], 1), w([6])], attrs: { num_groups: 3 }, opset: 21, float32: true,
  },
  'InstanceNormalization': { op: 'InstanceNormalization', x: [2, 3, 2, 3], inputs: ['x', w([3], 1), w([3])], float32: true },
  'LRN size 3': { op: 'LRN', x: [2, 5, 2, 2], attrs: { size: 3, alpha: { float: 3 }, beta: { float: 0.75 }, bias: { float: 0.5 } }, float32: true },
  'LpNormalization p 2, last axis': { op: 'LpNormalization', x: [2, 3, 4] },
  'LpNormalization p 1, axis 1': { op: 'LpNormalization', x: [2, 3, 4], attrs: { p: 1, axis: 1 }, values: 'spaced' },
  // --- shapes and indexing ------------------------------------------------------------------------
  'Flatten': { op: 'Flatten', x: [2, 3, 2], attrs: { axis: 2 } },
  'Reshape': { op: 'Reshape', x: [2, 3, 4], inputs: ['x', { ints: [4, -1] }] },
  'Transpose': { op: 'Transpose', x: [2, 3, 4], attrs: { perm: [2, 0, 1] } },
  'Transpose without perm (reversed)': { op: 'Transpose', x: [2, 3, 4] },
  'DepthToSpace DCR': { op: 'DepthToSpace', x: [2, 8, 2, 3], attrs: { blocksize: 2 } },
  'DepthToSpace CRD': { op: 'DepthToSpace', x: [1, 8, 3, 2], attrs: { blocksize: 2, mode: 'CRD' } },
  'SpaceToDepth': { op: 'SpaceToDepth', x: [2, 2, 4, 6], attrs: { blocksize: 2 } },
  'Squeeze': { op: 'Squeeze', x: [2, 1, 3], inputs: ['x', { ints: [1] }] },
  'Unsqueeze': { op: 'Unsqueeze', x: [2, 3], inputs: ['x', { ints: [0, 2] }] },
  'Squeeze opset 11 (axes attribute)': { op: 'Squeeze', x: [2, 1, 3], attrs: { axes: [1] }, opset: 11 },
  'Squeeze without axes': { op: 'Squeeze', x: [2, 1, 3, 1] },
  'Unsqueeze opset 11 (axes attribute)': { op: 'Unsqueeze', x: [2, 3], attrs: { axes: [1, 3] }, opset: 11 },
  'Unsqueeze opset 21 negative axes input': { op: 'Unsqueeze', x: [2, 3], inputs: ['x', { ints: [-1] }], opset: 21 },
  'Concat with itself': { op: 'Concat', x: [2, 3], inputs: ['x', w([2, 2]), 'x'], attrs: { axis: 1 } },
  'Split': { op: 'Split', x: [2, 6], inputs: ['x', { ints: [1, 2, 3] }], attrs: { axis: 1 }, outputs: 3 },
  'Split, one output unused downstream': { op: 'Split', x: [4, 2], attrs: { axis: 0 }, outputs: 2, opset: 13 },
  'Split opset 11 (split attribute)': { op: 'Split', x: [2, 6], attrs: { axis: 1, split: [2, 4] }, outputs: 2, opset: 11 },
  'Split opset 18 num_outputs, uneven': { op: 'Split', x: [2, 7], attrs: { axis: 1, num_outputs: 3 }, outputs: 3, opset: 18 },
  'Slice': { op: 'Slice', x: [3, 5], inputs: ['x', { ints: [1, 1] }, { ints: [3, -1] }, { ints: [0, 1] }] },
  'Slice with step 2': { op: 'Slice', x: [2, 7], inputs: ['x', { ints: [1] }, { ints: [7] }, { ints: [1] }, { ints: [2] }] },
  'Slice with steps on two axes': { op: 'Slice', x: [1, 5, 6], inputs: ['x', { ints: [0, 1] }, { ints: [5, 6] }, { ints: [1, 2] }, { ints: [2, 2] }] },
  'Slice flip (step -1, as torch.flip exports)': { op: 'Slice', x: [2, 5], inputs: ['x', { ints: [-1] }, { ints: [-9223372036854775807] }, { ints: [1] }, { ints: [-1] }] },
  'Slice step -2 within bounds, and step 2 on another axis': {
    op: 'Slice', x: [3, 7, 4], inputs: ['x', { ints: [5, 0] }, { ints: [0, 4] }, { ints: [1, 2] }, { ints: [-2, 2] }],
  },
  'Gather scalar index': { op: 'Gather', x: [2, 4, 3], inputs: ['x', { ints: [2], dims: [] }], attrs: { axis: 1 } },
  'Gather repeated indices': { op: 'Gather', x: [2, 4], inputs: ['x', { ints: [3, 0, 3], dims: [3] }], attrs: { axis: 1 } },
  'GatherElements repeated indices': { op: 'GatherElements', x: [3, 4], inputs: ['x', { ints: [2, 0, 1, 2, 2, 1, 0, 0], dims: [2, 4] }], attrs: { axis: 0 } },
  'GatherElements axis -1': { op: 'GatherElements', x: [2, 3], inputs: ['x', { ints: [1, 1, 0, 2, -1, 0, 2, 2], dims: [2, 4] }], attrs: { axis: -1 } },
  'GatherND repeated slices': { op: 'GatherND', x: [3, 4, 2], inputs: ['x', { ints: [0, 1, 2, 3, 0, 1], dims: [3, 2] }] },
  'GatherND whole rows': { op: 'GatherND', x: [3, 4], inputs: ['x', { ints: [2, 0, 2], dims: [3, 1] }] },
  'TopK largest, last axis': { op: 'TopK', x: [2, 5], inputs: ['x', { ints: [3] }], unread: 1, values: 'spaced' },
  'TopK smallest along axis 0, unsorted': { op: 'TopK', x: [4, 3], inputs: ['x', { ints: [2] }], attrs: { axis: 0, largest: 0, sorted: 0 }, unread: 1, values: 'spaced' },
  'ScatterND into x (data)': { op: 'ScatterND', x: [4, 3], inputs: ['x', { ints: [1, 3], dims: [2, 1] }, w([2, 3])] },
  'ScatterND of x (updates)': { op: 'ScatterND', x: [2, 3], inputs: [w([4, 3]), { ints: [2, 0], dims: [2, 1] }, 'x'] },
  'ScatterND of x into x, elements': { op: 'ScatterND', x: [3, 3], inputs: ['x', { ints: [0, 1, 2, 2], dims: [2, 2] }, { floats: [0.3, -0.2], dims: [2] }] },
  'ScatterND reduction add, repeated indices': {
    op: 'ScatterND', x: [3, 2], inputs: [w([4, 2]), { ints: [1, 3, 1], dims: [3, 1] }, 'x'], attrs: { reduction: 'add' }, opset: 16,
  },
  'ScatterElements into x (data)': { op: 'ScatterElements', x: [3, 3], inputs: ['x', { ints: [1, 0, 2], dims: [1, 3] }, w([1, 3])], attrs: { axis: 0 } },
  'ScatterElements of x (updates), axis 1': { op: 'ScatterElements', x: [2, 2], inputs: [w([2, 4]), { ints: [3, 0, 1, 2], dims: [2, 2] }, 'x'], attrs: { axis: 1 } },
  'ScatterElements reduction add': {
    op: 'ScatterElements', x: [2, 3], inputs: ['x', { ints: [0, 0, 2, 1], dims: [2, 2] }, w([2, 2])], attrs: { axis: 1, reduction: 'add' }, opset: 16,
  },
  'Pad constant (and crop)': { op: 'Pad', x: [1, 2, 3, 3], inputs: ['x', { ints: [0, 0, 1, -1, 0, 0, 2, 1] }] },
  'Pad opset 11, constant_value input': { op: 'Pad', x: [1, 2, 3], inputs: ['x', { ints: [0, 1, 2, 0, 0, 1] }, { floats: [0.7], dims: [] }], opset: 11 },
  'Pad opset 18, axes input': { op: 'Pad', x: [1, 2, 3, 4], inputs: ['x', { ints: [1, 2, 0, 1] }, '', { ints: [2, -1] }], opset: 18 },
  'Pad attribute form (opset 11 inputs from upgrade)': { op: 'Pad', x: [2, 3], inputs: ['x', { ints: [0, 2, 0, 1] }], attrs: { mode: 'constant' }, opset: 13 },
  'Pad reflect': { op: 'Pad', x: [1, 2, 4, 5], inputs: ['x', { ints: [0, 0, 2, 1, 0, 0, 1, 3] }], attrs: { mode: 'reflect' } },
  'Pad edge': { op: 'Pad', x: [1, 2, 3, 4], inputs: ['x', { ints: [0, 0, 2, 3, 0, 0, 1, 0] }], attrs: { mode: 'edge' } },
  'Pad wrap (opset 19)': { op: 'Pad', x: [1, 1, 3, 4], inputs: ['x', { ints: [0, 0, 2, 3, 0, 0, 1, 4] }], attrs: { mode: 'wrap' }, opset: 19 },
  'Pad reflect with a crop': { op: 'Pad', x: [1, 1, 5, 4], inputs: ['x', { ints: [0, 0, -1, 2, 0, 0, 2, -1] }], attrs: { mode: 'reflect' } },
  'Expand': { op: 'Expand', x: [3, 1], inputs: ['x', { ints: [2, 3, 4] }] },
  'Expand a middle axis, adding leading axes': { op: 'Expand', x: [3, 1, 2], inputs: ['x', { ints: [2, 3, 4, 2] }] },
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
  'ReduceSum opset 18, empty axes with noop_with_empty_axes (identity)': {
    op: 'ReduceSum', x: [2, 3], inputs: ['x', { ints: [], dims: [0] }], attrs: { noop_with_empty_axes: 1 }, opset: 18,
  },
  'ReduceSum opset 13, empty axes (all axes)': { op: 'ReduceSum', x: [2, 3], inputs: ['x', { ints: [], dims: [0] }], attrs: { keepdims: 0 }, opset: 13 },
  'ReduceMax opset 18 (axes input), no keepdims': { op: 'ReduceMax', x: [2, 3, 4], inputs: ['x', { ints: [-1, 1] }], attrs: { keepdims: 0 }, values: 'spaced', opset: 18 },
  'ReduceMax opset 18, noop_with_empty_axes': { op: 'ReduceMax', x: [2, 3], attrs: { noop_with_empty_axes: 1 }, values: 'spaced', opset: 18 },
  'ReduceMin': { op: 'ReduceMin', x: [2, 3, 4], attrs: { axes: [1] }, values: 'spaced', opset: 13 },
  'ReduceMin opset 18 (axes input)': { op: 'ReduceMin', x: [2, 3, 4], inputs: ['x', { ints: [2] }], values: 'spaced', opset: 18 },
  'ReduceL1 opset 18': { op: 'ReduceL1', x: [2, 3, 4], inputs: ['x', { ints: [1, 2] }], values: 'spaced', opset: 18 },
  'ReduceL2': { op: 'ReduceL2', x: [2, 3, 4], attrs: { axes: [2], keepdims: 0 } },
  'ReduceL2 opset 18 (axes input)': { op: 'ReduceL2', x: [2, 3, 4], inputs: ['x', { ints: [1] }], opset: 18 },
  'ReduceSumSquare opset 18': { op: 'ReduceSumSquare', x: [2, 3, 4], inputs: ['x', { ints: [0, 2] }], opset: 18 },
  'ReduceLogSumExp': { op: 'ReduceLogSumExp', x: [2, 3, 4], attrs: { axes: [1] } },
  'ReduceLogSumExp opset 18 (axes input), no keepdims': { op: 'ReduceLogSumExp', x: [2, 3, 4], inputs: ['x', { ints: [-1] }], attrs: { keepdims: 0 }, opset: 18 },
  // --- resampling ------------------------------------------------------------------------------------
  'Resize nearest x2': { op: 'Resize', x: [1, 2, 3, 3], inputs: ['x', '', { floats: [1, 1, 2, 2], dims: [4] }], attrs: { mode: 'nearest' }, float32: true },
  'Resize linear half_pixel x1.5': { op: 'Resize', x: [1, 1, 4, 4], inputs: ['x', '', { floats: [1, 1, 1.5, 1.5], dims: [4] }], attrs: { mode: 'linear' }, float32: true },
  'Resize linear align_corners to sizes': {
    op: 'Resize', x: [1, 2, 3, 4], inputs: ['x', '', '', { ints: [1, 2, 5, 7] }], attrs: { mode: 'linear', coordinate_transformation_mode: 'align_corners' }, float32: true,
  },
  'Resize linear downsample': { op: 'Resize', x: [1, 1, 6, 6], inputs: ['x', '', { floats: [1, 1, 0.5, 0.5], dims: [4] }], attrs: { mode: 'linear' }, float32: true },
  'Resize cubic': { op: 'Resize', x: [1, 1, 4, 4], inputs: ['x', '', { floats: [1, 1, 2, 2], dims: [4] }], attrs: { mode: 'cubic' }, float32: true },
  'Resize linear asymmetric': {
    op: 'Resize', x: [1, 1, 3, 4], inputs: ['x', '', { floats: [1, 1, 2, 1.5], dims: [4] }], attrs: { mode: 'linear', coordinate_transformation_mode: 'asymmetric' }, float32: true,
  },
  'Resize nearest pytorch_half_pixel, floor': {
    op: 'Resize', x: [1, 2, 4, 3], inputs: ['x', '', { floats: [1, 1, 1.5, 2], dims: [4] }],
    attrs: { mode: 'nearest', coordinate_transformation_mode: 'pytorch_half_pixel', nearest_mode: 'floor' }, float32: true,
  },
  'Resize linear antialias downsample (opset 18)': {
    op: 'Resize', x: [1, 1, 8, 6], inputs: ['x', '', { floats: [1, 1, 0.5, 0.5], dims: [4] }], attrs: { mode: 'linear', antialias: 1 }, opset: 18, float32: true,
  },
};

describe('backward of each operator vs central finite differences', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}${c.float32 ? ' (float32)' : ''}`, async () => {
      await expectGradient(c);
    });
  }

  it('covers every operator with a backward', () => {
    const tested = new Set(Object.values(cases).map((c) => c.op));
    expect(supportedOperators().filter((op) => !tested.has(op))).toEqual([]);
  });
});

describe('the backward of Pow with a small constant exponent', () => {
  it('writes x^2 and x^3 with products: no power kernel in the backward', async () => {
    for (const exponent of [2, 3]) {
      const model = opModel({ op: 'Pow', x: [2, 3], inputs: ['x', { floats: [exponent], dims: [] }] });
      const compiled = await compileAttributionGraph({ model, input: { name: 'x', dims: [2, 3] }, output: 'scores', objective: 'logit', rules: gradientRuleSet });
      expect(compiled.model.graph.nodes.filter((n) => n.opType === 'Pow').map((n) => n.name)).toEqual(['op']);
    }
    const general = opModel({ op: 'Pow', x: [2, 3], inputs: ['x', { floats: [0.5], dims: [] }] });
    const compiled = await compileAttributionGraph({ model: general, input: { name: 'x', dims: [2, 3] }, output: 'scores', objective: 'logit', rules: gradientRuleSet });
    expect(compiled.model.graph.nodes.filter((n) => n.opType === 'Pow')).toHaveLength(2);
  });
});

