import { GradientShapParams } from '../../../shared/methods/gradient-methods';
import { readBaselineRows } from '../attribution/baselines';
import { gradientRuleSet } from '../autodiff/rule-set';
import { Rng } from '../random/rng';
import { defineMethod, sum } from './method';

/**
 * GradientSHAP / expected gradients, as Captum's GradientShap: per sample, a random baseline b
 * from the distribution, a random alpha in [0, 1) and optional Gaussian noise on x; the
 * attribution is the mean of (x_noisy - b) * grad f(b + alpha (x_noisy - b)).
 */
export const gradientShapMethod = defineMethod({
  id: 'gradient-shap',
  schema: GradientShapParams,
  async attributeMany(ctx, inputs, params) {
    const graph = await ctx.graph(gradientRuleSet, params.objective);
    const size = inputs[0]?.length ?? 0;
    const baselines = params.baselines ? await readBaselineRows(params.baselines, size) : [ctx.pixels.constant(0), ctx.pixels.constant(1)];
    const rng = new Rng(params.seed);
    const maps = inputs.map(() => new Float32Array(size));
    // Samples are drawn as their rows are made: the stream asks for rows in order, once each, so
    // the draws (sample after sample, input after input) are those of drawing all up front, and only
    // the rows of the run in flight are held (50 noisy copies of each of 16 images were 480 MB).
    const inFlight = new Map<number, { owner: number; baseline: Float32Array; noisy: Float32Array }>();
    await graph.stream(
      inputs.length * params.samples,
      (r) => {
        const owner = Math.floor(r / params.samples);
        const input = inputs[owner]!;
        const baseline = baselines[rng.int(baselines.length)]!;
        const alpha = rng.uniform();
        const noisy = params.noiseStd > 0 ? rng.addNormal(input, params.noiseStd) : input;
        inFlight.set(r, { owner, baseline, noisy });
        // A plain loop: Float32Array.map calls back per value (about 3 ms a 224 x 224 x 3 row).
        const point = new Float32Array(size);
        for (let j = 0; j < size; j++) point[j] = baseline[j]! + alpha * (noisy[j]! - baseline[j]!);
        return { input: point };
      },
      graph.seedFor(ctx.target),
      (r, row) => {
        const s = inFlight.get(r)!;
        inFlight.delete(r);
        const map = maps[s.owner]!;
        const g = row.inputGradient!;
        for (let j = 0; j < size; j++) map[j]! += ((s.noisy[j]! - s.baseline[j]!) * g[j]!) / params.samples;
      },
      ctx.runOptions,
    );
    return maps.map((map) => ({ map, figures: { attributionSum: sum(map), baselines: baselines.length } }));
  },
});
