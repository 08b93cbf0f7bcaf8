import type { BackwardContext, OpRule, RuleTable } from '../rule';
import { overrideRules, type RuleSet } from '../rule-set';
import { decomposeNormalization } from '../canonizers/decompose-normalization';
import { gradientRules } from '../rules';
import { scatterToArgmax } from '../rules/pooling';
import { unbroadcast } from '../rules/broadcast';

/** Captum's threshold below which a difference counts as zero and the gradient is used instead. */
const epsilon = 1e-10;

/**
 * The rescale rule (Shrikumar et al. 2017) for an elementwise nonlinearity y = f(x): the multiplier
 * is (f(x) - f(x')) / (x - x'), and the plain derivative where x and x' (nearly) coincide.
 */
function rescale(op: string): OpRule {
  const plain = gradientRules[op]!;
  return {
    differentiable: [0],
    backward(ctx, grads) {
      const e = ctx.emit;
      const [x, y] = [ctx.input(0), ctx.output(0)];
      const dx = e.sub(x, ctx.reference(x));
      const dy = e.sub(y, ctx.reference(y));
      const g = grads[0]!;
      const gradient = plain.backward(ctx, grads)[0]!;
      const small = e.op('Less', [e.op('Abs', [dx]), e.scalar(epsilon)]);
      // Where dx is small the ratio is not used; divide by a safe 1 there so no NaN/Inf appears.
      const ratio = e.div(dy, e.where(small, e.scalar(1), dx));
      return [e.where(small, gradient, e.mul(g, ratio))];
    },
  };
}

/**
 * Max pooling as Captum's DeepLift treats it: with m = max(y, y'), the part m - y' of the output's
 * change goes to the input's argmax, the part y - m to the reference's argmax, and each is divided
 * by the input's change there, so the contributions add up to y - y' exactly.
 */
const maxPool: OpRule = {
  differentiable: [0],
  backward(ctx, grads) {
    const e = ctx.emit;
    const [x, y] = [ctx.input(0), ctx.output(0)];
    const [xRef, yRef] = [ctx.reference(x), ctx.reference(y)];
    const g = grads[0]!;
    const dx = e.sub(x, xRef);
    const gradient = gradientRules['MaxPool']!.backward(ctx, grads)[0]!;
    const indices = ctx.node.outputs[1]!; // set by the gradient rule just above
    const attributes = Object.fromEntries(
      ctx.node.attributes.filter((a) => a.name !== 'storage_order').map((a) => [a.name, a.ints ?? a.i ?? (a.s ? new TextDecoder().decode(a.s) : 0)]),
    ) as Record<string, number | number[] | string>;
    const [, referenceIndices] = e.node('MaxPool', [xRef], attributes, 2);
    const top = e.op('Max', [y, yRef]);
    const spread = e.add(scatterToArgmax(ctx, e.mul(g, e.sub(top, yRef)), indices), scatterToArgmax(ctx, e.mul(g, e.sub(y, top)), referenceIndices!));
    const small = e.op('Less', [e.op('Abs', [dx]), e.scalar(epsilon)]);
    return [e.where(small, gradient, e.div(spread, e.where(small, e.scalar(1), dx)))];
  },
};

/**
 * Elementwise nonlinearities that get the rescale rule: the activations Captum rescales, and (a
 * Lumen extension) every other nonlinear elementwise function, since the rule conserves exactly.
 */
export const rescaledOperators = [
  'Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Clip', 'Gelu', 'Softplus',
  'Abs', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Erf', 'Sin', 'Cos', 'Pow',
];

/** (t + t') / 2 for a tensor, or the tensor itself when it is a constant (its reference is itself). */
function midpoint(ctx: BackwardContext, name: string): string {
  const ref = ctx.reference(name);
  return ref === name ? name : ctx.emit.mul(ctx.emit.add(name, ref), ctx.emit.scalar(0.5));
}

/**
 * Products split their change exactly (the Shapley split of a bilinear map):
 * ab - a'b' = (a - a')(b + b')/2 + (a + a')/2 (b - b'). Captum uses the plain gradient here,
 * which breaks summation-to-delta in squeeze-excitation and SiLU networks; Lumen keeps it exact.
 */
const product: OpRule = {
  differentiable: 'all',
  backward(ctx, [g]) {
    const e = ctx.emit;
    const [a, b] = [ctx.input(0), ctx.input(1)];
    return [
      ctx.needsGrad(0) ? unbroadcast(ctx, e.mul(g!, midpoint(ctx, b)), ctx.output(0), a) : undefined,
      ctx.needsGrad(1) ? unbroadcast(ctx, e.mul(g!, midpoint(ctx, a)), ctx.output(0), b) : undefined,
    ];
  },
};

