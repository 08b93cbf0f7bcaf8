import { describe, expect, it } from 'vitest';
import { computeInFloat32 } from '../../../../../src/main/engine/autodiff/canonizers/float32-compute';
import { DataType, type Model, type Tensor } from '../../../../../src/main/engine/onnx/ir';
import { floatValues } from '../../../../../src/main/engine/onnx/tensor-values';
import { modelOf } from '../../../../helpers/compiled-runner';
import { node } from '../../../../helpers/tiny-models';

function model(nodes: Model['graph']['nodes'], initializers: Tensor[]): Model {
  return modelOf({ name: 'g', nodes, initializers, inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: [1, 2] }], outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: [1, 3] }], valueInfo: [] });
}

describe('computeInFloat32 (half precision -> float32)', () => {
  it('float16 weights, Casts to float16 and float16 graph inputs become float32', () => {
    const half = (values: number[]): Tensor => ({ name: 'w', dims: [2, 3], dataType: DataType.FLOAT16, raw: new Uint8Array(Uint16Array.from(values).buffer) });
    // 0x3c00 = 1, 0xc000 = -2, 0x3800 = 0.5, 0x0001 = 2^-24, 0x7bff = 65504, 0x8000 = -0
    const m = model([{ ...node('Cast', ['x'], ['xh']), attributes: [{ name: 'to', type: 2, i: DataType.FLOAT16 }] }, node('MatMul', ['xh', 'w'], ['y'])], [half([0x3c00, 0xc000, 0x3800, 0x0001, 0x7bff, 0x8000])]);
    const halfIo: Model = { ...m, graph: { ...m.graph, inputs: [{ name: 'x', elemType: DataType.FLOAT16, shape: [1, 2] }] } };
    const out = computeInFloat32(halfIo);
    expect(Array.from(floatValues(out.graph.initializers[0]!))).toEqual([1, -2, 0.5, 2 ** -24, 65504, -0]);
    expect(out.graph.nodes[0]!.attributes[0]!.i).toBe(DataType.FLOAT);
    expect(out.graph.inputs[0]!.elemType).toBe(DataType.FLOAT);
  });

  it('a float32 model is returned as it is', () => {
    const plain = model([node('Relu', ['x'], ['y'])], []);
    expect(computeInFloat32(plain)).toBe(plain);
  });

  it('bfloat16 weights are widened exactly (the top 16 bits of a float32)', () => {
    const bits = Uint16Array.from(new Uint32Array(new Float32Array([1.5, -3.25, 1e-3]).buffer), (u) => u >>> 16);
    const m = model([node('MatMul', ['x', 'w'], ['y'])], [{ name: 'w', dims: [3], dataType: DataType.BFLOAT16, raw: new Uint8Array(bits.buffer) }]);
    const values = floatValues(computeInFloat32(m).graph.initializers[0]!);
    expect(values[0]).toBe(1.5);
    expect(values[1]).toBe(-3.25);
    expect(Math.abs(values[2]! - 1e-3)).toBeLessThan(1e-3 * 2 ** -7); // 8-bit mantissa
  });
});
