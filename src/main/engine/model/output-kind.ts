import type { Graph } from '../onnx/ir';

/** Operators that pass values through unchanged in a way that keeps "ends in Softmax" true. */
const passThrough = new Set(['Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Cast']);

/**
 * Which activation produces a graph output, looking back through reshapes: 'softmax' when the
 * model outputs probabilities over classes, 'sigmoid' for independent (multi-label) probabilities.
 */
export function finalActivation(graph: Graph, outputName: string): 'softmax' | 'sigmoid' | 'none' {
  const producer = new Map<string, Graph['nodes'][number]>();
  for (const node of graph.nodes) for (const out of node.outputs) producer.set(out, node);
  let name = outputName;
  for (let guard = 0; guard < 64; guard++) {
    const node = producer.get(name);
    if (!node) return 'none';
    if (node.opType === 'Softmax') return 'softmax';
    if (node.opType === 'Sigmoid') return 'sigmoid';
    if (!passThrough.has(node.opType) || node.inputs[0] === undefined) return 'none';
    name = node.inputs[0];
  }
  return 'none';
}