/** a/b - a'/b' = (a - a')(1/b + 1/b')/2 - (a + a')/2 (b - b')/(b b'): exact, no division by a difference. */
const quotient: OpRule = {
  differentiable: 'all',
  backward(ctx, [g]) {
    const e = ctx.emit;
    const [a, b] = [ctx.input(0), ctx.input(1)];
    const [aRef, bRef] = [ctx.reference(a), ctx.reference(b)];
    const half = e.scalar(0.5);
    const ga = e.mul(g!, e.mul(half, e.add(e.div(e.scalar(1), b), e.div(e.scalar(1), bRef))));
    const gb = e.neg(e.mul(g!, e.div(e.mul(half, e.add(a, aRef)), e.mul(b, bRef))));
    return [ctx.needsGrad(0) ? unbroadcast(ctx, ga, ctx.output(0), a) : undefined, ctx.needsGrad(1) ? unbroadcast(ctx, gb, ctx.output(0), b) : undefined];
  },
};

/** A matrix product of two activations (attention) splits the same way as an elementwise product. */
const matmul: OpRule = {
  differentiable: 'all',
  backward(ctx, grads) {
    const names = [ctx.input(0), ctx.input(1)];
    const mids = names.map((n) => midpoint(ctx, n));
    const original = new Map(mids.map((m, i) => [m, names[i]!]));
    // The plain MatMul backward with each operand replaced by its midpoint (shapes of the originals).
    const view: BackwardContext = {
      ...ctx,
      input: (i) => mids[i] ?? ctx.input(i),
      shape: (n) => ctx.shape(original.get(n) ?? n),
      isBatchAxis: (n, axis) => ctx.isBatchAxis(original.get(n) ?? n, axis),
    };
    return gradientRules['MatMul']!.backward(view, grads);
  },
};

/**
 * Softmax as exp, sum and quotient with exact rules for each: e = exp(x - c) with the same shift c
 * for input and reference (the larger of their maxima, so nothing overflows), the rescale rule for
 * exp, the exact split for e / sum(e). Summation-to-delta then holds through attention too.
 */
const softmax: OpRule = {
  differentiable: [0],
  backward(ctx, [g]) {
    const e = ctx.emit;
    const x = ctx.input(0);
    const xRef = ctx.reference(x);
    const rank = ctx.shape(x).length;
    let axis = ctx.attrs.int('axis', -1);
    if (axis < 0) axis += rank;
    const shift = e.op('Max', [e.reduce('ReduceMax', x, [axis]), e.reduce('ReduceMax', xRef, [axis])]);
    const ex = e.op('Exp', [e.sub(x, shift)]);
    const exRef = e.op('Exp', [e.sub(xRef, shift)]);
    const total = e.reduceSum(ex, [axis]);
    const totalRef = e.reduceSum(exRef, [axis]);
    const half = e.scalar(0.5);
    // d numerator: (1/S + 1/S')/2; d sum: -(e + e')/(2 S S'), summed back over the axis.
    const throughNumerator = e.mul(g!, e.mul(half, e.add(e.div(e.scalar(1), total), e.div(e.scalar(1), totalRef))));
    const throughSum = e.reduceSum(e.neg(e.div(e.mul(g!, e.mul(half, e.add(ex, exRef))), e.mul(total, totalRef))), [axis]);
    const gExp = e.add(throughNumerator, throughSum);
    const dx = e.sub(x, xRef);
    const small = e.op('Less', [e.op('Abs', [dx]), e.scalar(epsilon)]);
    const multiplier = e.where(small, ex, e.div(e.sub(ex, exRef), e.where(small, e.scalar(1), dx)));
    return [e.mul(gExp, multiplier)];
  },
};

/**
 * How DeepLIFT crosses a MaxPool. "rescale" (Lumen's default): the multiplier rule above, as
 * Captum's code writes it, so attributions add up to f(x) - f(x'). "gradient": the plain gradient
 * (routed to the input's argmax). That is what Captum actually computes when a ReLU feeds the
 * MaxPool (its hooks then leave the MaxPool alone) and the default of DeepLIFT's reference
 * implementation (MaxPoolDeepLiftMode.gradient); attributions then need not add up.
 */
export type MaxPoolRule = 'rescale' | 'gradient';

const overrides: RuleTable = Object.fromEntries(rescaledOperators.map((op) => [op, rescale(op)]));
overrides['Softmax'] = softmax;
overrides['MaxPool'] = maxPool;
overrides['Mul'] = product;
overrides['Div'] = quotient;
overrides['MatMul'] = matmul;

/**
 * DeepLIFT with the rescale rule. The compiled graph runs the forward pass on the input and on the
 * reference, so multipliers are exact differences; linear layers keep their gradient.
 */
export const deepLiftRuleSet: RuleSet = overrideRules('deeplift-rescale', overrides, { needsReference: true, canonize: decomposeNormalization });

/** The same with MaxPool as a plain gradient (Captum's observed output, DeepLIFT's reference default). */
const deepLiftMaxPoolGradientRuleSet: RuleSet = overrideRules(
  'deeplift-rescale-maxpool-gradient',
  { ...overrides, MaxPool: gradientRules['MaxPool']! },
  { needsReference: true, canonize: decomposeNormalization },
);

export function deepLiftRuleSetFor(maxPool: MaxPoolRule): RuleSet {
  return maxPool === 'gradient' ? deepLiftMaxPoolGradientRuleSet : deepLiftRuleSet;
}
