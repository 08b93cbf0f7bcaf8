import { LumenError } from '../../../shared/errors';
import type { Node } from '../onnx/ir';
import type { RuleSet } from './rule-set';
import { supportedOperators } from './rules';

/** The compile error for an operator without a backward: names the operator, node and opset, and what still works. */
export function noBackward(node: Node, rules: RuleSet, opset: number): LumenError {
  const custom = node.domain && node.domain !== 'ai.onnx';
  const op = custom ? `${node.domain}.${node.opType}` : node.opType;
  const version = custom ? `domain ${node.domain}` : `opset ${opset}`;
  if (rules.label) {
    return new LumenError(
      'unsupported-model',
      `${rules.label} has no rule for the ${op} operator (node "${node.name || node.outputs[0]}", ${version}).`,
      'Use a gradient-based method (gradient, Integrated Gradients, SmoothGrad...) for this model; they differentiate it.',
      { operator: op, node: node.name, opset },
    );
  }
  return new LumenError(
    'unsupported-model',
    `Lumen cannot differentiate the ${op} operator (node "${node.name || node.outputs[0]}", ${version}), so gradient-based methods are unavailable for this model.`,
    `The forward-only methods still work: occlusion, RISE, LIME, KernelSHAP and Shapley values (they need no backward). Gradient-based methods need a backward for every operator between the input and the output; supported: ${supportedOperators().join(', ')}.`,
    { operator: op, node: node.name, opset },
  );
}
