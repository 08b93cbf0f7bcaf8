import { LumenError } from '../../../../shared/errors';
import { Attributes, GraphIndex } from '../../onnx/graph-index';
import type { Model } from '../../onnx/ir';
import { findLinearHead, traceBack } from '../../onnx/linear-head';

export interface GapLinearHead {
  /** The feature map that is averaged (CAM's layer). */
  layer: string;
  /** Class weights: weights[k * channels + c]. */
  weights: Float32Array;
  channels: number;
  classes: number;
}

function sameSet(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v) => b.includes(v));
}

/**
 * Finds CAM's structure at the end of a model: the class scores are a linear layer (Gemm, MatMul,
 * or a 1x1 Conv) of the global average of a feature map, with only reshapes between. Returns the
 * feature map and the class weights, or an error saying what the model ends with instead.
 */
export function findGapLinearHead(model: Model, scores: string): GapLinearHead {
  const fail = (what: string): never => {
    throw new LumenError(
      'unsupported-model',
      `CAM needs the model to end in a global average pool followed by one linear layer; this model's class scores come from ${what}.`,
      'Use grad-cam instead: it works on any model with a spatial feature map and equals CAM where CAM applies.',
    );
  };
  const head = findLinearHead(model, scores);
  if ('failure' in head) return fail(head.failure);
  const index = new GraphIndex(model.graph);
  const gap = index.producer.get(traceBack(index, head.features))?.node;
  const isGlobalMean = gap?.opType === 'GlobalAveragePool' || (gap?.opType === 'ReduceMean' && sameSet(new Attributes(gap).ints('axes') ?? [], [2, 3]));
  if (!gap || !isGlobalMean) return fail(`a ${head.opType} of ${gap ? `a ${gap.opType}` : 'the input'}, not of a global average pool`);
  return { layer: gap.inputs[0]!, weights: head.weights, channels: head.channels, classes: head.classes };
}
