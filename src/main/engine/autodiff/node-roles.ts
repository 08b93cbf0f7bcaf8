import type { Node } from '../onnx/ir';
import type { NodeRole } from './rule-set';

/** Marks the first linear layers: those reading the image with no Conv/Gemm/MatMul in between. */
export function nodeRoles(nodes: Node[], input: string): Map<Node, NodeRole> {
  const linear = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);
  const beforeLinear = new Set<string>([input]);
  const roles = new Map<Node, NodeRole>();
  for (const node of nodes) {
    const fed = node.inputs.some((i) => beforeLinear.has(i));
    roles.set(node, { firstLayer: fed && linear.has(node.opType) });
    if (fed && !linear.has(node.opType)) for (const o of node.outputs) beforeLinear.add(o);
  }
  return roles;
}
