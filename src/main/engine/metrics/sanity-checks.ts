import { LumenError } from '../../../shared/errors';
import { SanityChecksParams } from '../../../shared/metrics/metric-params';
import { spearman } from '../methods/rank-correlation';
import { hogSimilarity } from './functions/hog';
import { ssim } from './functions/ssim';
import { defineMetric, type Curve } from './metric';
import { pixelRelevance } from './pixel-relevance';
import { parameterisedLayers, randomiseLayers } from './randomise-layers';

/** |m| scaled to [0, 1] by its maximum, as Adebayo et al. normalise maps before SSIM and HOG. */
function unitAbs(m: Float64Array): Float64Array {
  let hi = 0;
  for (const v of m) hi = Math.max(hi, Math.abs(v));
  return m.map((v) => (hi > 0 ? Math.abs(v) / hi : 0));
}

/** Which layers are randomised at each step, as indices into the layers (input to output). */
function schedule(count: number, steps: number, mode: 'cascading' | 'independent'): number[][] {
  const top = (k: number): number[] => Array.from({ length: k }, (_, i) => count - 1 - i);
  if (mode === 'cascading') {
    const sizes = [...new Set(Array.from({ length: Math.min(steps, count) }, (_, i) => Math.round(((i + 1) * count) / Math.min(steps, count))))];
    return sizes.map(top);
  }
  const n = Math.min(steps, count);
  const picks = [...new Set(Array.from({ length: n }, (_, i) => count - 1 - (n === 1 ? 0 : Math.round((i * (count - 1)) / (n - 1)))))];
  return picks.map((p) => [p]);
}

/**
 * Model-parameter randomisation tests (Adebayo et al. 2018): re-initialise the model's layers
 * (cascading from the top, or one at a time), explain the same input and target with each
 * randomised model, and measure how similar each map stays to the original: Spearman rank
 * correlation with and without absolute values, SSIM and HOG similarity of the normalised maps.
 * A method that explains the model must lose similarity; one that ignores the model (an edge
 * detector) keeps it at 1. The score is the absolute-value Spearman similarity at the last step
 * (cascading: all layers randomised) or its mean (independent); lower is better.
 */
export const sanityChecksMetric = defineMetric({
  id: 'sanity-checks',
  schema: SanityChecksParams,
  async evaluate(ctx, params) {
    const layers = parameterisedLayers(ctx.model);
    if (layers.length === 0) {
      throw new LumenError('invalid-argument', 'The model has no layers with float32 weights (Conv, Gemm, MatMul, normalisation) to randomise.', 'Sanity checks need a model with learned float32 parameters.');
    }
    const { height: H, width: W } = ctx.pixels;
    const original = pixelRelevance(ctx.attribution, ctx.pixels, params.reduce);
    const originalUnit = unitAbs(original);
    const steps = schedule(layers.length, params.steps, params.mode);
    const measures: Record<string, number[]> = { spearman: [], 'spearman-abs': [] };
    if (H >= 7 && W >= 7) measures['ssim'] = [];
    if (H >= 24 && W >= 24) measures['hog'] = [];
    for (const chosen of steps) {
      const variant = randomiseLayers(ctx.model, layers, new Set(chosen), params.seed);
      const map = pixelRelevance(await ctx.attributeVariant(variant), ctx.pixels, params.reduce);
      const unit = unitAbs(map);
      measures['spearman']!.push(spearman(original, map));
      measures['spearman-abs']!.push(spearman(original.map(Math.abs), map.map(Math.abs)));
      measures['ssim']?.push(ssim(originalUnit, unit, H, W, { dataRange: 1 }));
      measures['hog']?.push(hogSimilarity(originalUnit, unit, H, W));
    }
    // The layer each step reached (cascading) or randomised (independent).
    const labels = steps.map((chosen) => layers[Math.min(...chosen)]!.name);
    const x = steps.map((_, i) => i + 1);
    const curves: Curve[] = Object.entries(measures).map(([name, y]) => ({ name, xLabel: params.mode === 'cascading' ? 'randomised down to layer' : 'randomised layer', yLabel: 'similarity to the original map', x, y, labels }));
    const absolute = measures['spearman-abs']!;
    const score = params.mode === 'cascading' ? absolute.at(-1)! : absolute.reduce((a, b) => a + b, 0) / absolute.length;
    const figures: Record<string, number> = { layers: layers.length, steps: steps.length };
    for (const [name, y] of Object.entries(measures)) figures[`final ${name}`] = y.at(-1)!;
    return { score, curves, figures, forwardPasses: 0 };
  },
});
