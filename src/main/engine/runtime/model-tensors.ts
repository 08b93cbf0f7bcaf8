import { LumenError } from '../../../shared/errors';
import { fromHalfBits, toHalfBits } from './half-precision';
import { OrtTensor, type Session } from './onnxruntime';

/**
 * A model input in the element type the session declares for it: Lumen works in float32, and a
 * float16 model (onnxconverter-common without keep_io_types) takes float16, as Uint16Array bits.
 */
export function inputTensor(session: Session, name: string, data: Float32Array, dims: number[]): InstanceType<typeof OrtTensor> {
  const meta = session.inputMetadata?.find((m) => m.name === name);
  if (meta?.isTensor && meta.type === 'float16') return new OrtTensor('float16', toHalfBits(data), dims);
  return new OrtTensor('float32', data, dims);
}

/** A model output as float32 (float16 and double outputs converted), or an error naming the output. */
export function floatData(tensor: InstanceType<typeof OrtTensor>, name: string): Float32Array {
  switch (tensor.type) {
    case 'float32':
      return tensor.data as Float32Array;
    case 'float16':
      return fromHalfBits(tensor.data as Uint16Array);
    case 'float64':
      return Float32Array.from(tensor.data as Float64Array);
    default:
      throw new LumenError('unsupported-model', `The output "${name}" holds ${tensor.type} values, not floating-point class scores.`, 'Choose the class-score output in the model card (output.name).');
  }
}
