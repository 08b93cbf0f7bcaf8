import { LumenError } from '../../../shared/errors';
import { Attributes, GraphIndex } from './graph-index';
import type { Attribute, Model, Node, Tensor } from './ir';
import type { Probe } from './shape-probe';
import { int64Tensor } from './tensor-values';

export const minimumOpset = 11;
export const maximumOpset = 21;

/** The IR version each opset needs (ONNX's versioning table). */
function irVersionFor(opset: number): number {
  if (opset <= 8) return 4;
  if (opset <= 10) return 5;
  if (opset <= 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

export function defaultOpset(model: Model): number {
  const v = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
  if (v === undefined) throw new LumenError('unsupported-model', 'The model imports no standard ONNX operator set.');
  return v;
}

/**
 * Brings the forward graph to `target` (at least 16, the opset whose ScatterElements can add, which
 * the MaxPool backward needs), rewriting the few operators whose signature or meaning changed
 * since opset 11: Softmax-family axis semantics, axes/split attributes that became inputs. Dropout
 * is an identity at inference and is replaced by one. The probe supplies ranks.
 */
export function upgradeOpset(model: Model, target: number, probe: Probe): Model {
  const from = defaultOpset(model);
  if (from < minimumOpset || from > maximumOpset) {
    throw new LumenError(
      'unsupported-model',
      `The model uses ONNX opset ${from}; Lumen's gradient compiler supports opsets ${minimumOpset} to ${maximumOpset}.`,
      from < minimumOpset ? 'Convert it with onnx.version_converter.convert_version(model, 13).' : 'Export it with an opset of 21 or lower.',
    );
  }
  const goal = Math.max(from, target);
  const extra: Tensor[] = [];
  const index = new GraphIndex(model.graph);
  let counter = 0;
  const constInts = (values: number[]): string => {
    const name = `lumen_upgrade_${counter++}`;
    extra.push(int64Tensor(name, [values.length], values));
    return name;
  };
  const nodes: Node[] = [];
  for (const node of model.graph.nodes) {
    if (node.domain !== '' && node.domain !== 'ai.onnx') {
      nodes.push(node);
      continue;
    }
    if (node.opType === 'Dropout') {
      const maskUsed = node.outputs[1] && (index.consumers.get(node.outputs[1])?.length || model.graph.outputs.some((o) => o.name === node.outputs[1]));
      if (!maskUsed) {
        nodes.push({ ...node, opType: 'Identity', inputs: [node.inputs[0]!], outputs: [node.outputs[0]!], attributes: [] });
        continue;
      }
    }
    if (from >= 13) {
      nodes.push(node);
      continue;
    }
    const attrs = new Attributes(node);
    const without = (...names: string[]): Attribute[] => node.attributes.filter((a) => !names.includes(a.name));
    switch (node.opType) {
      case 'Softmax':
      case 'LogSoftmax':
      case 'Hardmax': {
        const rank = probe.get(node.inputs[0]!)?.dims.length;
        if (rank === undefined) throw new LumenError('unsupported-model', `No shape known for the input of ${node.opType} node "${node.name}".`);
        let axis = attrs.int('axis', 1);
        if (axis < 0) axis += rank;
        if (axis === rank - 1) {
          nodes.push({ ...node, attributes: [...without('axis'), { name: 'axis', type: 2, i: axis }] });
        } else {
          // Before opset 13 the operator flattened [d0..d(axis-1)] x [d(axis)..]; keep that meaning.
          const flat = `${node.outputs[0]}_lumen_flat`;
          const soft = `${node.outputs[0]}_lumen_2d`;
          const shape = `${node.outputs[0]}_lumen_shape`;
          nodes.push({ name: `${node.name}_flatten`, opType: 'Flatten', domain: '', inputs: [node.inputs[0]!], outputs: [flat], attributes: [{ name: 'axis', type: 2, i: axis }] });
          nodes.push({ ...node, inputs: [flat], outputs: [soft], attributes: [{ name: 'axis', type: 2, i: 1 }] });
          nodes.push({ name: `${node.name}_shape`, opType: 'Shape', domain: '', inputs: [node.inputs[0]!], outputs: [shape], attributes: [] });
          nodes.push({ name: `${node.name}_reshape`, opType: 'Reshape', domain: '', inputs: [soft, shape], outputs: [node.outputs[0]!], attributes: [] });
        }
        break;
      }
      case 'ReduceSum':
      case 'Squeeze':
      case 'Unsqueeze': {
        const axes = attrs.ints('axes');
        nodes.push({ ...node, inputs: axes ? [node.inputs[0]!, constInts(axes)] : [node.inputs[0]!], attributes: without('axes') });
        break;
      }
      case 'Split': {
        const split = attrs.ints('split');
        nodes.push({ ...node, inputs: split ? [node.inputs[0]!, constInts(split)] : [node.inputs[0]!], attributes: without('split') });
        break;
      }
      default:
        nodes.push(node);
    }
  }
  return {
    ...model,
    irVersion: Math.max(model.irVersion, irVersionFor(goal)),
    opsets: model.opsets.map((o) => (o.domain === '' || o.domain === 'ai.onnx' ? { domain: '', version: goal } : o)),
    graph: { ...model.graph, nodes, initializers: [...model.graph.initializers, ...extra] },
  };
}
