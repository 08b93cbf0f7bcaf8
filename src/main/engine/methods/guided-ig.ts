import { GuidedIgParams } from '../../../shared/methods/path-methods';
import { resolveBaseline } from '../attribution/baselines';
import { gradientRuleSet } from '../autodiff/rule-set';
import { guidedIgPath } from './guided-ig-path';
import { defineMethod, sum } from './method';

/**
 * Guided Integrated Gradients with PAIR saliency's defaults. Each step needs the gradient at the
 * current point, so the steps run one after another. The path is adaptive, and on networks with
 * many flat (zero-gradient) regions it does not keep IG's completeness; the completeness error is
 * reported so the user can see that.
 */
export const guidedIgMethod = defineMethod({
  id: 'guided-ig',
  schema: GuidedIgParams,
  async attributeMany(ctx, inputs, params) {
    const graph = await ctx.graph(gradientRuleSet, params.objective);
    const seed = graph.seedFor(ctx.target);
    const results = [];
    for (const input of inputs) {
      const baseline = await resolveBaseline(params.baseline, input, ctx.pixels, { seed: params.seed, blurSigma: params.blurSigma });
      const attr = await guidedIgPath(
        input,
        baseline,
        async (x) => (await graph.run([{ input: Float32Array.from(x) }], seed, ctx.runOptions))[0]!.inputGradient!,
        params,
      );
      const [atInput, atBaseline] = await graph.run([{ input }, { input: baseline }], seed, ctx.runOptions);
      const map = Float32Array.from(attr);
      const total = sum(map);
      const delta = atInput!.objective - atBaseline!.objective;
      results.push({ map, figures: { attributionSum: total, outputDifference: delta, completenessError: Math.abs(total - delta) } });
    }
    return results;
  },
});
