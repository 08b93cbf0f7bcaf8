import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { parseNpy, toFloat32 } from '../../../../../src/main/engine/io/npy';
export { relativeL2 } from '../../../../helpers/fixture-arrays';

/**
 * The tiny DeiT-like and Swin-like models of tools/fixtures/make_transformer_fixtures.py, at opsets
 * 17 (torch export) and 18 (converted), with their torch logits and the Swin Grad-CAM references.
 */
export const transformersRoot = fileURLToPath(new URL('../../../../fixtures/transformers/', import.meta.url));
export const transformerNames = ['deit', 'swin'] as const;
export type TransformerName = (typeof transformerNames)[number];
export const opsets = [17, 18] as const;

export interface TransformerMeta {
  target: number;
  inputDims: [number, number, number, number];
  models: Record<TransformerName, { gradcam?: Record<string, { layer: string; layerOpset18: string; tokens: number[]; grid: [number, number] }> }>;
}

export const transformerMeta = JSON.parse(readFileSync(`${transformersRoot}meta.json`, 'utf8')) as TransformerMeta;

export function transformerArray(name: TransformerName, file: string): Float32Array {
  const path = `${transformersRoot}${name}/${file}`;
  return toFloat32(parseNpy(new Uint8Array(readFileSync(path)), path));
}

export const modelPath = (name: TransformerName, opset: number): string => `${transformersRoot}${name}/model_opset${opset}.onnx`;

/** Opens a fixture as it is on disk (no re-encoding), its input taken as the tensor itself. */
export async function openTransformer(api: LumenApi, name: TransformerName, opset: number): Promise<string> {
  const unit = [0, 0, 0];
  const summary = await api.call('models.open', {
    path: modelPath(name, opset),
    card: { preprocess: { scale: 1, mean: unit, std: [1, 1, 1], resize: { mode: 'stretch' } } },
    executionProvider: 'cpu',
  });
  return summary.id;
}

/** ||a - b|| / ||b||. */
