import type { BackwardContext, OpRule } from '../rule';
import { composeLayerNormalization } from '../canonizers/compose-layer-norm';
import { overrideRules, type RuleSet } from '../rule-set';
import { gradientRules } from '../rules';

/** Clip(0, max) is ReLU6 and friends: a rectifier, so the rectifier rules apply to it too. */
function isRectifyingClip(ctx: BackwardContext): boolean {
  const min = ctx.node.inputs[1];
  const value = min ? ctx.constant(min) : undefined;
  return !!value && (value.floatData?.[0] === 0 || (value.raw !== undefined && value.raw.every((b) => b === 0)));
}

function rectifierRule(backward: (ctx: BackwardContext, g: string) => string, fallback: OpRule): OpRule {
  return {
    differentiable: [0],
    backward(ctx, grads) {
      if (ctx.node.opType === 'Clip' && !isRectifyingClip(ctx)) return fallback.backward(ctx, grads);
      return [backward(ctx, grads[0]!)];
    },
  };
}

/**
 * Guided backpropagation (Springenberg et al. 2015): at each rectifier, pass only positive
 * gradient where the forward input was positive. Applied to Relu and to Clip(0, max) (ReLU6);
 * Captum and Zennit apply it to ReLU modules.
 */
export const guidedBackpropRuleSet: RuleSet = overrideRules('guided-backprop', {
  Relu: rectifierRule((ctx, g) => {
    const e = ctx.emit;
    return e.op('Relu', [e.mask(e.op('Greater', [ctx.input(0), e.scalar(0)]), g)]);
  }, gradientRules['Relu']!),
  Clip: rectifierRule((ctx, g) => ctx.emit.op('Relu', gradientRules['Clip']!.backward(ctx, [g]) as string[]), gradientRules['Clip']!),
}, { canonize: composeLayerNormalization });

/**
 * DeconvNet (Zeiler and Fergus 2014): at each rectifier, rectify the gradient itself and ignore the
 * forward input.
 */
export const deconvnetRuleSet: RuleSet = overrideRules('deconvnet', {
  Relu: rectifierRule((ctx, g) => ctx.emit.op('Relu', [g]), gradientRules['Relu']!),
  Clip: rectifierRule((ctx, g) => ctx.emit.op('Relu', [g]), gradientRules['Clip']!),
}, { canonize: composeLayerNormalization });
