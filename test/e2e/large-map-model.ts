import { encodeModel } from '../../src/main/engine/onnx/encode';
import { floatTensor, graphModel } from '../helpers/compiled-runner';

/**
 * A two-class model on 512 x 512 colour images whose gradient is a smooth spatial pattern: the
 * frame-budget measurement needs a real 512 x 512 map computed by the engine.
 * scores = mean_{h,w}(x * P) W, with P a pattern of rings and W mixing the channels.
 */
export function largeMapModelBytes(size = 512): Uint8Array {
  const pattern: number[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - size * 0.4, y - size * 0.55) / size;
      pattern.push(Math.cos(r * 18) * Math.exp(-r * 2));
    }
  }
  const model = graphModel(
    [
      { opType: 'Mul', inputs: ['x', 'P'], outputs: ['weighted'] },
      { opType: 'ReduceMean', inputs: ['weighted'], outputs: ['pooled'], attributes: [{ name: 'axes', type: 7, ints: [2, 3] }, { name: 'keepdims', type: 2, i: 0 }] },
      { opType: 'MatMul', inputs: ['pooled', 'W'], outputs: ['scores'] },
    ],
    [floatTensor('P', [1, 1, size, size], pattern), floatTensor('W', [3, 2], [1, -1, 0.5, 0.5, -1, 1])],
    ['N', 3, size, size],
  );
  return encodeModel(model);
}
