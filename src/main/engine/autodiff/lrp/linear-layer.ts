import { floatValues } from '../../onnx/tensor-values';
import type { BackwardContext } from '../rule';
import { convInputGradient } from '../rules/convolution';
import { windowGeometry } from '../rules/window';

/**
 * A layer that is linear in its input with constant weights (Conv, Gemm, MatMul with a constant
 * right operand), seen as the pair LRP rules need: apply it with modified weights (and a modified
 * bias), and apply its transpose. Each rule decides what it does with the bias.
 */
export interface LinearLayer {
  input: string;
  /** Values of the weight, to derive modified weights (positive part, ones, squares...). */
  weight: Float32Array;
  weightDims: number[];
  /** Values of the bias: absent when the layer has none, 'unknown' when it is not a constant. */
  bias?: { values: Float32Array; dims: number[] } | 'unknown';
  /** Emits the layer applied to `x` with the weight tensor `w`, and the bias tensor `b` if given. */
  forward(x: string, w: string, b?: string): string;
  /** Emits the transpose of the layer with weight `w` applied to `s`. */
  transpose(s: string, w: string): string;
}

export function linearLayer(ctx: BackwardContext): LinearLayer | undefined {
  const e = ctx.emit;
  const node = ctx.node;
  const weightName = node.inputs[1];
  const weightTensor = weightName ? ctx.constant(weightName) : undefined;
  if (!weightTensor) return undefined;
  const weight = floatValues(weightTensor);
  const weightDims = weightTensor.dims;
  const input = ctx.input(0);
  const biasName = node.inputs[2] || undefined;
  const biasTensor = biasName ? ctx.constant(biasName) : undefined;
  const bias = biasTensor ? { bias: { values: floatValues(biasTensor), dims: biasTensor.dims } } : biasName ? { bias: 'unknown' as const } : {};
  switch (node.opType) {
    case 'Conv': {
      const kernel = weightDims.slice(2);
      const geo = windowGeometry(ctx, kernel);
      const group = ctx.attrs.int('group', 1);
      return {
        input,
        weight,
        weightDims,
        ...bias,
        forward: (x, w, b) => e.op('Conv', b ? [x, w, b] : [x, w], { strides: geo.strides, dilations: geo.dilations, pads: geo.pads, group }),
        // As the gradient rule does: a Conv with flipped weights at stride 1 (onnxruntime runs it far
        // faster than ConvTranspose: LRP-epsilon's ResNet-18 graph spent 34 of 93 ms in ConvTranspose).
        transpose: (s, w) => convInputGradient(ctx, s, w, geo, group, weightDims),
      };
    }
    case 'Gemm': {
      if (ctx.attrs.int('transA', 0) !== 0) return undefined;
      const transB = ctx.attrs.int('transB', 0);
      const alpha = ctx.attrs.float('alpha', 1);
      const beta = ctx.attrs.float('beta', 1);
      return {
        input,
        weight,
        weightDims,
        ...bias,
        forward: (x, w, b) => e.op('Gemm', b ? [x, w, b] : [x, w], { alpha: { float: alpha }, beta: { float: beta }, transB }),
        transpose: (s, w) => e.op('Gemm', [s, w], { alpha: { float: alpha }, transB: transB ? 0 : 1 }),
      };
    }
    case 'MatMul': {
      if (weightDims.length !== 2) return undefined;
      return {
        input,
        weight,
        weightDims,
        forward: (x, w) => e.op('MatMul', [x, w]),
        transpose: (s, w) => e.op('MatMul', [s, e.transpose(w, [1, 0])]),
      };
    }
    default:
      return undefined;
  }
}
