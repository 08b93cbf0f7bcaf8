import { Attributes, GraphIndex } from '../../onnx/graph-index';
import type { Model, Node, Tensor } from '../../onnx/ir';
import { defaultOpset, upgradeOpset } from '../../onnx/opset-upgrade';
import type { Probe } from '../../onnx/shape-probe';
import { floatValues, int64Tensor, intValues } from '../../onnx/tensor-values';
import { constantValue } from './constant-value';

/** The nodes of one decomposed layer norm and what the fused node needs. */
interface Match {
  nodes: Node[];
  input: string;
  scale: string;
  bias?: string;
  output: string;
  axis: number;
  epsilon: number;
}

const isDefault = (n: Node): boolean => n.domain === '' || n.domain === 'ai.onnx';

/**
 * Rewrites a layer norm that an exporter spelled out (opsets before 17: ReduceMean, Sub, Pow 2 or
 * Mul, ReduceMean, Add epsilon, Sqrt, Div, then Mul by a scale and Add a bias) as one
 * LayerNormalization, the function it computes. In a backward graph every intermediate of the
 * spelled-out form is read again by its own backward, so onnxruntime cannot fuse it: ViT-B/16
 * ran 25 of them as about ten kernels each, and their backward as about twenty more. The
 * LayerNormalization rule's backward reads only the input.
 *
 * Only exact matches are rewritten: both means over the same trailing axes with keepdims, the
 * exponent 2, a constant epsilon, constant scale and bias of the normalised shape, and no
 * intermediate read elsewhere or returned by the graph. The opset becomes 17 (which only added
 * operators) when it was lower.
 */
