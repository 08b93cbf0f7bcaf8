import { DataType, type Model } from '../../onnx/ir';
import { dequantize } from './dequantize';
import { computeInFloat32 } from './float32-compute';
import { upgradeToOpset11 } from './opset-11';

export interface PreparedModel {
  model: Model;
  /** What was rewritten, said in the result of every method that uses the compiled graph. */
  notes: string[];
}

export const notes = {
  float32: 'The model computes in half precision (float16/bfloat16); Lumen computed its gradients in float32 on the same weights.',
  forwardFloat32: "The model's float16 input and output were cast: this graph ran it in float32 on the same weights.",
  dequantized: 'The model is quantised (QDQ); gradients were taken on its dequantised float graph, quantisation of activations passed straight through, so they describe the float model, not the rounding.',
} as const;

/**
 * The rewrites a model needs before its backward graph is compiled: opsets 7 to 10 brought to 11,
 * half precision computed in float32, QDQ quantisation dequantised (straight through).
 * Forward-only graphs (perturbation methods) run the model as it is, except that a float16 input
 * or output is cast to float32 so that the masked-input prelude can feed it.
 */
export function prepareForCompiling(original: Model, forwardOnly: boolean): PreparedModel {
  const model = upgradeToOpset11(original);
  if (forwardOnly) {
    const io = [...model.graph.inputs, ...model.graph.outputs];
    if (!io.some((v) => v.elemType !== undefined && v.elemType !== DataType.FLOAT)) return { model, notes: [] };
    const cast = computeInFloat32(model);
    return { model: cast, notes: cast === model ? [] : [notes.forwardFloat32] };
  }
  const result: string[] = [];
  let out = computeInFloat32(model);
  if (out !== model) result.push(notes.float32);
  const dequantized = dequantize(out);
  if (dequantized !== out) result.push(notes.dequantized);
  out = dequantized;
  return { model: out, notes: result };
}
