import type { Node } from '../../onnx/ir';
import type { OpRule } from '../rule';
import { linearLayer } from './linear-layer';
import { markOf } from './transformer-patterns';
import { biasAddRule, biasedLinearRule, bilinearRule, centringRule, constantDivisorRule, detachedRule, detachOperand, layerNormRule, softmaxRule, unrecognisedRule } from './transformer-rules';

/**
 * How an LRP composite propagates through attention, LayerNorm and GELU:
 * - `attn-lrp` (Achtibat et al. 2024): LayerNorm's std detached (identity rule on the
 *   normalisation, epsilon rule on what stays linear), the softmax rule
 *   R_x = x * (R - s * sum R), the uniform rule on the bilinear products Q K^T and A V (half the
 *   relevance to each operand), the identity rule on GELU.
 * - `cp-lrp` (Ali et al. 2022): LayerNorm's std detached as above, the attention probabilities
 *   detached (A V is linear in V, A gets nothing, so Q and K get nothing), GELU passes relevance.
 */
export type AttentionRules = 'attn-lrp' | 'cp-lrp';

const patterns = 'LayerNorm/RMSNorm written out (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, then Div, or Mul by Reciprocal or by Pow -0.5) and GELU written out (x * (1 + erf(x / sqrt 2)) / 2, or its tanh form)';

/**
 * The rule of a transformer node under `kind`, or undefined where the composite's other rules
 * apply (sums, activations, reshapes). `dense` is the composite's rule for linear layers, which
 * a MatMul gets when its right operand is a weight.
 */
export function transformerRule(kind: AttentionRules, node: Node, epsilon: number, dense: OpRule): OpRule | undefined {
  const mark = markOf(node);
  const role = mark?.role;
  switch (node.opType) {
    case 'LayerNormalization':
      return layerNormRule(epsilon);
    case 'Softmax':
      return kind === 'attn-lrp' ? softmaxRule : detachedRule;
    case 'Div':
      return role === 'norm-std' ? detachOperand(1) : constantDivisorRule;
    case 'Sub':
      return role === 'norm-centre' ? centringRule : undefined;
    case 'Add':
      return role === 'bias-add' ? biasAddRule : undefined;
    case 'Mul':
      if (role === 'gelu-gate-0') return detachOperand(0);
      if (role === 'gelu-gate-1') return detachOperand(1);
      if (role === 'norm-inv-std-0') return detachOperand(0);
      if (role === 'norm-inv-std-1') return detachOperand(1);
      return undefined;
    case 'MatMul':
      if (role === 'attention-0' || role === 'attention-1') {
        if (kind === 'attn-lrp') return bilinearRule([0.5, 0.5], epsilon);
        return bilinearRule(role === 'attention-0' ? [0, 1] : [1, 0], epsilon);
      }
      if (role === 'linear-bias' && mark?.argument) return biasedLinearRule(mark.argument, epsilon);
      return weightOrProduct(kind, epsilon, dense);
    case 'Erf':
    case 'Tanh':
    case 'Sqrt':
    case 'Pow':
    case 'Reciprocal':
      return unrecognisedRule(patterns);
    default:
      return undefined;
  }
}

/**
 * A MatMul that is not attention times values: a linear layer when its right operand is a
 * weight; otherwise a product of two activations (Q K^T), which AttnLRP splits uniformly and
 * CP-LRP never reaches (the softmax after Q K^T is detached), so elsewhere it is an error.
 */
function weightOrProduct(kind: AttentionRules, epsilon: number, dense: OpRule): OpRule {
  const uniform = bilinearRule([0.5, 0.5], epsilon);
  return {
    differentiable: 'all',
    backward(ctx, grads) {
      if (linearLayer(ctx)) return dense.backward(ctx, grads);
      if (kind === 'attn-lrp') return uniform.backward(ctx, grads);
      return ctx.unsupported('CP-LRP detaches the attention probabilities; this product of two activations is not attention times values, and it has no rule for it (AttnLRP, "attn-lrp", splits such products)');
    },
  };
}
