import { GraphIndex } from '../../onnx/graph-index';
import type { Model, Node, Tensor } from '../../onnx/ir';
import { floatTensor, floatValues } from '../../onnx/tensor-values';
import { constantValue } from './constant-value';

/**
 * Folds an inference BatchNormalization into the convolution that feeds it:
 * W' = W * s, b' = (b - mean) * s + beta with s = scale / sqrt(var + eps) per output channel.
 * Only when the convolution's output feeds nothing else and all parameters are constants (also
 * behind Identity, Cast, Constant or reshapes: `constantValue`). LRP rules assume one linear layer
 * per step (Zennit's MergeBatchNorm canonizer does the same).
 */
export function foldBatchNorm(model: Model): Model {
  const index = new GraphIndex(model.graph);
  const outputs = new Set(model.graph.outputs.map((o) => o.name));
  const replaced = new Map<Node, Node>();
  const removed = new Set<Node>();
  const newInitializers: Tensor[] = [];
  for (const bn of model.graph.nodes) {
    if (bn.opType !== 'BatchNormalization' || bn.outputs.length !== 1) continue;
    const conv = index.producer.get(bn.inputs[0]!)?.node;
    if (!conv || conv.opType !== 'Conv' || replaced.has(conv)) continue;
    if ((index.consumers.get(conv.outputs[0]!) ?? []).length !== 1 || outputs.has(conv.outputs[0]!)) continue;
    const params = [1, 2, 3, 4].map((i) => constantValue(index, bn.inputs[i]!));
    const weight = constantValue(index, conv.inputs[1]!);
    const bias = conv.inputs[2] ? constantValue(index, conv.inputs[2]) : undefined;
    if (params.some((p) => !p) || !weight || (conv.inputs[2] && !bias)) continue;
    const [scale, beta, mean, variance] = params.map((p) => floatValues(p!)) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const epsilon = bn.attributes.find((a) => a.name === 'epsilon')?.f ?? 1e-5;
    const channels = weight.dims[0]!;
    const per = floatValues(weight).length / channels;
    const s = scale.map((v, c) => v / Math.sqrt(variance[c]! + epsilon));
    const w = floatValues(weight).map((v, i) => v * s[Math.floor(i / per)]!);
    const b0 = bias ? floatValues(bias) : new Float32Array(channels);
    const b = b0.map((v, c) => (v - mean[c]!) * s[c]! + beta[c]!);
    const wName = `${conv.outputs[0]}_lumen_folded_w`;
    const bName = `${conv.outputs[0]}_lumen_folded_b`;
    newInitializers.push(floatTensor(wName, weight.dims, w), floatTensor(bName, [channels], b));
    replaced.set(conv, { ...conv, inputs: [conv.inputs[0]!, wName, bName], outputs: [bn.outputs[0]!] });
    removed.add(bn);
  }
  if (removed.size === 0) return model;
  return {
    ...model,
    graph: {
      ...model.graph,
      nodes: model.graph.nodes.filter((n) => !removed.has(n)).map((n) => replaced.get(n) ?? n),
      initializers: [...model.graph.initializers, ...newInitializers],
    },
  };
}
