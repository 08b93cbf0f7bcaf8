import { documented, type OpRule, type RuleFamily } from '../rule';
import { unbroadcast } from './broadcast';

const add: OpRule = {
  differentiable: 'all',
  backward(ctx, [g]) {
    return [0, 1].map((i) => (ctx.needsGrad(i) ? unbroadcast(ctx, g!, ctx.output(0), ctx.input(i)) : undefined));
  },
};

const sub: OpRule = {
  differentiable: 'all',
  backward(ctx, [g]) {
    return [
      ctx.needsGrad(0) ? unbroadcast(ctx, g!, ctx.output(0), ctx.input(0)) : undefined,
      ctx.needsGrad(1) ? unbroadcast(ctx, ctx.emit.neg(g!), ctx.output(0), ctx.input(1)) : undefined,
    ];
  },
};

const mul: OpRule = {
  differentiable: 'all',
  backward(ctx, [g]) {
    const { emit } = ctx;
    return [
      ctx.needsGrad(0) ? unbroadcast(ctx, emit.mul(g!, ctx.input(1)), ctx.output(0), ctx.input(0)) : undefined,
      ctx.needsGrad(1) ? unbroadcast(ctx, emit.mul(g!, ctx.input(0)), ctx.output(0), ctx.input(1)) : undefined,
    ];
  },
};

const div: OpRule = {
  differentiable: 'all',
  backward(ctx, [g]) {
    const { emit } = ctx;
    const b = ctx.input(1);
    return [
      ctx.needsGrad(0) ? unbroadcast(ctx, emit.div(g!, b), ctx.output(0), ctx.input(0)) : undefined,
      // d(a/b)/db = -(a/b)/b = -y/b
      ctx.needsGrad(1) ? unbroadcast(ctx, emit.neg(emit.div(emit.mul(g!, ctx.output(0)), b)), ctx.output(0), b) : undefined,
    ];
  },
};

const where: OpRule = {
  // Where(condition, a, b): the condition is not differentiable.
  differentiable: [1, 2],
  backward(ctx, [g]) {
    const { emit } = ctx;
    const c = ctx.input(0);
    const zero = emit.scalar(0);
    return [
      undefined,
      ctx.needsGrad(1) ? unbroadcast(ctx, emit.where(c, g!, zero), ctx.output(0), ctx.input(1)) : undefined,
      ctx.needsGrad(2) ? unbroadcast(ctx, emit.where(c, zero, g!), ctx.output(0), ctx.input(2)) : undefined,
    ];
  },
};

/** Sum (scale 1) or Mean (scale 1/n) of any number of operands. */
function variadic(scale: 0 | 1): OpRule {
  return {
    differentiable: 'all',
    backward(ctx, [g]) {
      const n = ctx.node.inputs.length;
      const share = scale === 1 ? g! : ctx.emit.mul(g!, ctx.emit.scalar(1 / n));
      return ctx.node.inputs.map((name, i) => (ctx.needsGrad(i) ? unbroadcast(ctx, share, ctx.output(0), name) : undefined));
    },
  };
}

/**
 * Elementwise Max/Min: the gradient goes to the operand that won; on a tie, to the first one (as
 * a sequence of binary max operations would).
 */
function extremum(): OpRule {
  return {
    differentiable: 'all',
    backward(ctx, [g]) {
      const { emit } = ctx;
      const y = ctx.output(0);
      let claimed: string | undefined;
      return ctx.node.inputs.map((name, i) => {
        const wins = emit.op('Equal', [name, y]);
        const first = claimed ? emit.op('And', [wins, emit.op('Not', [claimed])]) : wins;
        claimed = claimed ? emit.op('Or', [claimed, wins]) : wins;
        return ctx.needsGrad(i) ? unbroadcast(ctx, emit.mask(first, g!), y, name) : undefined;
      });
    },
  };
}

/** + - * / and their broadcasting: each operand gets its share, summed back to its own shape. */
export const arithmeticRules: RuleFamily = {
  title: 'Arithmetic',
  summary: "Any operand may depend on the input; broadcasting is summed back to each operand's shape.",
  rules: {
    Add: documented(add),
    Sub: documented(sub),
    Mul: documented(mul),
    Div: documented(div),
    Sum: documented(variadic(1), { note: 'any number of operands' }),
    Mean: documented(variadic(0), { note: 'any number of operands; each gets 1/n of the gradient' }),
    Max: documented(extremum(), { note: 'any number of operands; the gradient goes to the operand that won, on a tie to the first' }),
    Min: documented(extremum(), { note: 'as Max' }),
    Where: documented(where, { note: 'the gradient goes to the branch each element was taken from (both may depend on the input); the condition is not differentiated' }),
  },
};
