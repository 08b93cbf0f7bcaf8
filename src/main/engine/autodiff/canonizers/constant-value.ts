import type { GraphIndex } from '../../onnx/graph-index';
import { constantNodeValue } from '../../onnx/graph-index';
import { DataType, type Node, type Tensor } from '../../onnx/ir';
import { floatTensor, floatValues, int64Tensor, intValues } from '../../onnx/tensor-values';

/**
 * Operators whose output is a constant when their data input is one: they only copy, retype or
 * reshape values. Exporters put them between a weight and its layer (a bias behind an Identity,
 * a Constant node instead of an initializer, a Cast after a half-precision weight), and a rewrite
 * that only looks at initializers would miss those layers.
 */
export const constantFoldable = new Set(['Constant', 'Identity', 'Cast', 'Reshape', 'Squeeze', 'Unsqueeze', 'Flatten']);

const floatTypes = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE]);
const intTypes = new Set<number>([DataType.INT64, DataType.INT32, DataType.INT16, DataType.INT8, DataType.UINT8, DataType.UINT16, DataType.UINT64, DataType.BOOL]);

/**
 * The value of a tensor known before the model runs: an initializer, a Constant node, or a chain
 * of the `constantFoldable` operators over them. Undefined when any link depends on the input.
 * Every canonizer asks this instead of looking at initializers only.
 */
export function constantValue(index: GraphIndex, name: string, depth = 0): Tensor | undefined {
  if (!name || depth > 64) return undefined;
  const init = index.initializers.get(name);
  if (init) return init;
  const produced = index.producer.get(name);
  if (!produced || produced.index !== 0) return undefined;
  const node = produced.node;
  if ((node.domain !== '' && node.domain !== 'ai.onnx') || !constantFoldable.has(node.opType)) return undefined;
  if (node.opType === 'Constant') return constantNodeValue(node);
  const data = constantValue(index, node.inputs[0] ?? '', depth + 1);
  if (!data) return undefined;
  const ints = (i: number): number[] | undefined => {
    const t = constantValue(index, node.inputs[i] ?? '', depth + 1);
    return t && intTypes.has(t.dataType) ? intValues(t) : undefined;
  };
  const renamed = (dims: number[]): Tensor => ({ ...data, name, dims });
  switch (node.opType) {
    case 'Identity':
      return renamed(data.dims);
    case 'Cast':
      return cast(data, name, intAttr(node, 'to'));
    case 'Reshape': {
      const shape = ints(1);
      return shape ? renamed(reshaped(data.dims, shape, intAttr(node, 'allowzero') === 1)) : undefined;
    }
    case 'Flatten': {
      const given = intAttr(node, 'axis') ?? 1;
      const axis = given < 0 ? given + data.dims.length : given;
      const product = (d: number[]): number => d.reduce((a, b) => a * b, 1);
      return renamed([product(data.dims.slice(0, axis)), product(data.dims.slice(axis))]);
    }
    case 'Squeeze': {
      const axes = (ints(1) ?? intsAttr(node, 'axes'))?.map((a) => (a < 0 ? a + data.dims.length : a));
      return renamed(data.dims.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)));
    }
    case 'Unsqueeze': {
      const axes = ints(1) ?? intsAttr(node, 'axes');
      if (!axes) return undefined;
      const rank = data.dims.length + axes.length;
      const at = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
      const dims: number[] = [];
      let k = 0;
      for (let i = 0; i < rank; i++) dims.push(at.has(i) ? 1 : data.dims[k++]!);
      return renamed(dims);
    }
    default:
      return undefined;
  }
}

function intAttr(node: Node, name: string): number | undefined {
  return node.attributes.find((a) => a.name === name)?.i;
}

function intsAttr(node: Node, name: string): number[] | undefined {
  return node.attributes.find((a) => a.name === name)?.ints;
}

/** Reshape's target dims: 0 copies the input's dim (unless allowzero), -1 takes what is left. */
function reshaped(input: number[], shape: number[], allowZero: boolean): number[] {
  const total = input.reduce((a, b) => a * b, 1);
  const dims = shape.map((d, i) => (d === 0 && !allowZero ? input[i]! : d));
  const known = dims.reduce((a, d) => (d === -1 ? a : a * d), 1);
  return dims.map((d) => (d === -1 ? total / known : d));
}

/** Cast of a constant to float32 or int64 (what weights and shapes use); other targets stay unknown. */
function cast(data: Tensor, name: string, to: number | undefined): Tensor | undefined {
  const values = floatTypes.has(data.dataType) ? floatValues(data) : intTypes.has(data.dataType) ? intValues(data) : undefined;
  if (!values) return undefined;
  if (to === DataType.FLOAT) return floatTensor(name, data.dims, values);
  if (to === DataType.INT64) return int64Tensor(name, data.dims, Array.from(values, (v) => Math.trunc(v)));
  return undefined;
}
