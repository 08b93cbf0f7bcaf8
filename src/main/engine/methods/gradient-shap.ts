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
    // Draw every sample up front so the result does not depend on batching.
    const samples = inputs.flatMap((input, owner) =>
      Array.from({ length: params.samples }, () => {
        const baseline = baselines[rng.int(baselines.length)]!;
        const alpha = rng.uniform();
        const noisy = params.noiseStd > 0 ? rng.addNormal(input, params.noiseStd) : input;
        return { owner, baseline, alpha, noisy };
      }),
    );
    const maps = inputs.map(() => new Float32Array(size));
    await graph.stream(
      samples.length,
      (r) => {
        const s = samples[r]!;
        return { input: s.noisy.map((v, j) => s.baseline[j]! + s.alpha * (v - s.baseline[j]!)) };
      },
      graph.seedFor(ctx.target),
      (r, row) => {
        const s = samples[r]!;
        const map = maps[s.owner]!;
        const g = row.inputGradient!;
        for (let j = 0; j < size; j++) map[j]! += ((s.noisy[j]! - s.baseline[j]!) * g[j]!) / params.samples;
      },
      ctx.runOptions,
    );
    return maps.map((map) => ({ map, figures: { attributionSum: sum(map), baselines: baselines.length } }));
  },
});
