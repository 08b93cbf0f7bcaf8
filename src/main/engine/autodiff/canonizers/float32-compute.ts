import { DataType, elementCount, type Attribute, type Model, type Node, type Tensor, type ValueInfo } from '../../onnx/ir';
import { floatTensor, floatValues } from '../../onnx/tensor-values';
import { bfloat16BitsToFloat } from '../../runtime/half-precision';

const half = new Set<number>([DataType.FLOAT16, DataType.BFLOAT16]);

/**
 * Rewrites a half-precision model (float16 or bfloat16 weights and activations, as
 * onnxconverter-common writes them) to compute in float32: weights are cast once here, Casts to a
 * half type become Casts to float32, and float16 graph inputs and outputs become float32. The
 * gradient graph then runs in float32 on the same weights: half-precision backward passes
 * underflow, and onnxruntime's CPU provider has no bfloat16 arithmetic at all.
 * Returns the model unchanged (same object) when nothing is in half precision.
 */
export function computeInFloat32(model: Model): Model {
  let changed = false;
  const tensor = (t: Tensor): Tensor => {
    if (!half.has(t.dataType)) return t;
    changed = true;
    return floatTensor(t.name, t.dims, halfValues(t));
  };
  const attribute = (a: Attribute): Attribute => {
    if (a.t && half.has(a.t.dataType)) return { ...a, t: tensor(a.t) };
    return a;
  };
  const nodes = model.graph.nodes.map((node): Node => {
    if (node.opType === 'Cast' && (node.domain === '' || node.domain === 'ai.onnx')) {
      const to = node.attributes.find((a) => a.name === 'to')?.i;
      if (to !== undefined && half.has(to)) {
        changed = true;
        return { ...node, attributes: node.attributes.map((a) => (a.name === 'to' ? { ...a, i: DataType.FLOAT } : a)) };
      }
    }
    if (!node.attributes.some((a) => a.t && half.has(a.t.dataType))) return node;
    return { ...node, attributes: node.attributes.map(attribute) };
  });
  const value = (v: ValueInfo): ValueInfo => {
    if (v.elemType === undefined || !half.has(v.elemType)) return v;
    changed = true;
    return { ...v, elemType: DataType.FLOAT };
  };
  const graph = {
    ...model.graph,
    nodes,
    initializers: model.graph.initializers.map(tensor),
    inputs: model.graph.inputs.map(value),
    outputs: model.graph.outputs.map(value),
    valueInfo: model.graph.valueInfo.map(value),
  };
  return changed ? { ...model, graph } : model;
}

function halfValues(t: Tensor): Float32Array {
  if (t.dataType === DataType.FLOAT16) return floatValues(t);
  const n = elementCount(t.dims);
  if (t.raw) {
    const view = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
    return Float32Array.from({ length: n }, (_, i) => bfloat16BitsToFloat(view.getUint16(i * 2, true)));
  }
  // Without raw bytes, ONNX keeps bfloat16 bits in int32_data.
  return Float32Array.from(t.int32Data ?? [], bfloat16BitsToFloat);
}
