import type { BackwardContext, OpRule } from '../rule';
import { gradientRules } from '../rules';
import { unbroadcast } from '../rules/broadcast';
import { requireLinear, stabilize } from './rules';

/**
 * LRP rules for the parts of a transformer that are not linear layers, sums or activations
 * (Ali et al. 2022, "XAI for Transformers: Better Explanations through Conservative
 * Propagation"; Achtibat et al. 2024, "AttnLRP: Attention-Aware Layer-Wise Relevance Propagation
 * for Transformers"). Each maps the relevance of a node's output to the relevance of its inputs.
 */

const positiveAxis = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

/**
 * LayerNormalization with its standard deviation detached (both papers): the layer becomes the
 * linear map y = (x - mean(x)) / std * scale + bias, and gets the epsilon rule,
 * R_x = x * J^T (R / stab(y)) = x * (g - mean(g)) with g = scale / std * R / stab(y) (the
 * centring matrix is symmetric). Without a bias it conserves: sum R_x = sum R.
 */
export function layerNormRule(epsilon: number): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const x = ctx.input(0);
      const rank = ctx.shape(x).length;
      const from = positiveAxis(ctx.attrs.int('axis', -1), rank);
      const axes = Array.from({ length: rank - from }, (_, i) => from + i);
      const centred = e.sub(x, e.reduce('ReduceMean', x, axes));
      const variance = e.reduce('ReduceMean', e.mul(centred, centred), axes);
      const std = e.op('Sqrt', [e.add(variance, e.scalar(ctx.attrs.float('epsilon', 1e-5)))]);
      const g = e.div(e.mul(e.div(relevance!, stabilize(ctx, ctx.output(0), epsilon)), ctx.input(1)), std);
      return [e.mul(x, e.sub(g, e.reduce('ReduceMean', g, axes)))];
    },
  };
}

/**
 * The centring x - mean(x) of a written-out LayerNorm, whose division by its std is detached: the
 * epsilon rule of the linear map, R_x = x * (q - mean(q)) with q = R / (c +- 1e-12), c = x - mean(x),
 * over the axes the mean reduced (where its dims are 1 and x's are not). Nothing goes to the mean
 * itself, so no relevance is divided by it (a mean near zero would amplify rounding). The relevance
 * reaching c is c times a finite factor (the rules after the detached division made it so), so
 * the division only undoes that product: a stabiliser of the usual 1e-6 would bias every element
 * with |c| below about 1e-2 by more than 1e-4 (measured: relative L2 2e-4 against the reference).
 */
export const centringRule: OpRule = {
  differentiable: [0],
  backward(ctx, [relevance]) {
    const e = ctx.emit;
    const x = ctx.input(0);
    const [xDims, meanDims] = [ctx.shape(x), ctx.shape(ctx.input(1))];
    const axes = xDims.map((d, i) => (meanDims[i] === 1 && d !== 1 ? i : -1)).filter((i) => i >= 0);
    if (meanDims.length !== xDims.length || axes.length === 0) return ctx.unsupported('the mean of this centring is not a kept-dims mean over some axes of its input');
    const q = e.div(relevance!, stabilize(ctx, ctx.output(0), 1e-12));
    return [e.mul(x, e.sub(q, e.reduce('ReduceMean', q, axes))), undefined];
  },
};

/**
 * A MatMul by a weight followed by the Add of a constant bias (nn.Linear on tokens): the epsilon
 * rule with the bias in the denominator, R_x = x * W^T (R / stab(x W + b)), the Add passing the
 * relevance through unchanged (biasAddRule).
 */
export function biasedLinearRule(bias: string, epsilon: number): OpRule {
  return {
    differentiable: [0],
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const layer = requireLinear(ctx);
      const z = e.add(ctx.output(0), bias);
      return [e.mul(layer.input, layer.transpose(e.div(relevance!, stabilize(ctx, z, epsilon)), ctx.input(1)))];
    },
  };
}

