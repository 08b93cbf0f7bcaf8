import type { BackwardContext, OpRule } from '../rule';
import { gradientRules } from '../rules';
import { unbroadcast } from '../rules/broadcast';
import { linearLayer, type LinearLayer } from './linear-layer';

/**
 * Layer-wise relevance propagation rules (Bach et al. 2015; Montavon et al. 2019), written as
 * modified backward passes the way Zennit does: the "gradient" that flows is the relevance, and a
 * rule maps the relevance of a layer's output to the relevance of its input.
 */

/** z + eps * sign(z), with sign(0) = +1, so no division by zero. */
export function stabilize(ctx: BackwardContext, z: string, epsilon: number): string {
  const e = ctx.emit;
  return e.where(e.op('GreaterOrEqual', [z, e.scalar(0)]), e.add(z, e.scalar(epsilon)), e.sub(z, e.scalar(epsilon)));
}

export function requireLinear(ctx: BackwardContext): LinearLayer {
  const layer = linearLayer(ctx);
  if (!layer) ctx.unsupported('LRP needs constant weights for this layer');
  return layer;
}

/** An input split by sign, [max(x, 0), min(x, 0)], for the rules that treat the two apart. */
export function signParts(ctx: BackwardContext, x: string): [string, string] {
  const e = ctx.emit;
  return [e.op('Relu', [x]), e.neg(e.op('Relu', [e.neg(x)]))];
}

/** A weight modified elementwise at compile time (positive part, ones, squares). */
export function modified(ctx: BackwardContext, layer: LinearLayer, f: (w: number) => number): string {
  return ctx.emit.floats(layer.weight.map(f), layer.weightDims);
}

/** R_in = x * L^T(R / stab(L(x) + b)): the epsilon rule. */
export function epsilonRule(epsilon: number): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const layer = requireLinear(ctx);
      const s = e.div(relevance!, stabilize(ctx, ctx.output(0), epsilon));
      return [e.mul(layer.input, layer.transpose(s, ctx.input(1)))];
    },
  };
}

/**
 * Relevance through the layer applied to several (input, weight) pairs at once, the bias (if any)
 * with the first: x_a * L_a^T(R / stab(sum_k L_k(x_k) + b)) + x_c * L_c^T(...) + ... (Zennit's
 * BasicHook with several input and parameter modifiers and one shared denominator).
 */
export function redistribute(ctx: BackwardContext, layer: LinearLayer, relevance: string, pairs: Array<[string, string]>, bias: string | undefined, epsilon: number): string {
  const e = ctx.emit;
  const z = e.sum(pairs.map(([xi, wi], k) => layer.forward(xi, wi, k === 0 ? bias : undefined)));
  const s = e.div(relevance, stabilize(ctx, z, epsilon));
  return e.sum(pairs.map(([xi, wi]) => e.mul(xi, layer.transpose(s, wi))));
}

/** Whether z+ and alpha-beta count the layer's bias (Zennit's default) or drop it (`zero_params='bias'`). */
export type BiasUse = 'keep' | 'ignore';

/** The layer's bias modified elementwise (its positive part, its square...), or none. */
export function modifiedBias(ctx: BackwardContext, layer: LinearLayer, f: (b: number) => number): string | undefined {
  if (layer.bias === undefined) return undefined;
  if (layer.bias === 'unknown') ctx.unsupported('this LRP rule needs a constant bias');
  return ctx.emit.floats(layer.bias.values.map(f), layer.bias.dims);
}

/**
 * Alpha-beta rule (Bach et al. 2015, in Zennit's form): positive and negative contributions are
 * propagated separately, weighted by alpha and beta (alpha - beta = 1); alpha 1, beta 0 is z+.
 * Inputs may be signed: positive inputs pair with positive weights and negative inputs with
 * negative weights. With `bias` "keep" the positive part of the bias joins the positive
 * denominator and its negative part the negative one, as Zennit's ZPlus() and AlphaBeta() do;
 * "ignore" drops it (ZPlus(zero_params='bias')).
 */
