import { LumenError } from '../../../../shared/errors';
import { z } from 'zod';
import type { Node } from '../../onnx/ir';
import type { OpRule } from '../rule';
import type { NodeRole, RuleSet } from '../rule-set';
import { gradientRules } from '../rules';
import { foldBatchNorm } from '../canonizers/fold-batchnorm';
import { alphaBetaRule, averagePoolRule, epsilonRule, flatRule, passRule, productRule, sumRule, wSquareRule } from './rules';

/** Operators that only move or rectify values: relevance passes through them unchanged. */
const passThrough = new Set([
  'Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Clip', 'HardSwish', 'Gelu', 'Softplus', 'Sigmoid', 'HardSigmoid', 'Tanh',
  'Identity', 'Dropout', 'Cast', 'BatchNormalization',
]);
/** Operators whose gradient already conserves relevance (it only routes values). */
const routing = new Set(['Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Transpose', 'Concat', 'Split', 'Slice', 'MaxPool', 'GlobalMaxPool', 'Pad', 'Gather', 'Expand', 'Tile']);
const linear = new Set(['Conv', 'Gemm', 'MatMul']);

export type LayerRule = 'epsilon' | 'zplus' | 'alpha2-beta1' | 'flat' | 'wsquare';

function layerRule(kind: LayerRule, epsilon: number): OpRule {
  switch (kind) {
    case 'epsilon':
      return epsilonRule(epsilon);
    case 'zplus':
      return alphaBetaRule(1, 0);
    case 'alpha2-beta1':
      return alphaBetaRule(2, 1);
    case 'flat':
      return flatRule();
    case 'wsquare':
      return wSquareRule();
  }
}

export interface CompositeSpec {
  /** Rule of the first linear layer (the one reading the image). */
  first: LayerRule;
  /** Rule of convolutions after it. */
  conv: LayerRule;
  /** Rule of dense layers (Gemm, MatMul with constant weights). */
  dense: LayerRule;
}

/** Named composites, as Zennit names them. */
export const composites = {
  'epsilon-plus-flat': { first: 'flat', conv: 'zplus', dense: 'epsilon' },
  'epsilon-plus': { first: 'zplus', conv: 'zplus', dense: 'epsilon' },
  'epsilon-alpha2-beta1-flat': { first: 'flat', conv: 'alpha2-beta1', dense: 'epsilon' },
  'epsilon': { first: 'epsilon', conv: 'epsilon', dense: 'epsilon' },
} as const satisfies Record<string, CompositeSpec>;

export const CompositeName = z.enum(Object.keys(composites) as [keyof typeof composites, ...Array<keyof typeof composites>]);
export type CompositeName = z.infer<typeof CompositeName>;

/**
 * An LRP rule set: linear layers get the composite's rules, averaging gets the epsilon rule,
 * sums share relevance in proportion to their operands, products give it to the signal, and
 * activations pass it. BatchNormalization is folded into the convolution before it first (the
 * canonizer), as Zennit does. Layers without an LRP rule (attention's Softmax and MatMul of two
 * activations, LayerNormalization) are an error rather than a silent gradient.
 */
export function lrpRuleSet(spec: CompositeSpec, epsilon: number, id: string): RuleSet {
  const rules = {
    first: layerRule(spec.first, epsilon),
    conv: layerRule(spec.conv, epsilon),
    dense: layerRule(spec.dense, epsilon),
    averagePool: averagePoolRule('AveragePool', epsilon),
    globalAveragePool: averagePoolRule('GlobalAveragePool', epsilon),
    reduceMean: averagePoolRule('ReduceMean', epsilon),
    sum: sumRule(epsilon),
  };
  return {
    id: `lrp:${id}:${epsilon}`,
    label: `LRP (${id})`,
    seed: 'relevance',
    canonize: foldBatchNorm,
    ruleFor(node: Node, role: NodeRole): OpRule | undefined {
      if (node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
      const op = node.opType;
      if (linear.has(op)) return role.firstLayer ? rules.first : op === 'Conv' ? rules.conv : rules.dense;
      if (op === 'AveragePool') return rules.averagePool;
      if (op === 'GlobalAveragePool') return rules.globalAveragePool;
      if (op === 'ReduceMean') return rules.reduceMean;
      if (op === 'Add' || op === 'Sum' || op === 'Sub') return rules.sum;
      if (op === 'Mul') return productRule;
      if (passThrough.has(op)) return passRule;
      if (routing.has(op)) return gradientRules[op];
      return gradientRules[op]?.differentiable.length === 0 ? gradientRules[op] : undefined;
    },
  };
}

export function compositeRuleSet(name: CompositeName, epsilon: number): RuleSet {
  const spec = composites[name];
  if (!spec) throw new LumenError('invalid-argument', `Unknown LRP composite "${name}".`, `Known: ${Object.keys(composites).join(', ')}.`);
  return lrpRuleSet(spec, epsilon, name);
}
