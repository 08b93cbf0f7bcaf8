import { documented, type BackwardContext, type DocumentedRule, type OpRule, type RuleDoc, type RuleFamily } from '../rule';
import { DataType, elementCount } from '../../onnx/ir';
import { floatValues, intValues } from '../../onnx/tensor-values';
import { unbroadcast } from './broadcast';

/** A rule for y = f(x) elementwise, given how to form g * f'(x) from x, y and g. */
export function elementwise(local: (ctx: BackwardContext, g: string, x: string, y: string) => string): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [g]) {
      return [local(ctx, g!, ctx.input(0), ctx.output(0))];
    },
  };
}

/** An elementwise rule with its documentation. */
export function pointwise(local: (ctx: BackwardContext, g: string, x: string, y: string) => string, doc: RuleDoc = {}): DocumentedRule {
  return documented(elementwise(local), doc);
}

/** Gradients only flow between floating types: the gradient is cast back to the input's type. */
const castBack: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    return [ctx.emit.op('CastLike', [g!, ctx.input(0)])];
  },
};

/** The value of a constant holding one number of any numeric type, or undefined. */
function constantNumber(ctx: BackwardContext, name: string): number | undefined {
  const t = ctx.constant(name);
  if (t === undefined || elementCount(t.dims) !== 1) return undefined;
  const floating = t.dataType === DataType.FLOAT || t.dataType === DataType.DOUBLE || t.dataType === DataType.FLOAT16;
  try {
    return floating ? floatValues(t)[0] : intValues(t)[0];
  } catch {
    return undefined; // a type neither reader knows (bfloat16): the general form below
  }
}

/**
 * g * p * x^(p - 1). Exporters spell LayerNorm's variance as Pow(x - mean, 2): its slope is 2x, and
 * Pow(x, 1) is a generic power kernel in onnxruntime (0.6 ms on [1, 197, 768], 25 times in
 * ViT-B/16's gradient), so small integer exponents are written as products.
 */
function powSlope(ctx: BackwardContext, g: string, x: string, p: string): string {
  const e = ctx.emit;
  switch (constantNumber(ctx, p)) {
    case 0:
      return e.mul(g, e.scalar(0));
    case 1:
      return g;
    case 2:
      return e.mul(g, e.add(x, x));
    case 3:
      return e.mul(g, e.mul(e.mul(x, x), e.scalar(3)));
    default: {
      const pMinus1 = e.sub(p, e.op('CastLike', [e.scalar(1), p]));
      return e.mul(g, e.mul(e.op('CastLike', [p, x]), e.op('Pow', [x, pMinus1])));
    }
  }
}

/** Smooth elementwise functions. */
export const unaryRules: RuleFamily = {
  title: 'Elementwise functions',
  summary: 'y = f(x) element by element; the backward multiplies by f\'(x), written with x or y.',
  rules: {
    Identity: pointwise((_c, g) => g),
    // At inference Dropout is the identity (its optional mask output is not differentiable).
    Dropout: pointwise((_c, g) => g, { note: 'the identity at inference (the compiler replaces it by one when its mask is unused)' }),
    Neg: pointwise((c, g) => c.emit.neg(g)),
    Abs: pointwise((c, g, x) => c.emit.mul(g, c.emit.op('Sign', [x])), { note: 'zero gradient at 0 (PyTorch\'s sign convention)' }),
    Exp: pointwise((c, g, _x, y) => c.emit.mul(g, y)),
    Log: pointwise((c, g, x) => c.emit.div(g, x)),
    // d sqrt(x) = 1 / (2 sqrt(x))
    Sqrt: pointwise((c, g, _x, y) => c.emit.div(c.emit.mul(g, c.emit.scalar(0.5)), y)),
    // d (1/x) = -1/x^2 = -y^2
    Reciprocal: pointwise((c, g, _x, y) => c.emit.neg(c.emit.mul(g, c.emit.mul(y, y)))),
    // d erf(x) = 2/sqrt(pi) exp(-x^2)
    Erf: pointwise((c, g, x) => {
      const e = c.emit;
      return e.mul(g, e.mul(e.scalar(2 / Math.sqrt(Math.PI)), e.op('Exp', [e.neg(e.mul(x, x))])));
    }, { note: 'the exact GELU that exporters spell out (x/2 (1 + erf(x/sqrt 2))) is differentiated through it' }),
    Sin: pointwise((c, g, x) => c.emit.mul(g, c.emit.op('Cos', [x]))),
    Cos: pointwise((c, g, x) => c.emit.neg(c.emit.mul(g, c.emit.op('Sin', [x])))),
    // d tan(x) = 1 + tan(x)^2
    Tan: pointwise((c, g, _x, y) => c.emit.mul(g, c.emit.add(c.emit.scalar(1), c.emit.mul(y, y)))),
    // d softplus(x) = sigmoid(x)
    Softplus: pointwise((c, g, x) => c.emit.mul(g, c.emit.op('Sigmoid', [x]))),
    // d softsign(x) = 1 / (1 + |x|)^2
    Softsign: pointwise((c, g, x) => {
      const e = c.emit;
      const d = e.add(e.scalar(1), e.op('Abs', [x]));
      return e.div(g, e.mul(d, d));
    }),
    Pow: documented(
      {
        // Pow(x, p) with p fixed (a constant or a value that does not depend on the input).
        differentiable: [0],
        backward(ctx, [g]) {
          if (ctx.needsGrad(1)) ctx.unsupported('Pow with an exponent that depends on the input');
          const [x, p] = [ctx.input(0), ctx.input(1)];
          // A broadcast exponent makes the output larger than x: sum the gradient back to x's shape.
          return [unbroadcast(ctx, powSlope(ctx, g!, x, p), ctx.output(0), x)];
        },
      },
      { forms: 'exponent of any numeric type, broadcast either way', note: 'the exponent must not depend on the input; a constant exponent 0 to 3 is differentiated with products' },
    ),
    Cast: documented(castBack, { note: 'between floating types; the gradient is cast back' }),
    CastLike: documented(castBack, { note: 'as Cast (the dynamo exporter writes CastLike)' }),
  },
};
