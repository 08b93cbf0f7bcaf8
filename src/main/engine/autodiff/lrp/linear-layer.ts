import { floatValues } from '../../onnx/tensor-values';
import type { BackwardContext } from '../rule';
import { transposeWindows, windowGeometry } from '../rules/window';

/**
 * A layer that is linear in its input with constant weights (Conv, Gemm, MatMul with a constant
 * right operand), seen as the pair LRP rules need: apply it with modified weights, and apply its
 * transpose. Bias is handled by the rules (most drop it).
 */
export interface LinearLayer {
  input: string;
  /** Values of the weight, to derive modified weights (positive part, ones, squares...). */
  weight: Float32Array;
  weightDims: number[];
  bias?: string;
  /** Emits the layer applied to `x` with the weight tensor `w` (no bias). */
  forward(x: string, w: string): string;
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
  const bias = node.inputs[2] || undefined;
  switch (node.opType) {
    case 'Conv': {
      const kernel = weightDims.slice(2);
      const geo = windowGeometry(ctx, kernel);
      const group = ctx.attrs.int('group', 1);
      return {
        input,
        weight,
        weightDims,
        ...(bias ? { bias } : {}),
        forward: (x, w) => e.op('Conv', [x, w], { strides: geo.strides, dilations: geo.dilations, pads: geo.pads, group }),
        transpose: (s, w) => transposeWindows(ctx, s, w, geo, group),
      };
    }
    case 'Gemm': {
      if (ctx.attrs.int('transA', 0) !== 0) return undefined;
      const transB = ctx.attrs.int('transB', 0);
      const alpha = ctx.attrs.float('alpha', 1);
      return {
        input,
        weight,
        weightDims,
        ...(bias ? { bias } : {}),
        forward: (x, w) => e.op('Gemm', [x, w], { alpha: { float: alpha }, transB }),
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
