import { SensitivityNParams } from '../../../shared/metrics/metric-params';
import { resolveBaseline } from '../attribution/baselines';
import { defineMetric } from './metric';
import { pixelRelevance } from './pixel-relevance';
import { subsetCorrelations } from './random-subsets';

/**
 * Sensitivity-n (Ancona et al. 2018), per image as in the paper: for each subset size n, the
 * Pearson correlation between the attribution summed over random n-pixel subsets and the score
 * drop when those pixels are replaced by the baseline. An attribution satisfies sensitivity-n when
 * that correlation is 1; the curve over n shows where a method stops being additive. The score is
 * the mean correlation. (Quantus pools the correlation over a batch of images and removes pixels
 * in attribution order instead; the paper samples subsets per image, as here.)
 */
export const sensitivityNMetric = defineMetric({
  id: 'sensitivity-n',
  schema: SensitivityNParams,
  async evaluate(ctx, params) {
    const { pixels } = ctx;
    const n = pixels.height * pixels.width;
    const sizes = [...new Set(params.fractions.map((f) => Math.min(n - 1, Math.max(1, Math.round(f * n)))))].sort((a, b) => a - b);
    const relevance = pixelRelevance(ctx.attribution, pixels, params.reduce);
    const background = await resolveBaseline(params.baseline, ctx.input, pixels, { seed: params.seed, blurSigma: params.blurSigma });
    const results = await subsetCorrelations(ctx, relevance, sizes, params.samples, params.seed, params.objective, background);
    const y = results.map((r) => r.correlation);
    return {
      score: y.reduce((a, b) => a + b, 0) / y.length,
      curves: [{ name: 'sensitivity-n', xLabel: 'n (pixels removed)', yLabel: 'correlation', x: sizes, y }],
      figures: { sizes: sizes.length, samplesPerSize: params.samples, degenerateSizes: results.filter((r) => r.degenerate).length },
      forwardPasses: sizes.length * params.samples + 1,
    };
  },
});
