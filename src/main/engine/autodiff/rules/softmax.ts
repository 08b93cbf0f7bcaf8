import { documented, type RuleFamily } from '../rule';

function axisOf(rank: number, axis: number): number {
  return axis < 0 ? axis + rank : axis;
}

const forms = 'axis of opset 13+; before 13 the flattening semantics are rewritten to the opset-13 form first';

/** Softmax and LogSoftmax over one axis (opset 13 meaning; older graphs are upgraded first). */
export const softmaxRules: RuleFamily = {
  title: 'Softmax',
  summary: 'Over one axis. A Softmax head is skipped by the default objective (logits); the "probability" objective differentiates it.',
  rules: {
    Softmax: documented(
      {
        differentiable: [0],
        backward(ctx, [g]) {
          // dx = y * (g - sum(g * y))
          const e = ctx.emit;
          const y = ctx.output(0);
          const axis = axisOf(ctx.shape(y).length, ctx.attrs.int('axis', -1));
          return [e.mul(y, e.sub(g!, e.reduceSum(e.mul(g!, y), [axis])))];
        },
      },
      { forms },
    ),
    LogSoftmax: documented(
      {
        differentiable: [0],
        backward(ctx, [g]) {
          // dx = g - exp(y) * sum(g)
          const e = ctx.emit;
          const y = ctx.output(0);
          const axis = axisOf(ctx.shape(y).length, ctx.attrs.int('axis', -1));
          return [e.sub(g!, e.mul(e.op('Exp', [y]), e.reduceSum(g!, [axis])))];
        },
      },
      { forms },
    ),
  },
};
