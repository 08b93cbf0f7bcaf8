import type { RuleTable } from '../rule';
import { transposeWindows, windowGeometry } from './window';

export const convolutionRules: RuleTable = {
  Conv: {
    // The weights and bias are parameters: input attributions never need their gradients.
    differentiable: [0],
    backward(ctx, [g]) {
      if (ctx.needsGrad(1)) ctx.unsupported('Conv weights that depend on the input');
      const w = ctx.input(1);
      const kernel = ctx.shape(w).slice(2);
      const geo = windowGeometry(ctx, kernel);
      return [transposeWindows(ctx, g!, w, geo, ctx.attrs.int('group', 1))];
    },
  },
  ConvTranspose: {
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
  },
};
