import type { RuleFamily } from '../rule';

/**
 * Operators whose outputs are piecewise constant in their inputs (comparisons, shapes, indices):
 * their gradient is zero, so gradient flow stops there instead of being an error.
 */
const names = [
  'Shape', 'Size', 'Constant', 'ConstantOfShape', 'Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual', 'Not', 'And',
  'Or', 'Xor', 'ArgMax', 'ArgMin', 'NonZero', 'Range', 'Floor', 'Ceil', 'Round', 'Sign', 'IsNaN', 'IsInf', 'EyeLike',
  'Hardmax', 'OneHot', 'RandomNormal', 'RandomNormalLike', 'RandomUniform', 'RandomUniformLike', 'Bernoulli', 'Multinomial',
];

export const nonDifferentiableRules: RuleFamily = {
  title: 'Operators with zero gradient',
  summary: 'Gradient flow stops at them (they are piecewise constant), which is not an error.',
  rules: Object.fromEntries(names.map((name) => [name, { differentiable: [], backward: () => [], doc: {} }])),
};
