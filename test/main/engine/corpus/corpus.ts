import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseNpy, toFloat32 } from '../../../../src/main/engine/io/npy';

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
  outputKind: 'logits' | 'probabilities';
  gradcam: boolean;
  igSteps: number;
  igStepRule: string;
  igBaseline: string;
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
export function relativeL2(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i]! - expected[i]!) ** 2;
    norm += expected[i]! ** 2;
  }
  return Math.sqrt(diff / Math.max(norm, 1e-30));
}

/**
 * Tolerances (relative L2 against the float64 reference) and why:
 * - float32 models: float32 arithmetic against float64, through up to a hundred layers: 1e-4 for
 *   the outputs, 1e-3 for gradients (sums of many products of ReLU-masked terms);
 * - float16 models run in float16 by onnxruntime (11-bit mantissa): 2e-2 for the outputs; their
 *   gradients are computed in float32 on the same weights, so the float32 tolerance holds;
 * - QDQ models: onnxruntime runs integer kernels whose requantisation may round a value one step
 *   differently from the float64 emulation: 5e-2 for the outputs; gradients are on the dequantised
 *   float graph, float32 tolerance.
 */
export function tolerances(meta: CorpusMeta): { output: number; gradient: number } {
  if (meta.family === 'float16') return { output: 2e-2, gradient: 1e-3 };
  if (meta.family === 'qdq') return { output: 5e-2, gradient: 1e-3 };
  return { output: 1e-4, gradient: 1e-3 };
}
