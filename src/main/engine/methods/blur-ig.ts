import { BlurIgParams } from '../../../shared/methods/path-methods';
import { gradientRuleSet } from '../autodiff/rule-set';
import { toChannelsFirst, toChannelsLast } from '../image/channels-first';
import { gaussianMatrix } from '../image/gaussian-matrix';
import { separableFilters } from '../runtime/separable-filter';
import { defineMethod, sum } from './method';

/** How many blur levels are made in one onnxruntime run (memory: levels x image size). */
const levelsPerRun = 16;

/**
 * Blur IG (Xu et al. 2020), as PAIR saliency computes it: the path goes from the input blurred
 * with maxSigma to the input; at each level the gradient is weighted by the derivative of the
 * blurred image with respect to sigma (a finite difference with gradStep) and by the sigma step;
 * the sum is negated (the path runs from more to less blur). Blurs use zeros outside the image
 * (scipy's mode "constant", as PAIR) and act on the model input tensor.
 */
export const blurIgMethod = defineMethod({
  id: 'blur-ig',
  schema: BlurIgParams,
  async attributeMany(ctx, inputs, params) {
    const graph = await ctx.graph(gradientRuleSet, params.objective);
    const { channels: C, height: H, width: W, layout } = ctx.pixels;
    const n = params.steps;
    const sigmas = Array.from({ length: n + 1 }, (_, i) => (params.sqrt ? Math.sqrt((i * params.maxSigma) / n) : (i * params.maxSigma) / n));
    const results = [];
    for (const input of inputs) {
      const image = layout === 'NCHW' ? input : toChannelsFirst(input, H, W, C);
      const total = new Float64Array(input.length);
      for (let start = 0; start < n; start += levelsPerRun) {
        const levels = Array.from({ length: Math.min(levelsPerRun, n - start) }, (_, k) => start + k);
        const filters = levels.flatMap((i) => [sigmas[i]!, sigmas[i]! + params.gradStep]).map((sigma) => ({
          rows: gaussianMatrix(H, sigma, 'constant'),
          cols: gaussianMatrix(W, sigma, 'constant'),
        }));
        const blurred = await separableFilters(image, C, H, W, filters);
        const points = levels.map((_, k) => blurred[2 * k]!);
        const rows = await graph.run(
          points.map((p) => ({ input: layout === 'NCHW' ? p : toChannelsLast(p, H, W, C) })),
          graph.seedFor(ctx.target),
          ctx.runOptions,
        );
        levels.forEach((i, k) => {
          const here = points[k]!;
          const further = blurred[2 * k + 1]!;
          const gradient = layout === 'NCHW' ? rows[k]!.inputGradient! : toChannelsFirst(rows[k]!.inputGradient!, H, W, C);
          const step = sigmas[i + 1]! - sigmas[i]!;
          for (let j = 0; j < total.length; j++) total[j]! += step * ((further[j]! - here[j]!) / params.gradStep) * gradient[j]!;
        });
      }
      const negated = Float32Array.from(total, (v) => -v);
      const map = layout === 'NCHW' ? negated : toChannelsLast(negated, H, W, C);
      // The path ends at the input and starts at the most blurred image: completeness compares with them.
      const [mostBlurred] = await separableFilters(image, C, H, W, [{ rows: gaussianMatrix(H, params.maxSigma, 'constant'), cols: gaussianMatrix(W, params.maxSigma, 'constant') }]);
      const [atInput, atBlurred] = await graph.run([{ input }, { input: layout === 'NCHW' ? mostBlurred! : toChannelsLast(mostBlurred!, H, W, C) }], graph.seedFor(ctx.target), ctx.runOptions);
      const attributionSum = sum(map);
      const delta = atInput!.objective - atBlurred!.objective;
      results.push({ map, figures: { attributionSum, outputDifference: delta, completenessError: Math.abs(attributionSum - delta) } });
    }
    return results;
  },
});
