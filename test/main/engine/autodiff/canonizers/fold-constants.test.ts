import { describe, expect, it } from 'vitest';
import { foldBatchNorm } from '../../../../../src/main/engine/autodiff/canonizers/fold-batchnorm';
import { foldConstants } from '../../../../../src/main/engine/autodiff/canonizers/fold-constants';
import { lrpCanonizer } from '../../../../../src/main/engine/autodiff/canonizers/lrp-canonizer';
import { encodeModel } from '../../../../../src/main/engine/onnx/encode';
import { DataType, type Model, type Tensor } from '../../../../../src/main/engine/onnx/ir';
import { InferenceSession, OrtTensor } from '../../../../../src/main/engine/runtime/onnxruntime';
import { graphModel } from '../../../../helpers/compiled-runner';
import { rng } from '../../../../helpers/gradient-check';
import { floatTensor } from '../../../../helpers/tiny-models';

const r = rng(3);
const randoms = (n: number): number[] => Array.from({ length: n }, () => 2 * r() - 1);
const doubles = (name: string, values: number[]): Tensor => ({ name, dims: [values.length], dataType: DataType.DOUBLE, raw: new Uint8Array(Float64Array.from(values).buffer) });

/**
 * Conv -> BatchNormalization as the VGG-11-BN export stored it: the convolution's bias behind an
 * Identity, and (beyond that file) the weight and the BatchNorm mean as Constant nodes and the
 * variance as float64 behind a Cast.
 */
function hiddenConstants(): Model {
  const constant = (name: string, t: Tensor) => ({ opType: 'Constant', inputs: [], outputs: [name], attributes: [{ name: 'value', type: 4, t }] });
  return graphModel(
    [
      { opType: 'Identity', inputs: ['b_stored'], outputs: ['b'] },
      constant('W', floatTensor('', [3, 2, 3, 3], randoms(54))),
      constant('mean', floatTensor('', [3], randoms(3))),
      { opType: 'Cast', inputs: ['var64'], outputs: ['var'], attributes: [{ name: 'to', type: 2, i: DataType.FLOAT }] },
      { opType: 'Conv', inputs: ['x', 'W', 'b'], outputs: ['c'] },
      { opType: 'BatchNormalization', inputs: ['c', 's', 'beta', 'mean', 'var'], outputs: ['n'] },
      { opType: 'Relu', inputs: ['n'], outputs: ['a'] },
      { opType: 'GlobalAveragePool', inputs: ['a'], outputs: ['p'] },
      { opType: 'Flatten', inputs: ['p'], outputs: ['scores'] },
    ],
    [floatTensor('b_stored', [3], randoms(3)), floatTensor('s', [3], [1.5, 0.5, -2]), floatTensor('beta', [3], randoms(3)), doubles('var64', [0.5, 2, 1])],
    [1, 2, 6, 6],
  );
}

async function scores(model: Model, x: Float32Array): Promise<Float32Array> {
  const session = await InferenceSession.create(encodeModel(model), { logSeverityLevel: 4 });
  try {
    return (await session.run({ x: new OrtTensor('float32', x, [1, 2, 6, 6]) })).scores!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('constant folding and BatchNorm merging see through Identity, Cast and Constant', () => {
  const model = hiddenConstants();
  const x = Float32Array.from(randoms(72));

  it('foldConstants turns the chains into initializers and leaves the function unchanged', async () => {
    const folded = foldConstants(model);
    expect(folded.graph.nodes.map((n) => n.opType)).toEqual(['Conv', 'BatchNormalization', 'Relu', 'GlobalAveragePool', 'Flatten']);
    expect(folded.graph.initializers.map((t) => t.name)).toEqual(expect.arrayContaining(['b', 'W', 'mean', 'var']));
    const [before, after] = [await scores(model, x), await scores(folded, x)];
    before.forEach((v, i) => expect(after[i]).toBeCloseTo(v, 6));
  });

  it('foldConstants returns the model itself when nothing is hidden', () => {
    const plain = foldConstants(model);
    expect(foldConstants(plain)).toBe(plain);
  });

  it('foldBatchNorm merges the BatchNorm even when its parameters and the bias are hidden (the VGG-11-BN bug)', async () => {
    const merged = foldBatchNorm(model);
    expect(merged.graph.nodes.some((n) => n.opType === 'BatchNormalization')).toBe(false);
    const [before, after] = [await scores(model, x), await scores(merged, x)];
    before.forEach((v, i) => expect(after[i]).toBeCloseTo(v, 5));
  });

  it("LRP's canonizer does both: one Conv with constant weight and bias, no BatchNorm, no Identity", async () => {
    const canonical = lrpCanonizer(model, new Map());
    expect(canonical.graph.nodes.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'GlobalAveragePool', 'Flatten']);
    const conv = canonical.graph.nodes[0]!;
    const initializers = new Set(canonical.graph.initializers.map((t) => t.name));
    expect(conv.inputs.slice(1).every((name) => initializers.has(name))).toBe(true);
    const [before, after] = [await scores(model, x), await scores(canonical, x)];
    before.forEach((v, i) => expect(after[i]).toBeCloseTo(v, 5));
  });
});
