import { documented, type BackwardContext, type OpRule, type RuleFamily } from '../rule';
import { transposeWindows, windowGeometry, type WindowGeometry } from './window';

/**
 * dX of a stride-1 Conv as another Conv: g correlated with the weights, input and output channels
 * exchanged (within each group) and every spatial axis flipped, padded by (reach - 1 - pad) on each
 * side. onnxruntime runs Conv in its blocked, fused layout and ConvTranspose through im2col and a
 * scatter: the whole ResNet-18 gradient graph takes about 0.85x the CPU time this way. The weight
 * transform reads only initializers, so onnxruntime folds it once when the session is created.
 * Strided Convs and pads wider than the kernel's reach keep the ConvTranspose: the sub-pixel form
 * of a strided adjoint (one Conv over the stride phases, then DepthToSpace) was measured 3-18%
 * slower than ConvTranspose on ResNet-18's strided layers (single thread, CPU time).
 */
export function convInputGradient(ctx: BackwardContext, g: string, w: string, geo: WindowGeometry, group: number, weightDims?: number[]): string {
  const n = geo.kernel.length;
  const reach = geo.kernel.map((k, i) => (k - 1) * geo.dilations[i]! + 1);
  const pads = geo.pads.map((p, i) => reach[i % n]! - 1 - p);
  if (geo.strides.some((s) => s !== 1) || pads.some((p) => p < 0) || ctx.emit.opset < 10) return transposeWindows(ctx, g, w, geo, group);
  const e = ctx.emit;
  // LRP rules pass modified weights the shape probe never saw, with the original weight's dims.
  const [outputs, perGroup] = (weightDims ?? ctx.shape(w)) as [number, number];
  const spatial = Array.from({ length: n }, (_, i) => i + 2);
  let swapped: string;
  if (group === 1) {
    swapped = e.transpose(w, [1, 0, ...spatial]);
  } else {
    // [O, C/g, k] -> [g, O/g, C/g, k] -> [g, C/g, O/g, k] -> [C, O/g, k]
    const split = e.reshape(w, e.ints([group, outputs / group, perGroup, ...geo.kernel]));
    const exchanged = e.transpose(split, [0, 2, 1, ...spatial.map((a) => a + 1)]);
    swapped = e.reshape(exchanged, e.ints([group * perGroup, outputs / group, ...geo.kernel]));
  }
  const flipped = e.slice(swapped, geo.kernel.map((k) => k - 1), geo.kernel.map((k) => -k - 1), spatial, new Array<number>(n).fill(-1));
  return e.op('Conv', [g, flipped], { strides: geo.strides, dilations: geo.dilations, pads, group });
}

/**
 * dW[o, c, k] = sum over n and output positions i of g[n, o, i] x_padded[n, c, i * stride + k * dilation]:
 * a convolution of the input, batch and channels swapped ([C, N, ...]), by the gradient, batch and
 * channels swapped ([O, N, ...]), with stride and dilation exchanged. Its spatial size may exceed the
 * kernel's (when the last rows are never read): it is cut to the kernel, then transposed to [O, C, ...].
 */
function convWeightGradient(ctx: BackwardContext, g: string, geo: WindowGeometry): string {
  const e = ctx.emit;
  const n = geo.kernel.length;
  const swap = [1, 0, ...Array.from({ length: n }, (_, i) => i + 2)];
  const x = e.transpose(ctx.input(0), swap);
  const gt = e.transpose(g, swap);
  let dw = e.op('Conv', [x, gt], { strides: geo.dilations, dilations: geo.strides, pads: geo.pads, group: 1 });
  const spatial = Array.from({ length: n }, (_, i) => i + 2);
  dw = e.slice(dw, new Array<number>(n).fill(0), geo.kernel, spatial);
  return e.transpose(dw, swap);
}

const conv: OpRule = {
  // The weights and bias are parameters: input attributions never need their gradients; training
  // graphs (CompileRequest.parameters) do.
  differentiable: [0],
  parameters: [1, 2],
  backward(ctx, [g]) {
    const w = ctx.input(1);
    if (ctx.needsGrad(1) && ctx.producerOp(w) !== undefined) ctx.unsupported('Conv weights that depend on the input');
    const kernel = ctx.shape(w).slice(2);
    const geo = windowGeometry(ctx, kernel);
    const group = ctx.attrs.int('group', 1);
    const grads: Array<string | undefined> = [undefined, undefined, undefined];
    if (ctx.needsGrad(0)) grads[0] = convInputGradient(ctx, g!, w, geo, group);
    if (ctx.needsGrad(1)) {
      if (group !== 1) ctx.unsupported(`full retraining does not support grouped Conv parameters (group ${group}); use roar-head`);
      grads[1] = convWeightGradient(ctx, g!, geo);
    }
    if (ctx.node.inputs[2] && ctx.needsGrad(2)) {
      const rank = ctx.shape(ctx.output(0)).length;
      grads[2] = ctx.emit.reduceSum(g!, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)], false);
    }
    return grads;
  },
};

const convTranspose: OpRule = {
  // The adjoint of a transposed convolution is the convolution with the same weights.
  differentiable: [0],
  backward(ctx, [g]) {
    if (ctx.needsGrad(1)) ctx.unsupported('ConvTranspose weights that depend on the input');
    if (ctx.attrs.has('output_shape') || ctx.attrs.string('auto_pad', 'NOTSET') !== 'NOTSET') {
      ctx.unsupported('ConvTranspose with output_shape or auto_pad (export with explicit pads)');
    }
    const w = ctx.input(1);
    const n = ctx.shape(w).length - 2;
    const pads = ctx.attrs.ints('pads') ?? new Array<number>(2 * n).fill(0);
    const strides = ctx.attrs.ints('strides') ?? new Array<number>(n).fill(1);
    const dilations = ctx.attrs.ints('dilations') ?? new Array<number>(n).fill(1);
    return [ctx.emit.op('Conv', [g!, w], { strides, dilations, pads, group: ctx.attrs.int('group', 1) })];
  },
};

export const convolutionRules: RuleFamily = {
  title: 'Convolution',
  summary: 'Weights and biases are parameters: input attributions need no weight gradients; full retraining gets them.',
  rules: {
    Conv: documented(conv, {
      forms: '1-D, 2-D and 3-D; groups (depthwise), strides, dilations, explicit pads or auto_pad (SAME_UPPER, SAME_LOWER, VALID)',
      note: 'the backward is a Conv with flipped, transposed weights at stride 1, else a ConvTranspose with the same weights; weight gradients (training) for group 1',
    }),
    ConvTranspose: documented(convTranspose, {
      forms: 'explicit pads, output_padding, groups, strides, dilations (no output_shape or auto_pad)',
      note: 'the backward is a Conv with the same weights',
    }),
  },
};
