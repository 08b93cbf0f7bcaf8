import type { PixelSpace } from '../attribution/pixel-space';
import { DataType, type Model } from '../onnx/ir';
import { floatTensor } from '../onnx/tensor-values';
import { Rng } from '../random/rng';

export interface SyntheticAxiomCase {
  model: Model;
  input: Float32Array;
  /** 1 for the features the model reads, 0 for its dummy features. */
  active: Uint8Array;
}

/**
 * A model and input built so that two axioms have known answers (Sundararajan et al. 2017):
 * f(x) = relu(w·x + b) with equal weights on the top half of the image (all channels) and weight
 * zero on the bottom half. Bottom-half values are dummy features: any attribution there violates
 * the dummy axiom. Top-half values of one channel are symmetric (the same weight, the same input
 * value, the same baseline value), so they must get equal attributions. The bias puts the input
 * at w·x + b = 1, above the kink. The model keeps the user's input and output names and class
 * count (every class gets the same score), so the user's model card serves it too.
 */
export function syntheticAxiomCase(base: Model, pixels: PixelSpace, classCount: number, seed: number): SyntheticAxiomCase {
  const { height: H, width: W, channels: C, layout } = pixels;
  const size = H * W * C;
  const row = (i: number): number => (layout === 'NCHW' ? Math.floor((i % (H * W)) / W) : Math.floor(i / (W * C)));
  const active = Uint8Array.from({ length: size }, (_, i) => (row(i) < Math.ceil(H / 2) ? 1 : 0));
  const count = active.reduce((a, b) => a + b, 0);
  const rng = new Rng(seed);
  // Active pixels mid-grey, dummy pixels random: the dummies must be ignored whatever they hold.
  const p01 = Float32Array.from({ length: size }, (_, i) => (active[i] ? 0.5 : rng.uniform()));
  const input = pixels.fromPixels(p01);
  const weights = Float32Array.from(active, (a) => (a ? 1 / count : 0));
  let z = 0;
  for (let i = 0; i < size; i++) z += weights[i]! * input[i]!;
  const inputInfo = base.graph.inputs.find((v) => !base.graph.initializers.some((t) => t.name === v.name))!;
  const outputName = base.graph.outputs[0]!.name;
  return {
    input,
    active,
    model: {
      ...base,
      producerName: 'lumen-axioms',
      metadata: [],
      functions: [],
      graph: {
        name: 'synthetic_axioms',
        nodes: [
          { name: 'flatten', opType: 'Flatten', domain: '', inputs: [inputInfo.name], outputs: ['f'], attributes: [] },
          { name: 'weigh', opType: 'MatMul', domain: '', inputs: ['f', 'w'], outputs: ['z'], attributes: [] },
          { name: 'shift', opType: 'Add', domain: '', inputs: ['z', 'b'], outputs: ['s'], attributes: [] },
          { name: 'kink', opType: 'Relu', domain: '', inputs: ['s'], outputs: ['r'], attributes: [] },
          { name: 'classes', opType: 'Mul', domain: '', inputs: ['r', 'ones'], outputs: [outputName], attributes: [] },
        ],
        initializers: [floatTensor('w', [size, 1], weights), floatTensor('b', [1], [1 - z]), floatTensor('ones', [1, classCount], new Float32Array(classCount).fill(1))],
        inputs: [inputInfo],
        outputs: [{ name: outputName, elemType: DataType.FLOAT, shape: [inputInfo.shape?.[0] ?? 'N', classCount] }],
        valueInfo: [],
      },
    },
  };
}
