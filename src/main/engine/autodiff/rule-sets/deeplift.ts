import type { OpRule, RuleTable } from '../rule';
import { overrideRules, type RuleSet } from '../rule-set';
import { gradientRules } from '../rules';

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
 * Max pooling as Captum's DeepLift treats it: the difference of outputs goes to the input's
 * argmax positions and is divided by the input's difference there.
 */
const maxPool: OpRule = {
  differentiable: [0],
  backward(ctx, grads) {
    const e = ctx.emit;
    const [x, y] = [ctx.input(0), ctx.output(0)];
    const dx = e.sub(x, ctx.reference(x));
    const dy = e.sub(y, ctx.reference(y));
    const gradient = gradientRules['MaxPool']!.backward(ctx, grads)[0]!;
    // Scatter g * dy to the argmax positions with the same machinery (a second call reuses indices).
    const spread = gradientRules['MaxPool']!.backward(ctx, [e.mul(grads[0]!, dy)])[0]!;
    const small = e.op('Less', [e.op('Abs', [dx]), e.scalar(epsilon)]);
    return [e.where(small, gradient, e.div(spread, e.where(small, e.scalar(1), dx)))];
  },
};

/** Elementwise activations that get the rescale rule. */
export const rescaledActivations = ['Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Clip', 'Gelu', 'Softplus'];

const overrides: RuleTable = Object.fromEntries(rescaledActivations.map((op) => [op, rescale(op)]));
overrides['MaxPool'] = maxPool;

/**
 * DeepLIFT with the rescale rule. The compiled graph runs the forward pass on the input and on the
 * reference, so multipliers are exact differences; linear layers keep their gradient.
 */
export const deepLiftRuleSet: RuleSet = overrideRules('deeplift-rescale', overrides, { needsReference: true });
