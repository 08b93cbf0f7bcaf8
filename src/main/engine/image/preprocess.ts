import type { ModelCard } from '../../../shared/model-card';
import { planGeometry, type GeometryPlan } from '../../../shared/image-geometry';
import type { ImageSource } from './image-source';
import { resample } from './resample';
import { toTensor } from './to-tensor';
import { modelSource } from './medical/model-source';

export interface PreprocessedImage {
  /** One image's tensor data, [C,H,W] or [H,W,C] per the card (no batch axis). */
  data: Float32Array;
  plan: GeometryPlan;
  decodeMs: number;
  preprocessMs: number;
}

/** Image bytes to the model's input tensor, following the model card. */
export async function preprocess(source: ImageSource, card: ModelCard): Promise<PreprocessedImage> {
  const t0 = performance.now();
  const plan = planGeometry(source, { width: card.input.width, height: card.input.height }, card.preprocess.resize);
  const pixels = await resample(modelSource(source, card), plan, card.preprocess.interpolation);
  const t1 = performance.now();
  const data = toTensor(pixels, card, plan);
  const t2 = performance.now();
  return { data, plan, decodeMs: t1 - t0, preprocessMs: t2 - t1 };
}

/** The tensor's dims with a batch axis of `batch`. */
export function inputDims(card: ModelCard, batch = 1): number[] {
  const c = card.input.color === 'GRAY' ? 1 : 3;
  const { height: h, width: w } = card.input;
  return card.input.layout === 'NCHW' ? [batch, c, h, w] : [batch, h, w, c];
}
