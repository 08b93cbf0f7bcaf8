import { LumenError } from '../../../shared/errors';
import { FaithfulnessCorrelationParams } from '../../../shared/metrics/metric-params';
import { resolveBaseline } from '../attribution/baselines';
import { defineMetric } from './metric';
import { pixelRelevance } from './pixel-relevance';
import { subsetCorrelations } from './random-subsets';

/**
 * Quantus's normalise_by_negative: positive attributions divided by the maximum, negative ones by
 * the magnitude of the minimum, so both signs span [-1, 1] without changing sign.
 */
export function normaliseByNegative(values: Float64Array): Float64Array {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return values.map((v) => (v > 0 ? v / hi : v < 0 ? v / -lo : 0));
}

/**
 * Faithfulness correlation (Bhatt et al. 2020) as Quantus computes it: `runs` times, replace a
 * random subset of `subsetSize` pixels by the baseline and record the score drop and the summed
 * attribution of the subset; the score is the Pearson correlation of the two (-1..1, higher is
 * better). Quantus draws subsets of tensor elements of a per-pixel attribution; here subsets of
 * pixels, all channels together.
 */
export const faithfulnessCorrelationMetric = defineMetric({
  id: 'faithfulness-correlation',
  schema: FaithfulnessCorrelationParams,
  async evaluate(ctx, params) {
    const { pixels } = ctx;
    const n = pixels.height * pixels.width;
    if (params.subsetSize >= n) {
      throw new LumenError('invalid-argument', `subsetSize ${params.subsetSize} must be smaller than the number of pixels (${n}).`, 'Choose a smaller subset.');
    }
    let relevance = pixelRelevance(ctx.attribution, pixels, params.reduce);
    if (params.absolute) relevance = relevance.map(Math.abs);
    if (params.normalise) relevance = normaliseByNegative(relevance);
    const background = await resolveBaseline(params.baseline, ctx.input, pixels, { seed: params.seed, blurSigma: params.blurSigma });
    const [result] = await subsetCorrelations(ctx, relevance, [params.subsetSize], params.runs, params.seed, params.objective, background);
    const { sums, drops, correlation, degenerate } = result!;
    return {
      score: correlation,
      curves: [{ name: 'subsets', xLabel: 'summed attribution of the subset', yLabel: `${params.objective} drop`, x: sums, y: drops }],
      figures: { runs: params.runs, subsetSize: params.subsetSize, ...(degenerate ? { undefinedCorrelation: 1 } : {}) },
      forwardPasses: params.runs + 1,
    };
  },
});