export function composeLayerNormalization(model: Model, probe: Probe): Model {
  const index = new GraphIndex(model.graph);
  const outputs = new Set(model.graph.outputs.map((o) => o.name));
  const opset = defaultOpset(model);
  const matches: Match[] = [];
  const used = new Set<Node>();
  for (const node of model.graph.nodes) {
    if (node.opType !== 'ReduceMean' || !isDefault(node) || used.has(node)) continue;
    const match = matchAt(node, index, probe, outputs, opset);
    if (match && !match.nodes.some((n) => used.has(n))) {
      matches.push(match);
      for (const n of match.nodes) used.add(n);
    }
  }
  if (matches.length === 0) return model;

  const initializers: Tensor[] = [];
  const replacement = new Map<Node, Node[]>();
  matches.forEach((m, k) => {
    const last = m.nodes[m.nodes.length - 1]!;
    const normalized = probe.get(m.input)!.dims.slice(m.axis);
    const added: Node[] = [];
    // Scale and bias of exactly the normalised shape: exporters may add leading 1s. A Reshape, not
    // a new constant, so that a training graph still trains the model's own tensors.
    const shaped = (name: string, role: string): string => {
      if (sameDims(constantValue(index, name)!.dims, normalized)) return name;
      const dims = `lumen_layer_norm_${k}_${role}_dims`;
      initializers.push(int64Tensor(dims, [normalized.length], normalized));
      const output = `lumen_layer_norm_${k}_${role}`;
      added.push({ name: `${output}_reshape`, opType: 'Reshape', domain: '', inputs: [name, dims], outputs: [output], attributes: [] });
      return output;
    };
    const scale = shaped(m.scale, 'scale');
    const bias = m.bias ? shaped(m.bias, 'bias') : undefined;
    replacement.set(last, [...added, {
      name: `lumen_layer_norm_${k}`,
      opType: 'LayerNormalization',
      domain: '',
      inputs: bias ? [m.input, scale, bias] : [m.input, scale],
      outputs: [m.output],
      attributes: [
        { name: 'axis', type: 2, i: m.axis },
        { name: 'epsilon', type: 1, f: m.epsilon },
      ],
    }]);
  });
  const nodes = model.graph.nodes.flatMap((n) => replacement.get(n) ?? (used.has(n) ? [] : [n]));
  // LayerNormalization is an opset-17 operator; upgradeOpset also raises the IR version with it.
  return upgradeOpset({ ...model, graph: { ...model.graph, nodes, initializers: [...model.graph.initializers, ...initializers] } }, 17, probe);
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The only consumer of `name`, when it has exactly one and is not a graph output. */
function soleConsumer(index: GraphIndex, outputs: Set<string>, name: string, opType: string): Node | undefined {
  const consumers = index.consumers.get(name) ?? [];
  if (consumers.length !== 1 || outputs.has(name)) return undefined;
  const [node] = consumers;
  return node!.opType === opType && isDefault(node!) ? node : undefined;
}

/** The other input of a binary node, when one of its inputs is `name`. */
function otherInput(node: Node, name: string): string | undefined {
  if (node.inputs[0] === name) return node.inputs[1];
  if (node.inputs[1] === name) return node.inputs[0];
  return undefined;
}

/** The axes a ReduceMean averages (attribute before opset 18, constant input from 18), if known and kept. */
function meanAxes(node: Node, index: GraphIndex, opset: number): number[] | undefined {
  const attrs = new Attributes(node);
  if (attrs.int('keepdims', 1) !== 1) return undefined;
  if (opset < 18) return attrs.ints('axes');
  const axes = node.inputs[1] ? constantValue(index, node.inputs[1]) : undefined;
  return axes ? intValues(axes) : undefined;
}

function scalarConstant(index: GraphIndex, name: string | undefined): number | undefined {
  const value = name ? constantValue(index, name) : undefined;
  if (!value) return undefined;
  const values = floatValues(value);
  return values.length === 1 ? values[0] : undefined;
}

/** A constant whose values fill the normalised shape (leading 1s allowed). */
function perElementConstant(index: GraphIndex, name: string | undefined, normalized: number[]): boolean {
  const value = name ? constantValue(index, name) : undefined;
  if (!value) return false;
  const trimmed = [...value.dims];
  while (trimmed.length > normalized.length && trimmed[0] === 1) trimmed.shift();
  return sameDims(trimmed, normalized);
}

/** The decomposed layer norm whose first mean is `first`, if the nodes after it are exactly one. */
function matchAt(first: Node, index: GraphIndex, probe: Probe, outputs: Set<string>, opset: number): Match | undefined {
  const input = first.inputs[0]!;
  const dims = probe.get(input)?.dims;
  const axes = meanAxes(first, index, opset);
  if (!dims || !axes || axes.length === 0) return undefined;
  const rank = dims.length;
  const sorted = axes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  const axis = sorted[0]!;
  // The trailing axes, after the batch axis, all of known size.
  if (axis < 1 || !sorted.every((a, i) => a === axis + i) || sorted[sorted.length - 1] !== rank - 1) return undefined;
  const normalized = dims.slice(axis);
  if (normalized.some((d) => !(d > 0))) return undefined;

  const mean = first.outputs[0]!;
  const sub = soleConsumer(index, outputs, mean, 'Sub');
  if (!sub || sub.inputs[0] !== input || sub.inputs[1] !== mean) return undefined;
  const centred = sub.outputs[0]!;
  const readers = [...new Set(index.consumers.get(centred) ?? [])]; // Mul(d, d) reads it twice
  if (readers.length !== 2 || outputs.has(centred)) return undefined;
  const square = readers.find((n) => (n.opType === 'Pow' && n.inputs[0] === centred && scalarConstant(index, n.inputs[1]) === 2) || (n.opType === 'Mul' && n.inputs[0] === centred && n.inputs[1] === centred));
  const div = readers.find((n) => n.opType === 'Div' && n.inputs[0] === centred);
  if (!square || !div || !isDefault(square) || !isDefault(div)) return undefined;
  const variance = soleConsumer(index, outputs, square.outputs[0]!, 'ReduceMean');
  const varianceAxes = variance ? meanAxes(variance, index, opset) : undefined;
  if (!variance || !varianceAxes || !sameDims(varianceAxes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b), sorted)) return undefined;
  const addEpsilon = soleConsumer(index, outputs, variance.outputs[0]!, 'Add');
  const epsilon = addEpsilon ? scalarConstant(index, otherInput(addEpsilon, variance.outputs[0]!)) : undefined;
  if (!addEpsilon || epsilon === undefined || !(epsilon >= 0)) return undefined;
  const sqrt = soleConsumer(index, outputs, addEpsilon.outputs[0]!, 'Sqrt');
  if (!sqrt || soleConsumer(index, outputs, sqrt.outputs[0]!, 'Div') !== div || div.inputs[1] !== sqrt.outputs[0]) return undefined;
  const nodes = [first, sub, square, variance, addEpsilon, sqrt, div];

  const scaleNode = soleConsumer(index, outputs, div.outputs[0]!, 'Mul');
  const scale = scaleNode ? otherInput(scaleNode, div.outputs[0]!) : undefined;
  if (!scaleNode || !perElementConstant(index, scale, normalized)) return undefined;
  nodes.push(scaleNode);
  const biasNode = soleConsumer(index, outputs, scaleNode.outputs[0]!, 'Add');
  const bias = biasNode ? otherInput(biasNode, scaleNode.outputs[0]!) : undefined;
  if (biasNode && perElementConstant(index, bias, normalized)) {
    nodes.push(biasNode);
    return { nodes, input, scale: scale!, bias: bias!, output: biasNode.outputs[0]!, axis, epsilon };
  }
  return { nodes, input, scale: scale!, output: scaleNode.outputs[0]!, axis, epsilon };
}
