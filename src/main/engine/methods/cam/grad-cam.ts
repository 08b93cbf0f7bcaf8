import type { SpatialLayer } from '../../attribution/layers';
import { GradCamParams } from '../../../../shared/methods/cam-methods';
import { defineMethod } from '../method';
import { channelMeans, featureIndex, toInputResolution, weightedSum } from './feature-map';
import { gradientsAtLayer } from './gradients-at-layer';

/** Grad-CAM (Selvaraju et al. 2017): channel weights are the spatial means of the gradient. */
export const gradCamMethod = defineMethod({
  id: 'grad-cam',
  perInputTargets: true,
  schema: GradCamParams,
  async attributeMany(ctx, inputs, params) {
    const { layer, rows } = await gradientsAtLayer(ctx, inputs, params.layer, params.objective);
    return rows.map(({ values, gradient }) => {
      const weights = channelMeans(gradient, layer);
      return { map: toInputResolution(weightedSum(values, weights, layer), layer, ctx, params.relu), figures: { layerChannels: layer.channels } };
    });
  },
});

/**
 * pytorch-grad-cam's stabiliser in the alpha denominator (grad_cam_plusplus.py, `eps = 0.000001`).
 * Where squared gradients are near it (MobileNetV3-Small: about 7e-8) the constant decides the map,
 * so Lumen uses the same value as the peer its users compare with, and says when it dominates.
 */
export const GRAD_CAM_PLUS_PLUS_STABILISER = 1e-6;

/**
 * Grad-CAM++ (Chattopadhyay et al. 2018), the closed form for an exponential output: per pixel
 * a = g^2 / (2 g^2 + sum(A) g^3 + 1e-6), channel weight sum(a * relu(g)); zero where g = 0. The
 * exponential's positive factor exp(S) cancels, as in the paper and pytorch-grad-cam.
 */
export const gradCamPlusPlusMethod = defineMethod({
  id: 'grad-cam-plus-plus',
  perInputTargets: true,
  schema: GradCamParams,
  async attributeMany(ctx, inputs, params) {
    const { layer, rows } = await gradientsAtLayer(ctx, inputs, params.layer, params.objective);
    return rows.map(({ values, gradient }) => {
      const { weights, dominatedFraction } = gradCamPlusPlusWeights(values, gradient, layer);
      return {
        map: toInputResolution(weightedSum(values, weights, layer), layer, ctx, params.relu),
        figures: { layerChannels: layer.channels, stabiliserDominatedFraction: dominatedFraction },
        notes: dominatedFraction > 0.5 ? [stabiliserNote(dominatedFraction)] : [],
      };
    });
  },
});

/** Channel weights, and the share of positions (g != 0) where the stabiliser outweighs the rest of the denominator. */
function gradCamPlusPlusWeights(values: Float32Array, gradient: Float32Array, layer: SpatialLayer): { weights: Float64Array; dominatedFraction: number } {
  const pixels = layer.height * layer.width;
  const weights = new Float64Array(layer.channels);
  let positions = 0;
  let dominated = 0;
  for (let c = 0; c < layer.channels; c++) {
    let activationSum = 0;
    for (let p = 0; p < pixels; p++) activationSum += values[featureIndex(layer, c, p)]!;
    let w = 0;
    for (let p = 0; p < pixels; p++) {
      const g = gradient[featureIndex(layer, c, p)]!;
      if (g === 0) continue;
      const g2 = g * g;
      const rest = 2 * g2 + activationSum * g2 * g;
      positions++;
      if (Math.abs(rest) < GRAD_CAM_PLUS_PLUS_STABILISER) dominated++;
      w += (g2 / (rest + GRAD_CAM_PLUS_PLUS_STABILISER)) * Math.max(g, 0);
    }
    weights[c] = w;
  }
  return { weights, dominatedFraction: positions === 0 ? 0 : dominated / positions };
}

function stabiliserNote(fraction: number): string {
  return (
    `Grad-CAM++: the stabiliser (${GRAD_CAM_PLUS_PLUS_STABILISER}) is larger than the rest of the alpha denominator at ${Math.round(fraction * 100)}% of the positions ` +
    '(the gradients at this layer are tiny), so the constant rather than the gradients shapes this map; Grad-CAM or LayerCAM do not depend on it.'
  );
}

/** LayerCAM (Jiang et al. 2021): each activation weighted by its own positive gradient. */
export const layerCamMethod = defineMethod({
  id: 'layer-cam',
  perInputTargets: true,
  schema: GradCamParams,
  async attributeMany(ctx, inputs, params) {
    const { layer, rows } = await gradientsAtLayer(ctx, inputs, params.layer, params.objective);
    const pixels = layer.height * layer.width;
    return rows.map(({ values, gradient }) => {
      const map = new Float32Array(pixels);
      for (let c = 0; c < layer.channels; c++) {
        for (let p = 0; p < pixels; p++) {
          const i = featureIndex(layer, c, p);
          map[p]! += Math.max(gradient[i]!, 0) * values[i]!;
        }
      }
      return { map: toInputResolution(map, layer, ctx, params.relu), figures: { layerChannels: layer.channels } };
    });
  },
});
