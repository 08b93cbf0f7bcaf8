import { LumenError } from '../../../shared/errors';
import type { PixelSpace } from '../attribution/pixel-space';

export type PixelReduction = 'sum' | 'abs-sum' | 'max-abs';

/**
 * One value per pixel from an attribution: a map as it is, a per-channel attribution reduced over
 * its channels. Pixels, not tensor elements, are what deletion, insertion and the faithfulness
 * metrics remove, so they rank pixels.
 */
export function pixelRelevance(attribution: Float32Array, pixels: PixelSpace, reduce: PixelReduction): Float64Array {
  const { height: H, width: W, channels: C, layout } = pixels;
  const plane = H * W;
  if (attribution.length === plane) return Float64Array.from(attribution);
  if (attribution.length !== plane * C) {
    throw new LumenError('invalid-argument', `The attribution has ${attribution.length} values; for this model it must have ${plane * C} (per channel) or ${plane} (per pixel).`);
  }
  const out = new Float64Array(plane);
  for (let p = 0; p < plane; p++) {
    let acc = 0;
    for (let c = 0; c < C; c++) {
      const v = attribution[layout === 'NCHW' ? c * plane + p : p * C + c]!;
      if (reduce === 'sum') acc += v;
      else if (reduce === 'abs-sum') acc += Math.abs(v);
      else acc = Math.max(acc, Math.abs(v));
    }
    out[p] = acc;
  }
  return out;
}

/** Pixel indices by decreasing relevance; ties keep raster order, so the order is reproducible. */
export function rankDescending(relevance: Float64Array): Uint32Array {
  const order = Uint32Array.from({ length: relevance.length }, (_, i) => i);
  order.sort((a, b) => relevance[b]! - relevance[a]! || a - b);
  return order;
}

/** Area under a curve by the trapezoid rule. */
export function trapezoid(x: number[], y: number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}
