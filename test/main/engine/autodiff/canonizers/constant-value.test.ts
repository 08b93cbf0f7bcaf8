import { describe, expect, it } from 'vitest';
import { constantValue } from '../../../../../src/main/engine/autodiff/canonizers/constant-value';
import { GraphIndex } from '../../../../../src/main/engine/onnx/graph-index';
import { DataType, type Node, type Tensor } from '../../../../../src/main/engine/onnx/ir';
import { floatValues, int64Tensor, intValues } from '../../../../../src/main/engine/onnx/tensor-values';
import { floatTensor, node } from '../../../../helpers/tiny-models';

const indexOf = (nodes: Node[], initializers: Tensor[]): GraphIndex =>
  new GraphIndex({ name: 'g', nodes, initializers, inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: [1, 6] }], outputs: [], valueInfo: [] });
const doubles = (name: string, dims: number[], values: number[]): Tensor => ({ name, dims, dataType: DataType.DOUBLE, raw: new Uint8Array(Float64Array.from(values).buffer) });
const ints = (name: string, values: number[]): Node['attributes'][number] => ({ name, type: 7, ints: values });

describe('constantValue: what canonizers treat as a constant', () => {
  it('an initializer, and a Constant node (tensor and scalar forms)', () => {
    const index = indexOf(
      [
        { ...node('Constant', [], ['c']), attributes: [{ name: 'value', type: 4, t: floatTensor('', [2], [1, 2]) }] },
        { ...node('Constant', [], ['s']), attributes: [{ name: 'value_float', type: 1, f: 0.5 }] },
      ],
      [floatTensor('w', [2], [3, 4])],
    );
    expect(Array.from(floatValues(constantValue(index, 'w')!))).toEqual([3, 4]);
    expect(Array.from(floatValues(constantValue(index, 'c')!))).toEqual([1, 2]);
    expect(Array.from(floatValues(constantValue(index, 's')!))).toEqual([0.5]);
  });

  it('sees through Identity, Cast (float64 to float32, float to int64), Reshape, Flatten, Squeeze and Unsqueeze chains', () => {
    const index = indexOf(
      [
        node('Identity', ['b64'], ['b64a']),
        { ...node('Cast', ['b64a'], ['b32']), attributes: [{ name: 'to', type: 2, i: DataType.FLOAT }] },
        node('Reshape', ['b32', 'shape'], ['b23']),
        node('Flatten', ['b23'], ['flat']),
        { ...node('Unsqueeze', ['flat'], ['u']), attributes: [ints('axes', [0, -1])] },
        node('Squeeze', ['u', 'axes'], ['sq']),
        { ...node('Cast', ['b32'], ['asInt']), attributes: [{ name: 'to', type: 2, i: DataType.INT64 }] },
      ],
      [doubles('b64', [6], [1.5, -2, 3, 4, 5, 6]), int64Tensor('shape', [2], [2, -1]), int64Tensor('axes', [1], [0])],
    );
    const b23 = constantValue(index, 'b23')!;
    expect(b23.dims).toEqual([2, 3]);
    expect(b23.name).toBe('b23');
    expect(Array.from(floatValues(b23))).toEqual([1.5, -2, 3, 4, 5, 6]);
    expect(constantValue(index, 'flat')!.dims).toEqual([2, 3]);
    expect(constantValue(index, 'u')!.dims).toEqual([1, 2, 3, 1]);
    expect(constantValue(index, 'sq')!.dims).toEqual([2, 3, 1]);
    expect(intValues(constantValue(index, 'asInt')!)).toEqual([1, -2, 3, 4, 5, 6]);
  });

  it('anything that depends on the input, or an operator that computes, is not a constant', () => {
    const index = indexOf([node('Identity', ['x'], ['xa']), node('Neg', ['w'], ['nw']), node('Identity', ['nw'], ['nwa'])], [floatTensor('w', [2], [3, 4])]);
    expect(constantValue(index, 'xa')).toBeUndefined();
    expect(constantValue(index, 'nwa')).toBeUndefined();
    expect(constantValue(index, 'missing')).toBeUndefined();
  });
});
