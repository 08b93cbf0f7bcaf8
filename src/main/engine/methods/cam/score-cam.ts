import { ScoreCamParams } from '../../../../shared/methods/cam-methods';
import { gradientRuleSet } from '../../autodiff/rule-set';
import { resizeBilinear } from '../../image/resize-bilinear';
import { defineMethod } from '../method';
import { featureIndex, toInputResolution, weightedSum } from './feature-map';

/**
 * Score-CAM (Wang et al. 2020): each channel, upsampled and min-max normalised, masks the input;
 * the class scores of the masked inputs, softmaxed over channels, weight the channels. One forward
 * pass per channel, batched; no gradients. Masks are upsampled with half-pixel centres
 * (pytorch-grad-cam uses align_corners=True there).
 */
export const scoreCamMethod = defineMethod({
  id: 'score-cam',
  schema: ScoreCamParams,
  async attributeMany(ctx, inputs, params) {
    const layer = await ctx.layer(params.layer);
    const activations = await ctx.graph(gradientRuleSet, params.objective, { taps: [layer.name], inputGradient: false });
    const rows = await activations.run(
      inputs.map((input) => ({ input })),
      activations.seedFor(ctx.target),
      ctx.runOptions,
    );
    const scorer = await ctx.graph(gradientRuleSet, params.objective, { masked: true });
    const { height: H, width: W } = ctx.pixels;
    const pixels = layer.height * layer.width;
    const zeros = new Float32Array(inputs[0]?.length ?? 0);
    const results = [];
    for (let i = 0; i < inputs.length; i++) {
      const values = rows[i]!.taps[0]!.value;
      const channel = new Float32Array(pixels);
      const scores = new Float64Array(layer.channels);
      // The masked input is input * mask: a perturbation graph with a zero baseline, masks made per run.
      await scorer.streamMasks(
        layer.channels,
        (c) => {
          for (let p = 0; p < pixels; p++) channel[p] = values[featureIndex(layer, c, p)]!;
          const up = resizeBilinear(channel, layer.height, layer.width, H, W);
          let lo = Infinity;
          let hi = -Infinity;
          for (const v of up) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
          const range = hi - lo + 1e-8;
          for (let p = 0; p < up.length; p++) up[p] = (up[p]! - lo) / range;
          return up;
        },
        inputs[i]!,
        zeros,
        scorer.seedFor(ctx.target),
        (c, objective) => (scores[c] = objective),
        ctx.runOptions,
      );
      const top = Math.max(...scores);
      const exp = scores.map((s) => Math.exp(s - top));
      const total = exp.reduce((a, b) => a + b, 0);
      const weights = exp.map((v) => v / total);
      results.push({ map: toInputResolution(weightedSum(values, weights, layer), layer, ctx, params.relu), figures: { layerChannels: layer.channels, forwardPasses: layer.channels } });
    }
    return results;
  },
});
