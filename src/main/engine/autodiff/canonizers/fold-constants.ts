import { GraphIndex } from '../../onnx/graph-index';
import type { Model, Node, Tensor } from '../../onnx/ir';
import { constantFoldable, constantValue } from './constant-value';

/**
 * Replaces chains of Constant, Identity, Cast and reshapes over constants by initializers, so that
 * every later rewrite and rule sees a layer's weight and bias as the constants they are (an
 * exporter that stores a convolution's bias behind an Identity would otherwise hide it from
 * BatchNorm folding and from the LRP rules). Returns the model itself when there is nothing to fold.
 */
export function foldConstants(model: Model): Model {
  const index = new GraphIndex(model.graph);
  const graphOutputs = new Set(model.graph.outputs.map((o) => o.name));
  const folded = new Set<Node>();
  for (const node of model.graph.nodes) {
    if (!constantFoldable.has(node.opType) || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
    const outputs = node.outputs.filter(Boolean);
    if (outputs.length !== 1 || graphOutputs.has(outputs[0]!)) continue;
    if (constantValue(index, outputs[0]!)) folded.add(node);
  }
  if (folded.size === 0) return model;
  const nodes = model.graph.nodes.filter((n) => !folded.has(n));
  const stillRead = new Set(nodes.flatMap((n) => n.inputs));
  const initializers: Tensor[] = [];
  for (const node of folded) {
    const name = node.outputs.find(Boolean)!;
    if (stillRead.has(name)) initializers.push(constantValue(index, name)!);
  }
  return { ...model, graph: { ...model.graph, nodes, initializers: [...model.graph.initializers, ...initializers] } };
}
