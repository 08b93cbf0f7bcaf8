import type { BackwardContext, OpRule, RuleTable } from '../rule';

/** The reduced axes of a Reduce* node (attribute before opset 18, input after; ReduceSum from 13). */
function reducedAxes(ctx: BackwardContext): number[] {
  const rank = ctx.shape(ctx.input(0)).length;
  const fromInput = ctx.node.inputs[1] ? ctx.knownInts(ctx.node.inputs[1]) : undefined;
  if (ctx.node.inputs[1] && !fromInput) ctx.unsupported('reduction axes computed at run time');
  let axes = fromInput ?? ctx.attrs.ints('axes') ?? [];
  if (axes.length === 0) {
    if (ctx.attrs.int('noop_with_empty_axes', 0) === 1) return [];
    axes = Array.from({ length: rank }, (_, i) => i);
  }
  return axes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/** g reshaped to the kept-dims shape of the reduction, ready to broadcast back over x. */
function keptDims(ctx: BackwardContext, g: string, axes: number[]): string {
  return ctx.attrs.int('keepdims', 1) === 1 || axes.length === 0 ? g : ctx.emit.unsqueeze(g, axes);
}

function reduceRule(kind: 'sum' | 'mean'): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [g]) {
      const e = ctx.emit;
      const x = ctx.input(0);
      const axes = reducedAxes(ctx);
      let grad = keptDims(ctx, g!, axes);
      if (kind === 'mean') {
        const dims = ctx.shape(x);
        if (axes.some((a) => ctx.isBatchAxis(x, a))) ctx.unsupported('a mean over the batch axis');
        const count = axes.reduce((n, a) => n * dims[a]!, 1);
        grad = e.mul(grad, e.scalar(1 / count));
      }
      return [e.expandLike(grad, x)];
    },
  };
}

export const reduceRules: RuleTable = {
  ReduceSum: reduceRule('sum'),
  ReduceMean: reduceRule('mean'),
  ReduceMax: {
    // The gradient is shared equally by the elements that attain the maximum.
    differentiable: [0],
    backward(ctx, [g]) {
      const e = ctx.emit;
      const x = ctx.input(0);
      const axes = reducedAxes(ctx);
      const y = keptDims(ctx, ctx.output(0), axes);
      const hit = e.op('Cast', [e.op('Equal', [x, y])], { to: 1 });
      const ties = e.reduceSum(hit, axes, true);
      return [e.mul(hit, e.div(keptDims(ctx, g!, axes), ties))];
    },
  },
};
