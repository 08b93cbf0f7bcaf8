import { LumenError } from '../../../../shared/errors';
import { Attributes, GraphIndex } from '../../onnx/graph-index';
import type { Model } from '../../onnx/ir';
import { floatValues } from '../../onnx/tensor-values';

const passThrough = new Set(['Identity', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Dropout']);

export interface GapLinearHead {
  /** The feature map that is averaged (CAM's layer). */
  layer: string;
  /** Class weights: weights[k * channels + c]. */
  weights: Float32Array;
  channels: number;
  classes: number;
}

/**
 * Finds CAM's structure at the end of a model: the class scores are a linear layer (Gemm, MatMul,
 * or a 1x1 Conv) of the global average of a feature map, with only reshapes between. Returns the
 * feature map and the class weights, or an error saying what the model ends with instead.
 */
export function findGapLinearHead(model: Model, scores: string): GapLinearHead {
  const index = new GraphIndex(model.graph);
  const back = (name: string, extra: Set<string> = new Set()): { name: string; node: ReturnType<GraphIndex['producer']['get']> } => {
    let current = name;
    for (let p = index.producer.get(current); p && (passThrough.has(p.node.opType) || extra.has(p.node.opType)); p = index.producer.get(current)) {
      current = p.node.inputs[0]!;
    }
    return { name: current, node: index.producer.get(current) };
  };
  const fail = (what: string): never => {
    throw new LumenError(
      'unsupported-model',
      `CAM needs the model to end in a global average pool followed by one linear layer; this model's class scores come from ${what}.`,
      'Use grad-cam instead: it works on any model with a spatial feature map and equals CAM where CAM applies.',
    );
  };
  let head = back(scores, new Set(['Softmax']));
  let bias = false;
  if (head.node?.node.opType === 'Add') {
    // MatMul + bias exported as two nodes.
    const [a, b] = head.node.node.inputs;
    const variable = index.constant(a!) ? b! : a!;
    bias = true;
    head = back(variable);
  }
  const linear = head.node?.node;
  if (!linear) return fail('the model input directly');
  let weights: Float32Array;
  let classes: number;
  let channels: number;
  let pooled: string;
  if (linear.opType === 'Gemm' || linear.opType === 'MatMul') {
    const w = index.constant(linear.inputs[1]!);
    if (!w || w.dims.length !== 2) return fail(`a ${linear.opType} without constant 2-D weights`);
    const transB = linear.opType === 'Gemm' && new Attributes(linear).int('transB', 0) === 1;
    const values = floatValues(w);
    [classes, channels] = transB ? [w.dims[0]!, w.dims[1]!] : [w.dims[1]!, w.dims[0]!];
    weights = transB ? values : transpose(values, channels, classes);
    pooled = linear.inputs[0]!;
  } else if (linear.opType === 'Conv') {
    const w = index.constant(linear.inputs[1]!);
    if (!w || w.dims.length !== 4 || w.dims[2] !== 1 || w.dims[3] !== 1) return fail('a convolution that is not 1x1');
    [classes, channels] = [w.dims[0]!, w.dims[1]!];
    weights = floatValues(w);
    pooled = linear.inputs[0]!;
  } else {
    return fail(`a ${linear.opType} node${bias ? ' and a bias' : ''}`);
  }
  const gap = back(pooled).node?.node;
  const isGlobalMean = gap?.opType === 'GlobalAveragePool' || (gap?.opType === 'ReduceMean' && sameSet(new Attributes(gap).ints('axes') ?? [], [2, 3]));
  if (!gap || !isGlobalMean) return fail(`a ${linear.opType} of ${gap ? `a ${gap.opType}` : 'the input'}, not of a global average pool`);
  return { layer: gap.inputs[0]!, weights, channels, classes };
}

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

function sameSet(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v) => b.includes(v));
}
