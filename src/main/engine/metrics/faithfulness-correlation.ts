import { LumenError } from '../../../shared/errors';
import { FaithfulnessCorrelationParams } from '../../../shared/metrics/metric-params';
import { resolveBaseline } from '../attribution/baselines';
import { pearson } from '../methods/rank-correlation';
import { Rng } from '../random/rng';
import { defineMetric } from './metric';
import { pixelRelevance } from './pixel-relevance';

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
    const rng = new Rng(params.seed);
    // Partial Fisher-Yates shuffles: each run's subset is the first subsetSize of a fresh shuffle.
    const indices = Uint32Array.from({ length: n }, (_, i) => i);
    const subsets: Uint32Array[] = [];
    const sums: number[] = [];
    for (let r = 0; r < params.runs; r++) {
      for (let i = 0; i < params.subsetSize; i++) {
        const j = i + rng.int(n - i);
        [indices[i], indices[j]] = [indices[j]!, indices[i]!];
      }
      const subset = indices.slice(0, params.subsetSize);
      subsets.push(subset);
      let s = 0;
      for (const p of subset) s += relevance[p]!;
      sums.push(s);
    }
    const background = await resolveBaseline(params.baseline, ctx.input, pixels, { seed: params.seed, blurSigma: params.blurSigma });
    const mask = new Float32Array(n);
    // Row 0 is the unperturbed input; row r + 1 has subset r replaced.
    const scores = await ctx.scoreMasked(
      params.objective,
      params.runs + 1,
      (i) => {
        mask.fill(1);
        if (i > 0) for (const p of subsets[i - 1]!) mask[p] = 0;
        return mask;
      },
      background,
    );
    const drops = Array.from({ length: params.runs }, (_, r) => scores[0]! - scores[r + 1]!);
    // Pearson's correlation is undefined when either side is constant (e.g. an all-zero map);
    // it is reported as 0 with a figure saying so.
    const constant = (v: number[]): boolean => v.every((x) => x === v[0]);
    const degenerate = constant(sums) || constant(drops);
    return {
      score: pearson(sums, drops),
      curves: [{ name: 'subsets', xLabel: 'summed attribution of the subset', yLabel: `${params.objective} drop`, x: sums, y: drops }],
      figures: { runs: params.runs, subsetSize: params.subsetSize, ...(degenerate ? { undefinedCorrelation: 1 } : {}) },
      forwardPasses: params.runs + 1,
    };
  },
});
