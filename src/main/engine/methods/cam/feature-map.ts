import type { SpatialLayer } from '../../attribution/layers';
import { resizeBilinear } from '../../image/resize-bilinear';
import type { MethodContext } from '../method';

/**
 * Index of element (channel c, pixel p = y * width + x) of a feature map in its layout. A token
 * layer's pixel p is patch token extraTokens + p (the class and register tokens are skipped): every
 * CAM reads layers through this, so each works on token grids as on CNN maps.
 */
export function featureIndex(layer: SpatialLayer, c: number, p: number): number {
  if (layer.layout === 'tokens') return ((layer.extraTokens ?? 0) + p) * layer.channels + c;
  return layer.layout === 'NCHW' ? c * layer.height * layer.width + p : p * layer.channels + c;
}

/** sum_c weights[c] * A_c, one value per feature-map pixel. */
export function weightedSum(values: Float32Array, weights: ArrayLike<number>, layer: SpatialLayer): Float32Array {
  const pixels = layer.height * layer.width;
  const map = new Float32Array(pixels);
  for (let c = 0; c < layer.channels; c++) {
    const w = weights[c]!;
    if (w === 0) continue;
    for (let p = 0; p < pixels; p++) map[p]! += w * values[featureIndex(layer, c, p)]!;
  }
  return map;
}

/** ReLU (optional) and bilinear upsampling (align_corners = false) to the model's input size. */
export function toInputResolution(map: Float32Array, layer: SpatialLayer, ctx: MethodContext, relu: boolean): Float32Array {
  const rectified = relu ? map.map((v) => Math.max(v, 0)) : map;
  return resizeBilinear(rectified, layer.height, layer.width, ctx.pixels.height, ctx.pixels.width);
}

/** Per-channel means over space (Grad-CAM's global-average-pooled gradients). */
export function channelMeans(data: Float32Array, layer: SpatialLayer): Float64Array {
  const pixels = layer.height * layer.width;
  const means = new Float64Array(layer.channels);
  for (let c = 0; c < layer.channels; c++) {
    let s = 0;
    for (let p = 0; p < pixels; p++) s += data[featureIndex(layer, c, p)]!;
    means[c] = s / pixels;
  }
  return means;
}
