import { RiseParams } from '../../../../shared/methods/perturbation-methods';
import { resolveBaseline } from '../../attribution/baselines';
import { gradientRuleSet } from '../../autodiff/rule-set';
import { Rng } from '../../random/rng';
import { defineMethod } from '../method';
import { riseMask } from './rise-masks';
import { withStability } from '../stability';

/**
 * RISE: saliency = sum_i f(x masked by m_i) m_i / (N p). Masks are made on the fly from the seed
 * (each from its own generator state, so results do not depend on batching) and only the masks
 * travel to onnxruntime, which composes the masked inputs itself.
 */
export const riseMethod = defineMethod({
  id: 'rise',
  schema: RiseParams,
  async attributeMany(ctx, inputs, params) {
    const { height: H, width: W } = ctx.pixels;
    const graph = await ctx.graph(gradientRuleSet, params.objective, { masked: true });
    const results = [];
    for (const input of inputs) {
      const baseline = await resolveBaseline(params.baseline, input, ctx.pixels, { seed: params.seed, blurSigma: params.blurSigma });
      results.push(await withStability(params.stability, params.seed, async (seed) => {
      const rng = new Rng(seed);
      const scratch = new Float32Array(H * W);
      const saliency = new Float64Array(H * W);
      // onnxruntime returns sum_i score_i * mask_i for each run; masks are made into one scratch buffer.
      await graph.streamMasks(
        params.masks,
        () => riseMask(rng, params.cells, params.probability, H, W, scratch),
        input,
        baseline,
        graph.seedFor(ctx.target),
        () => undefined,
        {
          ...ctx.runOptions,
          weightedMasks: (sum) => {
            for (let p = 0; p < sum.length; p++) saliency[p]! += sum[p]!;
          },
        },
      );
      const scale = 1 / (params.masks * params.probability);
      return { map: Float32Array.from(saliency, (v) => v * scale), figures: { masks: params.masks, forwardPasses: params.masks } };
      }));
    }
    return results;
  },
});
