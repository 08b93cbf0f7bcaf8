import type { Model, Node } from '../onnx/ir';
import type { Probe } from '../onnx/shape-probe';
import { composeLayerNormalization } from './canonizers/compose-layer-norm';
import type { OpRule } from './rule';
import { gradientRules } from './rules';

/** Facts about a node that rule sets may use to choose its rule (LRP composites do). */
export interface NodeRole {
  /** A Conv/Gemm/MatMul that reads the image without another such layer in between. */
  firstLayer: boolean;
}

/**
 * A rule set decides the backward of each node: plain gradients, or a modified backward (guided
 * backprop, DeepLIFT, LRP...). Sets override single entries of the gradient table; the compiler
 * itself never changes.
 */
export interface RuleSet {
  /** Stable identifier, part of the compiled-graph cache key. */
  id: string;
  /** How error messages name the rule set, e.g. "LRP (epsilon-plus-flat)". */
  label?: string;
  ruleFor(node: Node, role: NodeRole): OpRule | undefined;
  /** A graph rewrite applied before compiling (e.g. folding BatchNorm into convolutions). */
  canonize?(model: Model, probe: Probe): Model;
  /** Rules that compare with a reference input (DeepLIFT) need the forward pass run on it too. */
  needsReference?: boolean;
  /**
   * What the objective's gradient is seeded with: the seed itself (gradients), or seed times the
   * objective's value (LRP's initial relevance, Captum's convention).
   */
  seed?: 'gradient' | 'relevance';
}

export const gradientRuleSet: RuleSet = {
  id: 'gradient',
  ruleFor: (node) => (node.domain === '' || node.domain === 'ai.onnx' ? gradientRules[node.opType] : undefined),
  // The same function with fewer kernels: a spelled-out layer norm as one LayerNormalization.
  canonize: composeLayerNormalization,
};

/**
 * Gradients on the graph exactly as exported, with no canonizer: for a graph merged with another
 * rule set's graph of the same model (Transformer Attribution pairs it with AttnLRP, whose rules
 * read a spelled-out layer norm), whose forward is then shared only if both spell it the same.
 */
export const asExportedGradientRuleSet: RuleSet = { id: 'gradient-as-exported', ruleFor: gradientRuleSet.ruleFor };

/** A rule set that replaces the rules of some op types and keeps the gradient for the rest. */
export function overrideRules(id: string, overrides: Record<string, OpRule>, extra: Partial<RuleSet> = {}): RuleSet {
  return {
    id,
    ruleFor: (node, role) => (node.domain === '' || node.domain === 'ai.onnx' ? (overrides[node.opType] ?? gradientRuleSet.ruleFor(node, role)) : undefined),
    ...extra,
  };
}
