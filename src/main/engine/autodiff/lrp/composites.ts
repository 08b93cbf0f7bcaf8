import { LumenError } from '../../../../shared/errors';
import { z } from 'zod';
import type { Node } from '../../onnx/ir';
import type { OpRule } from '../rule';
import type { NodeRole, RuleSet } from '../rule-set';
import { gradientRules } from '../rules';
import { composeCanonizers } from '../canonizers/compose';
import { lrpCanonizer } from '../canonizers/lrp-canonizer';
import { gammaRule, zBoxRule, type Box } from './gamma-box-rules';
import { alphaBetaRule, epsilonRule, flatRule, normRule, passRule, productRule, wSquareRule, type BiasUse } from './rules';
import { transformerRule, type AttentionRules } from './transformer-composites';
import { markTransformerRoles } from './transformer-patterns';

/** Operators that only move or rectify values: relevance passes through them unchanged. */
const passThrough = new Set([
  'Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Clip', 'HardSwish', 'Gelu', 'Softplus', 'Sigmoid', 'HardSigmoid', 'Tanh',
  'Identity', 'Dropout', 'Cast', 'BatchNormalization',
]);
/** Operators whose gradient already conserves relevance (it only routes values). */
const routing = new Set(['Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Transpose', 'Concat', 'Split', 'Slice', 'MaxPool', 'GlobalMaxPool', 'Pad', 'Gather', 'Expand', 'Tile']);
const linear = new Set(['Conv', 'Gemm', 'MatMul']);
/** Sums and averages: Zennit's Norm rule, whatever the composite (its LAYER_MAP_BASE gives Sum and AvgPool Norm()). */
const normalized: Record<string, OpRule> = {
  Add: normRule('all'),
  Sum: normRule('all'),
  Sub: normRule('all'),
  AveragePool: normRule([0]),
  GlobalAveragePool: normRule([0]),
  ReduceMean: normRule([0]),
};

export type LayerRule = 'epsilon' | 'zplus' | 'alpha2-beta1' | 'gamma' | 'zbox' | 'flat' | 'wsquare';

/**
 * Where the backward pass starts: 1 at the target class (`one`, Zennit's usual call with a one-hot
 * gradient) or the target's logit (`output`, Captum's LRP).
 */
export type StartRelevance = 'one' | 'output';

export interface LrpOptions {
  /** Stabiliser of the epsilon rule. */
  epsilon: number;
  startRelevance: StartRelevance;
  /** Whether z+, alpha-beta and gamma count the (BatchNorm-merged) bias. */
  zPlusBias: BiasUse;
  /** Gamma of the gamma rule. */
  gamma: number;
  /** Bounds of the input for the z-box rule (required by composites that use it). */
  box?: Box;
}

/** Zennit's defaults: Epsilon(epsilon=1e-6), a one-hot start, ZPlus() and AlphaBeta() keeping the bias, Gamma(gamma=0.25). */
export const lrpDefaults: LrpOptions = { epsilon: 1e-6, startRelevance: 'one', zPlusBias: 'keep', gamma: 0.25 };

function layerRule(kind: LayerRule, options: LrpOptions): OpRule {
  switch (kind) {
    case 'epsilon':
      return epsilonRule(options.epsilon);
    case 'zplus':
      return alphaBetaRule(1, 0, options.zPlusBias);
    case 'alpha2-beta1':
      return alphaBetaRule(2, 1, options.zPlusBias);
    case 'gamma':
      return gammaRule(options.gamma, options.zPlusBias);
    case 'zbox':
      if (!options.box) throw new LumenError('invalid-argument', 'The z-box rule needs the bounds of the input (low and high).', 'Give "low" and "high" (one value, or one per channel) in the method parameters.');
      return zBoxRule(options.box);
    case 'flat':
      return flatRule();
    case 'wsquare':
      return wSquareRule();
  }
}

export interface CompositeSpec {
  /** Rule of the first linear layer (the one reading the image); absent: its type's rule. */
  first?: LayerRule;
  /** Rule of convolutions. */
  conv: LayerRule;
  /** Rule of dense layers (Gemm, MatMul with constant weights). */
  dense: LayerRule;
  /** Rules for attention, LayerNorm and GELU (transformer-composites.ts); absent: none (an error there). */
  attention?: AttentionRules;
}

