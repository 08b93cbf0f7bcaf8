import { GradCamParams } from '../../../../shared/methods/cam-methods';
import { defineMethod } from '../method';
import { channelMeans, featureIndex, toInputResolution, weightedSum } from './feature-map';
import { gradientsAtLayer } from './gradients-at-layer';

/** Grad-CAM (Selvaraju et al. 2017): channel weights are the spatial means of the gradient. */
export const gradCamMethod = defineMethod({
  id: 'grad-cam',
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
 * Grad-CAM++ (Chattopadhyay et al. 2018), the closed form for an exponential output: per pixel
 * a = g^2 / (2 g^2 + sum(A) g^3), channel weight sum(a * relu(g)); zero where g = 0. The
 * exponential's positive factor exp(S) cancels, as in the paper and pytorch-grad-cam.
 */
export const gradCamPlusPlusMethod = defineMethod({
  id: 'grad-cam-plus-plus',
  schema: GradCamParams,
  async attributeMany(ctx, inputs, params) {
    const { layer, rows } = await gradientsAtLayer(ctx, inputs, params.layer, params.objective);
    const pixels = layer.height * layer.width;
    return rows.map(({ values, gradient }) => {
      const weights = new Float64Array(layer.channels);
      for (let c = 0; c < layer.channels; c++) {
        let activationSum = 0;
        for (let p = 0; p < pixels; p++) activationSum += values[featureIndex(layer, c, p)]!;
        let w = 0;
        for (let p = 0; p < pixels; p++) {
          const g = gradient[featureIndex(layer, c, p)]!;
          if (g === 0) continue;
          const g2 = g * g;
          const a = g2 / (2 * g2 + activationSum * g2 * g + 1e-7);
          w += a * Math.max(g, 0);
        }
        weights[c] = w;
      }
      return { map: toInputResolution(weightedSum(values, weights, layer), layer, ctx, params.relu), figures: { layerChannels: layer.channels } };
    });
  },
});

/** LayerCAM (Jiang et al. 2021): each activation weighted by its own positive gradient. */
export const layerCamMethod = defineMethod({
  id: 'layer-cam',
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
