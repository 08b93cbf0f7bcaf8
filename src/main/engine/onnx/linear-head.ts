import { Attributes, GraphIndex } from './graph-index';
import type { Model } from './ir';
import { floatValues } from './tensor-values';

/** Ops that only reshape: a head seen through them is still the same head. */
const passThrough = new Set(['Identity', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Dropout']);

/** The tensor a value comes from once reshapes (and `extra` ops) are looked through. */
export function traceBack(index: GraphIndex, name: string, extra: ReadonlySet<string> = new Set()): string {
  let current = name;
  for (let p = index.producer.get(current); p && (passThrough.has(p.node.opType) || extra.has(p.node.opType)); p = index.producer.get(current)) {
    current = p.node.inputs[0]!;
  }
  return current;
}

export interface LinearHead {
  opType: string;
  /** The tensor the linear layer reads (pooled features). */
  features: string;
  /** Class weights: weights[k * channels + c]. */
  weights: Float32Array;
  channels: number;
  classes: number;
}

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/**
 * The linear classifier at the end of a model: the class scores (through reshapes, a Softmax and a
 * separate bias Add) are a Gemm, MatMul or 1x1 Conv with constant weights. Returns it, or what the
 * scores come from instead. CAM reads its weights; ROAR retrains it on its input features.
 */
export function findLinearHead(model: Model, scores: string): LinearHead | { failure: string } {
  const index = new GraphIndex(model.graph);
  let head = traceBack(index, scores, new Set(['Softmax']));
  let producer = index.producer.get(head)?.node;
  let bias = false;
  if (producer?.opType === 'Add') {
    // MatMul + bias exported as two nodes.
    const [a, b] = producer.inputs;
    head = traceBack(index, index.constant(a!) ? b! : a!);
    producer = index.producer.get(head)?.node;
    bias = true;
  }
  if (!producer) return { failure: 'the model input directly' };
  const w = index.constant(producer.inputs[1] ?? '');
  if (producer.opType === 'Gemm' || producer.opType === 'MatMul') {
    if (!w || w.dims.length !== 2) return { failure: `a ${producer.opType} without constant 2-D weights` };
    const transB = producer.opType === 'Gemm' && new Attributes(producer).int('transB', 0) === 1;
    const values = floatValues(w);
    const [classes, channels] = transB ? [w.dims[0]!, w.dims[1]!] : [w.dims[1]!, w.dims[0]!];
    return { opType: producer.opType, features: producer.inputs[0]!, weights: transB ? values : transpose(values, channels, classes), channels, classes };
  }
  if (producer.opType === 'Conv') {
    if (!w || w.dims.length !== 4 || w.dims[2] !== 1 || w.dims[3] !== 1) return { failure: 'a convolution that is not 1x1' };
    return { opType: producer.opType, features: producer.inputs[0]!, weights: floatValues(w), channels: w.dims[1]!, classes: w.dims[0]! };
  }
  return { failure: `a ${producer.opType} node${bias ? ' and a bias' : ''}` };
}
