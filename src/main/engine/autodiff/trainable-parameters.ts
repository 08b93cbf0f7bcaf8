import { LumenError } from '../../../shared/errors';
import type { GraphIndex } from '../onnx/graph-index';
import { DataType, type Node } from '../onnx/ir';
import type { OpRule } from './rule';

/**
 * The float initializers a training graph differentiates: those read by a node whose output
 * reaches the objective, at an input its rule differentiates (or names among its parameters).
 * A float initializer read elsewhere (a Clip bound, a running statistic the rule does not train)
 * is refused unless the rule declares it frozen: full retraining would silently skip it.
 */
export function trainableParameters(forward: Node[], index: GraphIndex, ruleOf: Map<Node, OpRule | undefined>, reachesObjective: Set<string>): Set<string> {
  const parameters = new Set<string>();
  for (const node of forward) {
    if (!node.outputs.some((o) => reachesObjective.has(o))) continue;
    const rule = ruleOf.get(node);
    node.inputs.forEach((name, k) => {
      const t = name ? index.initializers.get(name) : undefined;
      if (!t || t.dataType !== DataType.FLOAT) return;
      const differentiable = rule?.differentiable ?? [];
      if (differentiable === 'all' || differentiable.includes(k) || rule?.parameters?.includes(k)) parameters.add(name);
      else if (!rule?.frozen?.includes(k)) {
        throw new LumenError('unsupported-model', `Full retraining does not support ${node.opType} parameters (node "${node.name || node.outputs[0]}", input "${name}").`, 'Use retrain "head" (roar-head): the classification head is retrained on frozen features.', { operator: node.opType, node: node.name });
      }
    });
  }
  return parameters;
}
