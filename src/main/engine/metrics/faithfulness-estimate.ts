import { FaithfulnessEstimateParams } from '../../../shared/metrics/metric-params';
import { resolveBaseline } from '../attribution/baselines';
import { pearson } from '../methods/rank-correlation';
import { defineMetric } from './metric';
import { pixelRelevance } from './pixel-relevance';
import { segmentInput } from '../attribution/segment-input';

/**
 * Per-feature faithfulness (Alvarez-Melis and Jaakkola 2018, Quantus's FaithfulnessEstimate): the
 * image is cut into features (square patches, or superpixels); each feature alone is replaced by
 * the baseline and the score drop recorded; the score is the Pearson correlation between the
 * features' summed attributions and their drops. Quantus removes `features_in_step` pixels in
 * attribution order; fixed features make the cost known in advance (one forward pass each) and
 * count every pixel once.
 */
export const faithfulnessEstimateMetric = defineMetric({
  id: 'faithfulness-estimate',
  schema: FaithfulnessEstimateParams,
  async evaluate(ctx, params) {
    const { pixels } = ctx;
    const { height: H, width: W } = pixels;
    const relevance = pixelRelevance(ctx.attribution, pixels, params.reduce);
    // Feature of each pixel: its patch, or its segment.
    let labels: Int32Array;
    let count: number;
    if (params.features === 'patches') {
      const s = params.patchSize;
      const across = Math.ceil(W / s);
      labels = Int32Array.from({ length: H * W }, (_, p) => Math.floor(Math.floor(p / W) / s) * across + Math.floor((p % W) / s));
      count = Math.ceil(H / s) * across;
    } else {
      ({ labels, count } = await segmentInput(ctx.input, pixels, { segmentation: params.features, segments: params.segments, compactness: 10, scale: 100, minSize: 50 }));
    }
    const sums = new Array<number>(count).fill(0);
    labels.forEach((f, p) => (sums[f]! += relevance[p]!));
    const background = await resolveBaseline(params.baseline, ctx.input, pixels, { seed: params.seed, blurSigma: params.blurSigma });
    const mask = new Float32Array(H * W);
    const scores = await ctx.scoreMasked(
      params.objective,
      count + 1,
      (i) => {
        for (let p = 0; p < labels.length; p++) mask[p] = labels[p] === i - 1 ? 0 : 1;
        return mask;
      },
      background,
    );
    const drops = sums.map((_, i) => scores[0]! - scores[i + 1]!);
    return {
      score: pearson(sums, drops),
      curves: [{ name: params.features === 'patches' ? 'patches' : 'segments', xLabel: 'summed attribution of the feature', yLabel: `${params.objective} drop`, x: sums, y: drops }],
      figures: { features: count, ...(params.features === 'patches' ? { patchSize: params.patchSize } : {}) },
      forwardPasses: count + 1,
    };
  },
});
