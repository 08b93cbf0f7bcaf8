import { documented, type BackwardContext, type DocumentedRule, type RuleFamily } from '../rule';

/**
 * The reduced axes of a Reduce* node, sorted and non-negative: the axes input (ReduceSum from
 * opset 13, the others from 18) or attribute; none given means all, unless noop_with_empty_axes
 * makes the node an identity (then []).
 */
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

/** A tensor shaped like the reduction's output, reshaped to keep the reduced axes (size 1). */
function keptDims(ctx: BackwardContext, t: string, axes: number[]): string {
  return ctx.attrs.int('keepdims', 1) === 1 || axes.length === 0 ? t : ctx.emit.unsqueeze(t, axes);
}

/**
 * A reduction whose backward is g (kept dims, broadcast back over x) times a local factor
 * d y / d x computed from x and y (kept dims). With noop_with_empty_axes and no axes nothing is
 * reduced but the elementwise part still applies (ReduceL2 is |x|, ReduceSumSquare x²): the same
 * local factor, with no axes.
 */
function reduction(axesInputFrom: 13 | 18, local: (ctx: BackwardContext, g: string, x: string, y: string, axes: number[]) => string, note?: string): DocumentedRule {
  return documented(
    {
      differentiable: [0],
      backward(ctx, [g]) {
        const x = ctx.input(0);
        const axes = reducedAxes(ctx);
        const grad = local(ctx, keptDims(ctx, g!, axes), x, keptDims(ctx, ctx.output(0), axes), axes);
        return [ctx.emit.expandLike(grad, x)];
      },
    },
    {
      forms: `axes as an attribute (before opset ${axesInputFrom}) or a constant input (${axesInputFrom}+), keepdims, noop_with_empty_axes (${axesInputFrom}+: the elementwise part alone)`,
      ...(note ? { note } : {}),
    },
  );
}

/** The gradient shared equally by the elements that attain the extremum (y). */
function extremum(ctx: BackwardContext, g: string, x: string, y: string, axes: number[]): string {
  if (axes.length === 0) return g;
  const e = ctx.emit;
  const hit = e.op('CastLike', [e.op('Equal', [x, y]), x]);
  const ties = e.reduceSum(hit, axes, true);
  return e.mul(hit, e.div(g, ties));
}

export const reduceRules: RuleFamily = {
  title: 'Reductions',
  summary: 'The gradient of the reduced value is spread back over the reduced axes.',
  rules: {
    ReduceSum: reduction(13, (_c, g) => g),
    ReduceMean: reduction(18, (ctx, g, x, _y, axes) => {
      const dims = ctx.shape(x);
      if (axes.some((a) => ctx.isBatchAxis(x, a))) ctx.unsupported('a mean over the batch axis');
      return ctx.emit.mul(g, ctx.emit.scalar(1 / axes.reduce((n, a) => n * dims[a]!, 1)));
    }),
    ReduceMax: reduction(18, extremum, 'the gradient is shared equally among tied maxima'),
    ReduceMin: reduction(18, extremum, 'the gradient is shared equally among tied minima'),
    // d sum|x| = sign(x)
    ReduceL1: reduction(18, (c, g, x) => c.emit.mul(g, c.emit.op('Sign', [x])), 'zero gradient where x = 0'),
    // d sqrt(sum x^2) = x / y; PyTorch's norm has gradient 0 where y = 0, so does Lumen.
    ReduceL2: reduction(18, (c, g, x, y) => {
      const e = c.emit;
      const zero = e.op('Equal', [y, e.op('CastLike', [e.scalar(0), y])]);
      return e.where(zero, e.scalar(0), e.mul(g, e.div(x, e.where(zero, e.scalar(1), y))));
    }, 'zero gradient where the norm is 0 (as torch.linalg.vector_norm)'),
    ReduceSumSquare: reduction(18, (c, g, x) => c.emit.mul(g, c.emit.mul(x, c.emit.scalar(2)))),
    // d log sum exp(x) = exp(x - y)
    ReduceLogSumExp: reduction(18, (c, g, x, y) => c.emit.mul(g, c.emit.op('Exp', [c.emit.sub(x, y)]))),
  },
};
