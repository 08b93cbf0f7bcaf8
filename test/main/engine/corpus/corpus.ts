import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseNpy, toFloat32 } from '../../../../src/main/engine/io/npy';
export { relativeL2 } from '../../../helpers/fixture-arrays';

/**
 * The model corpus (tools/fixtures/make_model_corpus.py): small ONNX classifiers written the way
 * today's exporters write them, each with its input and float64 references.
 */
export const corpusRoot = fileURLToPath(new URL('../../../fixtures/corpus/', import.meta.url));

export interface CorpusMeta {
  name: string;
  family: 'torchscript' | 'dynamo' | 'keras' | 'float16' | 'bfloat16' | 'qdq' | 'vision';
  description: string;
  target: number;
  classes: number;
  opset: number;
  irVersion: number;
  layout: 'NCHW' | 'NHWC';
  inputName: string;
  channels: 1 | 3;
  outputKind: 'logits' | 'probabilities' | 'multilabel-probabilities';
  gradcam: boolean;
  igSteps: number;
  igStepRule: string;
  igBaseline: string;
  occlusionWindow: number;
  h: number;
  w: number;
}

export function corpusNames(): string[] {
  return readdirSync(corpusRoot)
    .filter((name) => existsSync(`${corpusRoot}${name}/meta.json`))
    .sort();
}

export function corpusMeta(name: string): CorpusMeta {
  return JSON.parse(readFileSync(`${corpusRoot}${name}/meta.json`, 'utf8')) as CorpusMeta;
}

export function corpusArray(name: string, file: string): Float32Array {
  const path = `${corpusRoot}${name}/${file}`;
  return toFloat32(parseNpy(new Uint8Array(readFileSync(path)), path));
}

/** ||a - e|| / ||e||. */

/**
 * Tolerances (relative L2 against the float64 reference), with what was measured on the corpus:
 * - outputs of float32 models: float32 against float64 arithmetic, 1e-5 (measured <= 8e-7);
 * - outputs of float16 models: onnxruntime's CPU provider computes float16 nodes in float32 but
 *   the float16 input and output round to 11 bits: 1e-3 (measured 1.5e-4 with float16 I/O);
 * - outputs of QDQ models: onnxruntime's integer kernels against the float64 emulation of
 *   quantisation (round half to even): 1e-3 (measured 2e-8), below the 2.9e-3 that separates the
 *   quantised model from its dequantised float graph, so a forward pass on the wrong one fails;
 * - gradients, Integrated Gradients and Grad-CAM, computed in float32 for every model (half
 *   precision cast, QDQ dequantised): 1e-5 (measured <= 1.2e-6);
 * - occlusion, differences of two outputs of the model as it is: 1e-3 (measured <= 1.1e-4).
 */
export function tolerances(meta: CorpusMeta): { output: number; gradient: number; forwardOnly: number } {
  const output = meta.family === 'float16' || meta.family === 'qdq' ? 1e-3 : 1e-5;
  return { output, gradient: 1e-5, forwardOnly: 1e-3 };
}
