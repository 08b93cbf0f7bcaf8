import type { RuleTable } from '../rule';

/**
 * Operators whose outputs are piecewise constant in their inputs (comparisons, shapes, indices):
 * their gradient is zero, so gradient flow stops there instead of being an error.
 */
const names = [
  'Shape', 'Size', 'Constant', 'ConstantOfShape', 'Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual', 'Not', 'And',
  'Or', 'Xor', 'ArgMax', 'ArgMin', 'NonZero', 'Range', 'Floor', 'Ceil', 'Round', 'Sign', 'IsNaN', 'IsInf', 'EyeLike',
  'RandomNormal', 'RandomNormalLike', 'RandomUniform', 'RandomUniformLike',
];

export const nonDifferentiableRules: RuleTable = Object.fromEntries(
  names.map((name) => [name, { differentiable: [], backward: () => [] }]),
);
