import { Attributes, GraphIndex } from '../../onnx/graph-index';
import type { Model, Node, Tensor } from '../../onnx/ir';
import { floatTensor, floatValues } from '../../onnx/tensor-values';
import { constantValue } from './constant-value';

/**
 * Folds an inference BatchNormalization into the linear layer that feeds it (a Conv, or a Gemm
 * with alpha = beta = 1 and an untransposed input): W' = W * s, b' = (b - mean) * s + beta with
 * s = scale / sqrt(var + eps) per output channel. Only when the layer's output feeds nothing else
 * and all parameters are constants (also behind Identity, Cast, Constant or reshapes:
 * `constantValue`). LRP rules assume one linear layer per step (Zennit's MergeBatchNorm canonizer
 * does the same, for convolutions and torch.nn.Linear).
 */
export function foldBatchNorm(model: Model): Model {
  const index = new GraphIndex(model.graph);
  const outputs = new Set(model.graph.outputs.map((o) => o.name));
  const replaced = new Map<Node, Node>();
  const removed = new Set<Node>();
  const newInitializers: Tensor[] = [];
  for (const bn of model.graph.nodes) {
    if (bn.opType !== 'BatchNormalization' || bn.outputs.length !== 1) continue;
    const layer = index.producer.get(bn.inputs[0]!)?.node;
    if (!layer || replaced.has(layer)) continue;
    if ((index.consumers.get(layer.outputs[0]!) ?? []).length !== 1 || outputs.has(layer.outputs[0]!)) continue;
    const params = [1, 2, 3, 4].map((i) => constantValue(index, bn.inputs[i]!));
    const weight = constantValue(index, layer.inputs[1]!);
    const bias = layer.inputs[2] ? constantValue(index, layer.inputs[2]) : undefined;
    if (params.some((p) => !p) || !weight || (layer.inputs[2] && !bias)) continue;
    const channelOf = outputChannels(layer, weight.dims);
    if (!channelOf) continue;
    const [scale, beta, mean, variance] = params.map((p) => floatValues(p!)) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const channels = scale.length;
    const epsilon = bn.attributes.find((a) => a.name === 'epsilon')?.f ?? 1e-5;
    const s = scale.map((v, c) => v / Math.sqrt(variance[c]! + epsilon));
    const w = floatValues(weight).map((v, i) => v * s[channelOf(i)]!);
    // A Gemm's bias may be one value for every output, or one per output.
    const given = bias ? floatValues(bias) : new Float32Array(1);
    const b = Float32Array.from({ length: channels }, (_, c) => ((given.length === 1 ? given[0]! : given[c]!) - mean[c]!) * s[c]! + beta[c]!);
    const wName = `${layer.outputs[0]}_lumen_folded_w`;
    const bName = `${layer.outputs[0]}_lumen_folded_b`;
    newInitializers.push(floatTensor(wName, weight.dims, w), floatTensor(bName, [channels], b));
    replaced.set(layer, { ...layer, inputs: [layer.inputs[0]!, wName, bName], outputs: [bn.outputs[0]!] });
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

/** The output channel of each weight element, for the layers BatchNorm folds into; undefined for others. */
function outputChannels(layer: Node, dims: number[]): ((i: number) => number) | undefined {
  const attrs = new Attributes(layer);
  if (layer.opType === 'Conv') {
    const per = dims.slice(1).reduce((a, d) => a * d, 1);
    return (i) => Math.floor(i / per);
  }
  if (layer.opType !== 'Gemm' || dims.length !== 2 || attrs.int('transA', 0) !== 0 || attrs.float('alpha', 1) !== 1 || attrs.float('beta', 1) !== 1) return undefined;
  // transB: weight [outputs, inputs]; otherwise [inputs, outputs].
  return attrs.int('transB', 0) ? (i) => Math.floor(i / dims[1]!) : (i) => i % dims[1]!;
}
