import type { RuleFamily, RuleTable } from '../rule';
import { activationRules } from './activations';
import { arithmeticRules } from './arithmetic';
import { convolutionRules } from './convolution';
import { einsumRules } from './einsum';
import { indexingRules } from './indexing';
import { linearRules } from './linear';
import { nonDifferentiableRules } from './non-differentiable';
import { normalizationRules } from './normalization';
import { padRules } from './pad';
import { poolingRules } from './pooling';
import { reduceRules } from './reduce';
import { resizeRules } from './resize';
import { shapeRules } from './shape-ops';
import { softmaxRules } from './softmax';
import { unaryRules } from './unary';

/** The differentiable families, in the order docs/operators.md lists them. */
export const ruleFamilies: readonly RuleFamily[] = [
  arithmeticRules,
  unaryRules,
  activationRules,
  softmaxRules,
  convolutionRules,
  linearRules,
  einsumRules,
  poolingRules,
  normalizationRules,
  shapeRules,
  padRules,
  indexingRules,
  reduceRules,
  resizeRules,
];

/** Operators whose gradient is zero: flow stops there (not an error). */
export const zeroGradientFamily: RuleFamily = nonDifferentiableRules;

/** The exact gradient of every supported operator: one entry per ONNX op type. */
export const gradientRules: RuleTable = Object.assign({}, ...[...ruleFamilies, zeroGradientFamily].map((f) => f.rules)) as RuleTable;

/** Operators with a backward, for error messages and the documentation. */
export function supportedOperators(): string[] {
  return ruleFamilies.flatMap((f) => Object.keys(f.rules)).sort();
}
