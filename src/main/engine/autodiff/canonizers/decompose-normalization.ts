import type { Model, Node, Tensor } from '../../onnx/ir';
import { defaultOpset } from '../../onnx/opset-upgrade';
import type { Probe } from '../../onnx/shape-probe';
import { floatTensor, int64Tensor } from '../../onnx/tensor-values';

/**
 * Rewrites LayerNormalization and InstanceNormalization into their elementary operations
 * (mean, centring, variance, square root, division, scale, shift). The result computes the same
 * function; rule sets that have exact rules for the elementary operations (DeepLIFT: rescale for
 * Sqrt, the exact split for products and quotients) then stay exact through normalisation layers.
 */
export function decomposeNormalization(model: Model, probe: Probe): Model {
  const opset = defaultOpset(model);
  const nodes: Node[] = [];
  const initializers: Tensor[] = [];
  let counter = 0;
  const fresh = (hint: string): string => `lumen_norm_${counter++}_${hint}`;
  const add = (opType: string, inputs: string[], attributes: Node['attributes'] = [], output = fresh(opType.toLowerCase())): string => {
    nodes.push({ name: fresh(`n_${opType}`), opType, domain: '', inputs, outputs: [output], attributes });
    return output;
  };
  const mean = (x: string, axes: number[]): string => {
    if (opset >= 18) {
      const name = fresh('axes');
      initializers.push(int64Tensor(name, [axes.length], axes));
      return add('ReduceMean', [x, name], [{ name: 'keepdims', type: 2, i: 1 }]);
    }
    return add('ReduceMean', [x], [{ name: 'axes', type: 7, ints: axes }, { name: 'keepdims', type: 2, i: 1 }]);
  };
  const normalize = (node: Node, axes: number[], scale: string, bias: string | undefined, epsilon: number): void => {
    const x = node.inputs[0]!;
    const centred = add('Sub', [x, mean(x, axes)]);
    const variance = mean(add('Mul', [centred, centred]), axes);
    const eps = fresh('epsilon');
    initializers.push(floatTensor(eps, [], [epsilon]));
    const std = add('Sqrt', [add('Add', [variance, eps])]);
    const scaled = add('Mul', [add('Div', [centred, std]), scale], [], bias ? fresh('scaled') : node.outputs[0]!);
    if (bias) add('Add', [scaled, bias], [], node.outputs[0]!);
  };
  for (const node of model.graph.nodes) {
    const epsilon = node.attributes.find((a) => a.name === 'epsilon')?.f ?? 1e-5;
    if (node.opType === 'LayerNormalization' && node.outputs.filter(Boolean).length === 1) {
      const rank = probe.get(node.inputs[0]!)?.dims.length;
      let axis = node.attributes.find((a) => a.name === 'axis')?.i ?? -1;
      if (rank === undefined && axis < 0) {
        nodes.push(node);
        continue;
      }
      if (axis < 0) axis += rank!;
      const axes = rank === undefined ? [axis] : Array.from({ length: rank - axis }, (_, i) => axis + i);
      normalize(node, axes, node.inputs[1]!, node.inputs[2] || undefined, epsilon);
    } else if (node.opType === 'InstanceNormalization') {
      const rank = probe.get(node.inputs[0]!)?.dims.length;
      if (rank === undefined) {
        nodes.push(node);
        continue;
      }
      // Scale and bias are per channel: [C] -> [C, 1, ..., 1].
      const trailing = Array.from({ length: rank - 2 }, (_, i) => i + 1);
      const perChannel = (v: string): string => {
        if (opset >= 13) {
          const name = fresh('unsqueeze_axes');
          initializers.push(int64Tensor(name, [trailing.length], trailing));
          return add('Unsqueeze', [v, name]);
        }
        return add('Unsqueeze', [v], [{ name: 'axes', type: 7, ints: trailing }]);
      };
      normalize(node, Array.from({ length: rank - 2 }, (_, i) => i + 2), perChannel(node.inputs[1]!), perChannel(node.inputs[2]!), epsilon);
    } else {
      nodes.push(node);
    }
  }
  return { ...model, graph: { ...model.graph, nodes, initializers: [...model.graph.initializers, ...initializers] } };
}
