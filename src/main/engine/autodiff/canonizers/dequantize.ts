import { LumenError } from '../../../../shared/errors';
import { GraphIndex } from '../../onnx/graph-index';
import { DataType, type Model, type Node, type Tensor } from '../../onnx/ir';
import { floatTensor, floatValues, intValues } from '../../onnx/tensor-values';
import { constantValue } from './constant-value';

/**
 * Rewrites a QDQ-quantised model (QuantizeLinear/DequantizeLinear around int8 Conv and MatMul, as
 * onnxruntime's static quantiser writes it) into the float graph that gradients are taken on:
 * - DequantizeLinear of a constant (int8 weights, int32 biases) becomes its float value;
 * - QuantizeLinear -> DequantizeLinear on an activation passes the value straight through
 *   (the straight-through estimator: rounding has zero gradient almost everywhere).
 * Returns the model unchanged (same object) when it has no QDQ nodes.
 */
export function dequantize(model: Model): Model {
  const index = new GraphIndex(model.graph);
  const added: Tensor[] = [];
  const dropped = new Set<Node>();
  let changed = false;
  const nodes: Node[] = [];
  for (const node of model.graph.nodes) {
    if (node.opType !== 'DequantizeLinear' || !(node.domain === '' || node.domain === 'ai.onnx')) {
      nodes.push(node);
      continue;
    }
    const [x, scale, zeroPoint] = node.inputs;
    const data = constantValue(index, x!);
    if (data) {
      added.push(dequantizedConstant(node, data, constantValue(index, scale!), zeroPoint ? constantValue(index, zeroPoint) : undefined));
      changed = true;
      continue;
    }
    const q = index.producer.get(x!)?.node;
    if (q?.opType === 'QuantizeLinear') {
      nodes.push({ name: `${node.name || node.outputs[0]}_straight_through`, opType: 'Identity', domain: '', inputs: [q.inputs[0]!], outputs: [node.outputs[0]!], attributes: [] });
      changed = true;
      continue;
    }
    nodes.push(node);
  }
  if (!changed) return model;
  // QuantizeLinear nodes whose outputs nothing reads any more are dropped.
  const read = new Set(nodes.flatMap((n) => n.inputs).concat(model.graph.outputs.map((o) => o.name)));
  for (const n of nodes) if (n.opType === 'QuantizeLinear' && !n.outputs.some((o) => read.has(o))) dropped.add(n);
  return { ...model, graph: { ...model.graph, nodes: nodes.filter((n) => !dropped.has(n)), initializers: [...model.graph.initializers, ...added] } };
}

/** (x - zero_point) * scale, per tensor or per `axis`. */
function dequantizedConstant(node: Node, x: Tensor, scale: Tensor | undefined, zeroPoint: Tensor | undefined): Tensor {
  const where = `DequantizeLinear node "${node.name || node.outputs[0]}"`;
  if (!scale) throw new LumenError('unsupported-model', `The ${where} has a scale that is not a constant.`, 'Perturbation methods (occlusion, RISE, LIME, SHAP) run on the quantised model as it is.');
  const values = x.dataType === DataType.FLOAT ? floatValues(x) : intValues(x);
  const scales = floatValues(scale);
  const zeros = zeroPoint ? intValues(zeroPoint) : [0];
  const rank = x.dims.length;
  let axis = node.attributes.find((a) => a.name === 'axis')?.i ?? 1;
  if (axis < 0) axis += rank;
  const perAxis = scales.length > 1;
  // Elements between consecutive steps of `axis` (row-major).
  const inner = perAxis ? x.dims.slice(axis + 1).reduce((a, b) => a * b, 1) : 1;
  const channels = perAxis ? x.dims[axis]! : 1;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = perAxis ? Math.floor(i / inner) % channels : 0;
    out[i] = (Number(values[i]!) - (zeros[perAxis ? c : 0] ?? 0)) * scales[c]!;
  }
  return floatTensor(node.outputs[0]!, x.dims, out);
}