/** The bias Add of a biasedLinearRule pair: all relevance to the MatMul's output. */
export const biasAddRule: OpRule = {
  differentiable: 'all',
  backward(ctx, [relevance]) {
    return ctx.node.inputs.map((_, i) => (ctx.needsGrad(i) ? relevance : undefined));
  },
};

/**
 * AttnLRP's softmax rule (Achtibat et al. 2024, Prop. 3.1): the softmax linearised at its input,
 * its bias term absorbing relevance: R_x = x * (R - s * sum_axis R).
 */
export const softmaxRule: OpRule = {
  differentiable: [0],
  backward(ctx, [relevance]) {
    const e = ctx.emit;
    const x = ctx.input(0);
    const s = ctx.output(0);
    const axis = positiveAxis(ctx.attrs.int('axis', -1), ctx.shape(x).length);
    return [e.mul(x, e.sub(relevance!, e.mul(s, e.reduceSum(relevance!, [axis]))))];
  },
};

/** CP-LRP's softmax: the attention probabilities are constants, no relevance reaches the scores. */
export const detachedRule: OpRule = {
  differentiable: [0],
  backward: () => [undefined],
};

/**
 * A product of two activations (MatMul, Mul) shared by the epsilon rule's proportions: operand i
 * gets share_i * x_i * d(out)/d(x_i)^T (R / stab(out)). Shares 1/2 and 1/2 are AttnLRP's uniform
 * rule for Q K^T and A V (by Euler's theorem on a bilinear map the two halves add up to R);
 * shares 0 and 1 treat operand 0 as a constant weight (CP-LRP's detached attention times V).
 */
export function bilinearRule(shares: [number, number], epsilon: number): OpRule {
  return {
    differentiable: 'all',
    backward(ctx, [relevance]) {
      const e = ctx.emit;
      const s = e.div(relevance!, stabilize(ctx, ctx.output(0), epsilon));
      const wanted = (i: number): boolean => shares[i] !== 0 && ctx.needsGrad(i);
      const only: BackwardContext = { ...ctx, needsGrad: wanted };
      const grads = gradientRules[ctx.node.opType]!.backward(only, [s]);
      return [0, 1].map((i) => {
        const g = grads[i];
        if (!g || !wanted(i)) return undefined;
        const r = e.mul(ctx.input(i), g);
        return shares[i] === 1 ? r : e.mul(r, e.scalar(shares[i]!));
      });
    },
  };
}

/**
 * Identity rule on a detached gate: relevance goes to the signal whole, none to the gate
 * (GELU's x * Phi(x) written out: the identity rule of AttnLRP; a norm's division by its std).
 */
export function detachOperand(detached: 0 | 1): OpRule {
  const signal = detached === 0 ? 1 : 0;
  return {
    differentiable: 'all',
    backward(ctx, [relevance]) {
      const grads: Array<string | undefined> = [undefined, undefined];
      if (ctx.needsGrad(signal)) grads[signal] = unbroadcast(ctx, relevance!, ctx.output(0), ctx.input(signal));
      return grads;
    },
  };
}

/** Division by a constant is linear: the relevance passes to the numerator. */
export const constantDivisorRule: OpRule = {
  differentiable: 'all',
  backward(ctx, [relevance]) {
    if (ctx.needsGrad(1)) {
      return ctx.unsupported('LRP divides by a constant or by a normalisation\'s standard deviation (LayerNorm, RMSNorm); this divisor is neither');
    }
    return [unbroadcast(ctx, relevance!, ctx.output(0), ctx.input(0))];
  },
};

/** A nonlinearity met outside the patterns the transformer rules recognise: an error naming it, not a silent gradient. */
export function unrecognisedRule(what: string): OpRule {
  return {
    differentiable: 'all',
    backward(ctx) {
      return ctx.unsupported(`the transformer LRP rules recognise ${what}; this node is not part of such a pattern, and LRP has no rule for it alone`);
    },
  };
}