export function alphaBetaRule(alpha: number, beta: number, bias: BiasUse = 'keep', epsilon = 1e-6): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const layer = requireLinear(ctx);
      const x = layer.input;
      const [xPos, xNeg] = signParts(ctx, x);
      const wPos = modified(ctx, layer, (w) => Math.max(w, 0));
      const wNeg = modified(ctx, layer, (w) => Math.min(w, 0));
      const biasPart = (f: (b: number) => number): string | undefined => (bias === 'keep' ? modifiedBias(ctx, layer, f) : undefined);
      // Positive inputs pair with positive weights and negative with negative (the positive share), and crosswise.
      const positive = redistribute(ctx, layer, relevance!, [[xPos, wPos], [xNeg, wNeg]], biasPart((b) => Math.max(b, 0)), epsilon);
      if (beta === 0) return [alpha === 1 ? positive : e.mul(positive, e.scalar(alpha))];
      const negative = redistribute(ctx, layer, relevance!, [[xPos, wNeg], [xNeg, wPos]], biasPart((b) => Math.min(b, 0)), epsilon);
      return [e.sub(e.mul(positive, e.scalar(alpha)), e.mul(negative, e.scalar(beta)))];
    },
  };
}

/** Redistributes relevance over each output's receptive field with modified weights (and bias) and unit inputs. */
function uniformInputRule(transform: (w: number) => number, withBias: boolean, epsilon: number): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const layer = requireLinear(ctx);
      const w = modified(ctx, layer, transform);
      const b = withBias ? modifiedBias(ctx, layer, transform) : undefined;
      const ones = e.op('ConstantOfShape', [e.shape(layer.input)], { value: { floats: [1] } });
      const s = e.div(relevance!, stabilize(ctx, layer.forward(ones, w, b), epsilon));
      return [layer.transpose(s, w)];
    },
  };
}

/** Flat rule: all weights one, all inputs one, no bias (uniform over the receptive field; Zennit's Flat). */
export const flatRule = (epsilon = 1e-6): OpRule => uniformInputRule(() => 1, false, epsilon);

/** w-square rule: squared weights and unit inputs; the bias is squared too, as Zennit's WSquare squares every parameter. */
export const wSquareRule = (epsilon = 1e-6): OpRule => uniformInputRule((w) => w * w, true, epsilon);

/** Activations and reshapes pass relevance through unchanged. */
export const passRule: OpRule = {
  differentiable: [0],
  backward: (_ctx, [relevance]) => [relevance],
};

/** Zennit's Norm rule stabilises with its default epsilon, whatever the composite's epsilon. */
export const normEpsilon = 1e-6;

/**
 * Norm rule (Zennit's Norm) for sums and averages (Add, Sum, Sub, AveragePool,
 * GlobalAveragePool, ReduceMean): each input gets relevance in proportion to its contribution,
 * R_i = x_i * d out/d x_i * R / stab(out), with a fixed stabiliser of 1e-6. On a residual
 * addition both branches share the relevance by their values; on a pool each position by its
 * share of the mean.
 */
export function normRule(differentiable: number[] | 'all'): OpRule {
  return {
    differentiable,
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const s = e.div(relevance!, stabilize(ctx, ctx.output(0), normEpsilon));
      const plain = gradientRules[ctx.node.opType]!.backward(ctx, [s]);
      return ctx.node.inputs.map((name, i) => (ctx.needsGrad(i) && plain[i] ? e.mul(name, plain[i]!) : undefined));
    },
  };
}

const gates = new Set(['Sigmoid', 'HardSigmoid', 'Softmax']);

/**
 * Products (squeeze-excitation, SiLU, gated units): the signal takes all the relevance and the
 * gate (a Sigmoid/HardSigmoid output, or a constant) none, as in LRP for gated networks
 * (Arras et al. 2017). A product of two non-gate signals splits relevance equally.
 */
export const productRule: OpRule = {
  differentiable: 'all',
  backward(ctx, [relevance]) {
    const producerOp = (i: number): string | undefined => ctx.producerOp(ctx.input(i));
    const isGate = (i: number): boolean => !ctx.needsGrad(i) || gates.has(producerOp(i) ?? '');
    const [g0, g1] = [isGate(0), isGate(1)];
    const to = (i: number, r: string): string => unbroadcast(ctx, r, ctx.output(0), ctx.input(i));
    if (g0 !== g1) return [g1 ? to(0, relevance!) : undefined, g0 ? to(1, relevance!) : undefined];
    const half = ctx.emit.mul(relevance!, ctx.emit.scalar(0.5));
    return [ctx.needsGrad(0) ? to(0, half) : undefined, ctx.needsGrad(1) ? to(1, half) : undefined];
  },
};
