import { LumenError } from '../../../shared/errors';
import { ModelDecodeError, decodeModel } from './decode';
import { loadExternalData } from './external-data';
import { inlineFunctions } from './inline-functions';
import type { Model } from './ir';

/**
 * Everything opening an ONNX file does before onnxruntime sees it: decode, expand model-local
 * functions (first, so that weights in a function's Constant nodes load too), read external
 * weights from the model's folder. Every failure is a one-line LumenError naming the file.
 */
export async function readOnnxModel(bytes: Uint8Array, name: string, folder: string): Promise<{ model: Model; externalTensors: number }> {
  const { model, loaded } = await loadExternalData(inlineFunctions(decodeOnnx(bytes, name)), folder);
  return { model, externalTensors: loaded };
}

/**
 * Decodes an ONNX file's bytes. "Not an ONNX model" is said only of bytes that are not a ModelProto;
 * a truncated or damaged ONNX file is called that, with the part where it breaks.
 */
export function decodeOnnx(bytes: Uint8Array, name: string): Model {
  let model: Model;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    if (!(error instanceof ModelDecodeError)) throw error;
    if (error.kind === 'not-onnx') {
      // The detail is Lumen's own words, never text derived from the file's bytes.
      throw new LumenError('invalid-model', `${name} is not an ONNX model (${error.detail}).`, 'Export the classifier to ONNX (e.g. torch.onnx.export) and open the .onnx file; if this is one, copy or download it again.');
    }
    const what = error.kind === 'truncated' ? 'is truncated' : 'is damaged';
    throw new LumenError('invalid-model', `${name} ${what} inside ${error.part ?? 'the model'}: ${error.detail}.`, 'Copy or download the file again, or export the model again.');
  }
  if (model.graph.nodes.length === 0 || model.graph.outputs.length === 0) {
    const missing = model.graph.nodes.length === 0 ? 'no nodes' : 'no outputs';
    throw new LumenError('invalid-model', `${name} is an ONNX file whose graph has ${missing}, so there is nothing to classify with.`, 'Export the classifier with its graph (e.g. torch.onnx.export) and open that file.');
  }
  return model;
}
