import { LumenError } from '../../../../shared/errors';
import { OcclusionParams } from '../../../../shared/methods/perturbation-methods';
import { resolveBaseline } from '../../attribution/baselines';
import { gradientRuleSet } from '../../autodiff/rule-set';
import { defineMethod } from '../method';
import { occlusionWindow } from './occlusion-window';

/** Window starts along an axis: every `stride`, plus one flush with the end so every pixel is covered. */
export function windowStarts(size: number, window: number, stride: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s + window <= size; s += stride) starts.push(s);
  if (starts.length === 0 || starts[starts.length - 1]! + window < size) starts.push(Math.max(0, size - window));
  return starts;
}

/**
 * Occlusion (Zeiler and Fergus 2014) with Captum's semantics: each window position replaces a
 * square of the input (all channels) by the baseline; every pixel gets the mean drop of the
 * objective, f(x) - f(occluded), over the windows that cover it. Unlike Captum, a last window is
 * added flush with the image's end when the stride does not reach it, so no pixel is left out.
 * Window and stride default to sizes scaled with the input (occlusion-window.ts).
 */
export const occlusionMethod = defineMethod({
  id: 'occlusion',
  schema: OcclusionParams,
  async attributeMany(ctx, inputs, params) {
    const { height: H, width: W } = ctx.pixels;
    const { window, stride } = occlusionWindow(H, W, params);
    if (window > H || window > W) {
      throw new LumenError('invalid-argument', `The occlusion window (${window} px) is larger than the input (${H} x ${W}).`, 'Choose a smaller window.');
    }
    const graph = await ctx.graph(gradientRuleSet, params.objective, { masked: true });
    const ys = windowStarts(H, window, stride);
    const xs = windowStarts(W, window, stride);
    const positions = ys.flatMap((y) => xs.map((x) => [y, x] as const));
    const results = [];
    for (const input of inputs) {
      const baseline = await resolveBaseline(params.baseline, input, ctx.pixels, { seed: params.seed, blurSigma: params.blurSigma });
      const mask = new Float32Array(H * W);
      const drops = new Float64Array(positions.length + 1);
      // Row 0 is the unoccluded input (mask of ones); row k + 1 occludes window k.
      await graph.streamMasks(
        positions.length + 1,
        (k) => {
          mask.fill(1);
          if (k > 0) {
            const [y0, x0] = positions[k - 1]!;
            for (let y = y0; y < y0 + window; y++) mask.fill(0, y * W + x0, y * W + x0 + window);
          }
          return mask;
        },
        input,
        baseline,
        graph.seedFor(ctx.target),
        (k, objective) => (drops[k] = objective),
        ctx.runOptions,
      );
      const total = new Float64Array(H * W);
      const count = new Float64Array(H * W);
      positions.forEach(([y0, x0], k) => {
        const drop = drops[0]! - drops[k + 1]!;
        for (let y = y0; y < y0 + window; y++) {
          for (let x = x0; x < x0 + window; x++) {
            total[y * W + x]! += drop;
            count[y * W + x]! += 1;
          }
        }
      });
      results.push({ map: Float32Array.from(total, (t, i) => t / count[i]!), figures: { window, stride, windows: positions.length, forwardPasses: positions.length + 1 } });
    }
    return results;
  },
});
