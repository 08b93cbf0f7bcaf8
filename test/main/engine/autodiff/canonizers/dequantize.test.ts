import { describe, expect, it } from 'vitest';
import { dequantize } from '../../../../../src/main/engine/autodiff/canonizers/dequantize';
import { DataType, type Model, type Tensor } from '../../../../../src/main/engine/onnx/ir';
import { floatValues } from '../../../../../src/main/engine/onnx/tensor-values';
import { modelOf } from '../../../../helpers/compiled-runner';
import { floatTensor, node } from '../../../../helpers/tiny-models';

function model(nodes: Model['graph']['nodes'], initializers: Tensor[]): Model {
  return modelOf({ name: 'g', nodes, initializers, inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: [1, 2] }], outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: [1, 3] }], valueInfo: [] });
}

const int8 = (name: string, dims: number[], values: number[]): Tensor => ({ name, dims, dataType: DataType.INT8, raw: new Uint8Array(Int8Array.from(values).buffer) });
const uint8 = (name: string, values: number[]): Tensor => ({ name, dims: [], dataType: DataType.UINT8, raw: Uint8Array.from(values) });

describe('dequantize (QDQ -> the float graph gradients are taken on)', () => {
  // x -> Q -> DQ -> MatMul(DQ(W int8 [2, 3], one scale per output column, axis 1)) -> y
  const qdq = model(
    [
      node('QuantizeLinear', ['x', 'xs', 'xz'], ['xq']),
      node('DequantizeLinear', ['xq', 'xs', 'xz'], ['xd']),
      { ...node('DequantizeLinear', ['wq', 'ws', 'wz'], ['w']), attributes: [{ name: 'axis', type: 2, i: 1 }] },
      node('MatMul', ['xd', 'w'], ['y']),
    ],
    [floatTensor('xs', [], [0.1]), uint8('xz', [128]), int8('wq', [2, 3], [1, -2, 3, -4, 5, -6]), floatTensor('ws', [3], [0.5, 0.25, 2]), int8('wz', [3], [0, 1, -1])],
  );

  it('int8 weights become float constants, per axis: (q - zero point) * scale', () => {
    const out = dequantize(qdq);
    const w = out.graph.initializers.find((t) => t.name === 'w')!;
    expect(w.dataType).toBe(DataType.FLOAT);
    expect(w.dims).toEqual([2, 3]);
    // column scales 0.5, 0.25, 2 and zero points 0, 1, -1
    expect(Array.from(floatValues(w))).toEqual([0.5, -0.75, 8, -2, 1, -10]);
  });

  it('an activation Q -> DQ pair passes straight through, and the dead QuantizeLinear goes', () => {
    const out = dequantize(qdq);
    expect(out.graph.nodes.map((n) => n.opType)).toEqual(['Identity', 'MatMul']);
    expect(out.graph.nodes[0]!.inputs).toEqual(['x']);
    expect(out.graph.nodes[0]!.outputs).toEqual(['xd']);
  });

  it('a model without QDQ is returned as it is', () => {
    const plain = model([node('MatMul', ['x', 'w'], ['y'])], [floatTensor('w', [2, 3], [1, 2, 3, 4, 5, 6])]);
    expect(dequantize(plain)).toBe(plain);
  });
});
