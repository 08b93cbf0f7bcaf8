import type { RuleTable } from '../rule';
import { activationRules } from './activations';
import { arithmeticRules } from './arithmetic';
import { convolutionRules } from './convolution';
import { linearRules } from './linear';
import { nonDifferentiableRules } from './non-differentiable';
import { normalizationRules } from './normalization';
import { poolingRules } from './pooling';
import { reduceRules } from './reduce';
import { resizeRule } from './resize';
import { shapeRules } from './shape-ops';
import { softmaxRules } from './softmax';
import { unaryRules } from './unary';

/** The exact gradient of every supported operator: one entry per ONNX op type. */
export const gradientRules: RuleTable = {
  ...arithmeticRules,
  ...unaryRules,
  ...activationRules,
  ...softmaxRules,
  ...reduceRules,
  ...shapeRules,
  ...convolutionRules,
  ...linearRules,
  ...poolingRules,
  ...normalizationRules,
  Resize: resizeRule,
  ...nonDifferentiableRules,
};

/** Operators with a backward, for error messages and the documentation. */
export function supportedOperators(): string[] {
  return Object.keys(gradientRules)
    .filter((op) => !(op in nonDifferentiableRules))
    .sort();
}
