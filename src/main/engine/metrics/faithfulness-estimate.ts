import { FaithfulnessEstimateParams } from '../../../shared/metrics/metric-params';
import { resolveBaseline } from '../attribution/baselines';
import { pearson } from '../methods/rank-correlation';
import { defineMetric } from './metric';
import { pixelRelevance } from './pixel-relevance';

/**
 * Per-feature faithfulness (Alvarez-Melis and Jaakkola 2018, Quantus's FaithfulnessEstimate): the
 * image is cut into square patches; each patch alone is replaced by the baseline and the score drop
 * recorded; the score is the Pearson correlation between the patches' summed attributions and
 * their drops. Quantus removes `features_in_step` pixels in attribution order; fixed patches make
 * the cost known in advance (one forward pass per patch) and every pixel count once.
 */
export const faithfulnessEstimateMetric = defineMetric({
  id: 'faithfulness-estimate',
  schema: FaithfulnessEstimateParams,
  async evaluate(ctx, params) {
    const { pixels } = ctx;
    const { height: H, width: W } = pixels;
    const relevance = pixelRelevance(ctx.attribution, pixels, params.reduce);
    const s = params.patchSize;
    const patches: Array<{ y0: number; x0: number }> = [];
    for (let y0 = 0; y0 < H; y0 += s) for (let x0 = 0; x0 < W; x0 += s) patches.push({ y0, x0 });
    const sums = patches.map(({ y0, x0 }) => {
      let total = 0;
      for (let y = y0; y < Math.min(H, y0 + s); y++) for (let x = x0; x < Math.min(W, x0 + s); x++) total += relevance[y * W + x]!;
      return total;
    });
    const background = await resolveBaseline(params.baseline, ctx.input, pixels, { seed: params.seed, blurSigma: params.blurSigma });
    const mask = new Float32Array(H * W);
    const scores = await ctx.scoreMasked(
      params.objective,
      patches.length + 1,
      (i) => {
        mask.fill(1);
        if (i > 0) {
          const { y0, x0 } = patches[i - 1]!;
          for (let y = y0; y < Math.min(H, y0 + s); y++) mask.fill(0, y * W + x0, y * W + Math.min(W, x0 + s));
        }
        return mask;
      },
      background,
    );
    const drops = patches.map((_, i) => scores[0]! - scores[i + 1]!);
    return {
      score: pearson(sums, drops),
      curves: [{ name: 'patches', xLabel: 'summed attribution of the patch', yLabel: `${params.objective} drop`, x: sums, y: drops }],
      figures: { patches: patches.length, patchSize: s },
      forwardPasses: patches.length + 1,
    };
  },
});
