import type { Model } from '../../src/main/engine/onnx/ir';
import { floatTensor, graphModel } from './compiled-runner';

/**
 * score = tanh(0.5 sum x) on a 1 x 4 x 4 grayscale input: on a white image (all ones) the path from a
 * zero baseline runs from tanh(0) to tanh(8), steep then flat, so a few Integrated Gradients steps
 * miss much of f(x) − f(baseline) and many get it right.
 */
export function steepModel(): Model {
  return graphModel(
    [
      { opType: 'Flatten', inputs: ['x'], outputs: ['f'] },
      { opType: 'MatMul', inputs: ['f', 'W'], outputs: ['s'] },
      { opType: 'Tanh', inputs: ['s'], outputs: ['scores'] },
    ],
    [floatTensor('W', [16, 1], new Array(16).fill(0.5))],
    ['N', 1, 4, 4],
  );
}