/** Named composites, as Zennit names them (EpsilonPlusFlat, EpsilonPlus, EpsilonGammaBox...; `epsilon` is Epsilon() on every layer). */
export const composites = {
  'epsilon-plus-flat': { first: 'flat', conv: 'zplus', dense: 'epsilon' },
  'epsilon-plus': { conv: 'zplus', dense: 'epsilon' },
  'epsilon-alpha2-beta1-flat': { first: 'flat', conv: 'alpha2-beta1', dense: 'epsilon' },
  'epsilon-alpha2-beta1': { conv: 'alpha2-beta1', dense: 'epsilon' },
  'epsilon-gamma-box': { first: 'zbox', conv: 'gamma', dense: 'epsilon' },
  'epsilon': { conv: 'epsilon', dense: 'epsilon' },
  /** AttnLRP (Achtibat et al. 2024): epsilon on linear layers, softmax and uniform rules in attention. */
  'attn-lrp': { conv: 'epsilon', dense: 'epsilon', attention: 'attn-lrp' },
  /** CP-LRP (Ali et al. 2022): epsilon on linear layers, attention and LayerNorm's std detached. */
  'cp-lrp': { conv: 'epsilon', dense: 'epsilon', attention: 'cp-lrp' },
} as const satisfies Record<string, CompositeSpec>;

export const CompositeName = z.enum(Object.keys(composites) as [keyof typeof composites, ...Array<keyof typeof composites>]);
export type CompositeName = z.infer<typeof CompositeName>;

/**
 * An LRP rule set: linear layers get the composite's rules, sums and averages Zennit's Norm rule,
 * products give relevance to the signal, and activations pass it. Constants behind Identity, Cast
 * or Constant nodes are folded and BatchNormalization is merged into the convolution before it
 * first (the canonizers), as Zennit's MergeBatchNorm does. Composites with `attention` rules also
 * find LayerNorm, GELU and attention in the graph (transformer-patterns.ts) and propagate through
 * them; in the others, layers without an LRP rule (attention's Softmax and MatMul of two
 * activations, LayerNormalization) are an error rather than a silent gradient.
 */
export function lrpRuleSet(spec: CompositeSpec, given: Partial<LrpOptions>, id: string): RuleSet {
  const options: LrpOptions = { ...lrpDefaults, ...given };
  const rules = {
    first: spec.first ? layerRule(spec.first, options) : undefined,
    conv: layerRule(spec.conv, options),
    dense: layerRule(spec.dense, options),
  };
  return {
    id: `lrp:${id}:${options.epsilon}:${options.startRelevance}:${options.zPlusBias}:${options.gamma}:${options.box ? `${options.box.low}/${options.box.high}` : ''}`,
    label: `LRP (${id})`,
    // A one-hot start is the seed itself; an output start is the seed times the logit.
    seed: options.startRelevance === 'one' ? 'gradient' : 'relevance',
    canonize: spec.attention ? composeCanonizers(lrpCanonizer, markTransformerRoles) : lrpCanonizer,
    ruleFor(node: Node, role: NodeRole): OpRule | undefined {
      if (node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
      const op = node.opType;
      const transformer = spec.attention ? transformerRule(spec.attention, node, options.epsilon, rules.dense) : undefined;
      if (transformer) return transformer;
      if (linear.has(op)) return (role.firstLayer ? rules.first : undefined) ?? (op === 'Conv' ? rules.conv : rules.dense);
      if (normalized[op]) return normalized[op];
      if (op === 'Mul') return productRule;
      if (passThrough.has(op)) return passRule;
      if (routing.has(op)) return gradientRules[op];
      return gradientRules[op]?.differentiable.length === 0 ? gradientRules[op] : undefined;
    },
  };
}

export function compositeRuleSet(name: CompositeName, options: Partial<LrpOptions> = {}): RuleSet {
  const spec = composites[name];
  if (!spec) throw new LumenError('invalid-argument', `Unknown LRP composite "${name}".`, `Known: ${Object.keys(composites).join(', ')}.`);
  return lrpRuleSet(spec, options, name);
}
