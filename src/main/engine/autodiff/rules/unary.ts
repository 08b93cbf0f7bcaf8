import type { BackwardContext, OpRule, RuleTable } from '../rule';

/** A rule for y = f(x) elementwise, given how to form g * f'(x) from x, y and g. */
export function elementwise(local: (ctx: BackwardContext, g: string, x: string, y: string) => string): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [g]) {
      return [local(ctx, g!, ctx.input(0), ctx.output(0))];
    },
  };
}

/** Smooth elementwise functions. */
export const unaryRules: RuleTable = {
  Identity: elementwise((_c, g) => g),
  // At inference Dropout is the identity (its optional mask output is not differentiable).
  Dropout: elementwise((_c, g) => g),
  Neg: elementwise((c, g) => c.emit.neg(g)),
  Abs: elementwise((c, g, x) => c.emit.mul(g, c.emit.op('Sign', [x]))),
  Exp: elementwise((c, g, _x, y) => c.emit.mul(g, y)),
  Log: elementwise((c, g, x) => c.emit.div(g, x)),
  // d sqrt(x) = 1 / (2 sqrt(x))
  Sqrt: elementwise((c, g, _x, y) => c.emit.div(c.emit.mul(g, c.emit.scalar(0.5)), y)),
  Reciprocal: elementwise((c, g, _x, y) => c.emit.neg(c.emit.mul(g, c.emit.mul(y, y)))),
  // d erf(x) = 2/sqrt(pi) exp(-x^2)
  Erf: elementwise((c, g, x) => {
    const e = c.emit;
    return e.mul(g, e.mul(e.scalar(2 / Math.sqrt(Math.PI)), e.op('Exp', [e.neg(e.mul(x, x))])));
  }),
  Sin: elementwise((c, g, x) => c.emit.mul(g, c.emit.op('Cos', [x]))),
  Cos: elementwise((c, g, x) => c.emit.neg(c.emit.mul(g, c.emit.op('Sin', [x])))),
  Pow: {
    // Pow(x, p) with p fixed (a constant or a value that does not depend on the input).
    differentiable: [0],
    backward(ctx, [g]) {
      if (ctx.needsGrad(1)) ctx.unsupported('Pow with an exponent that depends on the input');
      const e = ctx.emit;
      const [x, p] = [ctx.input(0), ctx.input(1)];
      const pMinus1 = e.sub(p, e.op('CastLike', [e.scalar(1), p]));
      const castP = e.op('CastLike', [p, x]);
      return [e.mul(g!, e.mul(castP, e.op('Pow', [x, pMinus1])))];
    },
  },
  Cast: {
    differentiable: [0],
    backward(ctx, [g]) {
      // Gradients only flow between floating types; cast back to the input's type.
      return [ctx.emit.op('CastLike', [g!, ctx.input(0)])];
    },
  },
  Softplus: elementwise((c, g, x) => c.emit.mul(g, c.emit.op('Sigmoid', [x]))),
};
