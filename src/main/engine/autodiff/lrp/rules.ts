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

function requireLinear(ctx: BackwardContext): LinearLayer {
  const layer = linearLayer(ctx);
  if (!layer) ctx.unsupported('LRP needs constant weights for this layer');
  return layer;
}

/** A weight modified elementwise at compile time (positive part, ones, squares). */
function modified(ctx: BackwardContext, layer: LinearLayer, f: (w: number) => number): string {
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
 * Alpha-beta rule: positive and negative contributions are propagated separately, weighted by
 * alpha and beta (alpha - beta = 1). With alpha 1, beta 0 this is the z+ rule. Inputs may be
 * signed: positive inputs pair with positive weights and negative inputs with negative weights.
 */
export function alphaBetaRule(alpha: number, beta: number, epsilon = 1e-6): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const layer = requireLinear(ctx);
      const x = layer.input;
      const xPos = e.op('Relu', [x]);
      const xNeg = e.neg(e.op('Relu', [e.neg(x)]));
      const wPos = modified(ctx, layer, (w) => Math.max(w, 0));
      const wNeg = modified(ctx, layer, (w) => Math.min(w, 0));
      // Relevance shares of the (a, b) and (c, d) pairings: x_a * L_b^T(R / stab(L_a(x_a) + L_d(x_c)))...
      const share = (pairs: Array<[string, string]>): string => {
        const z = e.sum(pairs.map(([xi, wi]) => layer.forward(xi, wi)));
        const s = e.div(relevance!, stabilize(ctx, z, epsilon));
        return e.sum(pairs.map(([xi, wi]) => e.mul(xi, layer.transpose(s, wi))));
      };
      const positive = share([
        [xPos, wPos],
        [xNeg, wNeg],
      ]);
      if (beta === 0) return [alpha === 1 ? positive : e.mul(positive, e.scalar(alpha))];
      const negative = share([
        [xPos, wNeg],
        [xNeg, wPos],
      ]);
      return [e.sub(e.mul(positive, e.scalar(alpha)), e.mul(negative, e.scalar(beta)))];
    },
  };
}

/** Redistributes relevance over each output's receptive field with modified weights and unit inputs. */
function uniformInputRule(transform: (w: number) => number, epsilon: number): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const layer = requireLinear(ctx);
      const w = modified(ctx, layer, transform);
      const ones = e.op('ConstantOfShape', [e.shape(layer.input)], { value: { floats: [1] } });
      const s = e.div(relevance!, stabilize(ctx, layer.forward(ones, w), epsilon));
      return [layer.transpose(s, w)];
    },
  };
}

/** Flat rule: all weights one, all inputs one (uniform over the receptive field). */
export const flatRule = (epsilon = 1e-6): OpRule => uniformInputRule(() => 1, epsilon);

/** w-square rule: squared weights, unit inputs. */
export const wSquareRule = (epsilon = 1e-6): OpRule => uniformInputRule((w) => w * w, epsilon);

/** Activations and reshapes pass relevance through unchanged. */
export const passRule: OpRule = {
  differentiable: [0],
  backward: (_ctx, [relevance]) => [relevance],
};

/**
 * Averaging (AveragePool, GlobalAveragePool, ReduceMean), treated as a linear layer with the
 * epsilon rule: R_in = x * pool^T(R / stab(pool(x))).
 */
export function averagePoolRule(op: 'AveragePool' | 'GlobalAveragePool' | 'ReduceMean', epsilon: number): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const s = e.div(relevance!, stabilize(ctx, ctx.output(0), epsilon));
      return [e.mul(ctx.input(0), gradientRules[op]!.backward(ctx, [s])[0]!)];
    },
  };
}

/** Sums (residual connections): each operand gets relevance in proportion to its value. */
export function sumRule(epsilon: number): OpRule {
  return {
    differentiable: 'all',
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const s = e.div(relevance!, stabilize(ctx, ctx.output(0), epsilon));
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
