import { DataType, type Model, type Node, type Tensor } from '../onnx/ir';
import { Attributes } from '../onnx/graph-index';
import { floatTensor } from '../onnx/tensor-values';
import { Rng } from '../random/rng';

/** A layer with learned parameters: one node and the float initializers it reads. */
export interface ParameterisedLayer {
  /** The node's name, or its op type and position when unnamed. */
  name: string;
  opType: string;
  /** Initializer names by role. */
  weight: string;
  bias?: string | undefined;
  /** BatchNormalization's running statistics. */
  mean?: string | undefined;
  variance?: string | undefined;
}

const layerOps = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'BatchNormalization', 'InstanceNormalization', 'LayerNormalization']);

/**
 * The model's layers with learned parameters, input to output (ONNX graphs are topologically
 * sorted). Only float32 initializers count: a node whose weight is computed, quantised or of
 * another precision is not a layer that randomisation resets.
 */
export function parameterisedLayers(model: Model): ParameterisedLayer[] {
  const floats = new Map(model.graph.initializers.filter((t) => t.dataType === DataType.FLOAT).map((t) => [t.name, t]));
  const init = (node: Node, i: number): string | undefined => (node.inputs[i] && floats.has(node.inputs[i]!) ? node.inputs[i] : undefined);
  const layers: ParameterisedLayer[] = [];
  model.graph.nodes.forEach((node, index) => {
    if (!layerOps.has(node.opType) || node.domain !== '') return;
    const name = node.name || `${node.opType} #${index}`;
    if (node.opType === 'MatMul') {
      const weight = init(node, 1);
      if (weight) layers.push({ name, opType: node.opType, weight });
      return;
    }
    const weight = init(node, 1);
    if (!weight) return;
    layers.push({ name, opType: node.opType, weight, bias: init(node, 2), mean: init(node, 3), variance: init(node, 4) });
  });
  return layers;
}

/** Inputs per output unit of a weight, as PyTorch computes it for its default initialisation. */
function fanIn(layer: ParameterisedLayer, dims: number[], node: Node | undefined): number {
  const receptive = dims.slice(2).reduce((a, b) => a * b, 1);
  switch (layer.opType) {
    case 'Conv':
      return (dims[1] ?? 1) * receptive;
    case 'ConvTranspose':
      return (dims[1] ?? 1) * receptive;
    case 'Gemm':
      return node && new Attributes(node).int('transB', 0) ? (dims[1] ?? 1) : (dims[0] ?? 1);
    default:
      return dims[0] ?? 1;
  }
}

/**
 * A copy of the model with the given layers re-initialised as PyTorch's `reset_parameters` does
 * (what Quantus's model-parameter randomisation calls): weights and biases uniform in
 * ±1/sqrt(fan_in); normalisation layers back to scale 1, shift 0, running mean 0, variance 1.
 * Each layer's random values come from its own seed (seed + its index among all layers), so a
 * layer gets the same values whether it is randomised alone or in a cascade.
 */
export function randomiseLayers(model: Model, all: ParameterisedLayer[], chosen: Set<number>, seed: number): Model {
  const replacements = new Map<string, Tensor>();
  const byName = new Map(model.graph.initializers.map((t) => [t.name, t]));
  const nodeFor = new Map(model.graph.nodes.map((n, i) => [n.name || `${n.opType} #${i}`, n]));
  for (const index of chosen) {
    const layer = all[index]!;
    const rng = new Rng(seed + index);
    const dims = (name: string): number[] => byName.get(name)!.dims;
    const fill = (name: string | undefined, value: (i: number) => number): void => {
      if (!name) return;
      const d = dims(name);
      const n = d.reduce((a, b) => a * b, 1);
      replacements.set(name, floatTensor(name, d, Float32Array.from({ length: n }, (_, i) => value(i))));
    };
    if (layer.opType === 'BatchNormalization' || layer.opType === 'InstanceNormalization' || layer.opType === 'LayerNormalization') {
      fill(layer.weight, () => 1);
      fill(layer.bias, () => 0);
      fill(layer.mean, () => 0);
      fill(layer.variance, () => 1);
      continue;
    }
    const bound = 1 / Math.sqrt(Math.max(1, fanIn(layer, dims(layer.weight), nodeFor.get(layer.name))));
    fill(layer.weight, () => (2 * rng.uniform() - 1) * bound);
    fill(layer.bias, () => (2 * rng.uniform() - 1) * bound);
  }
  return {
    ...model,
    graph: { ...model.graph, initializers: model.graph.initializers.map((t) => replacements.get(t.name) ?? t) },
  };
}
