import type { z } from 'zod';
import { DeletionInsertionParams } from '../../../shared/metrics/metric-params';
import { resolveBaseline } from '../attribution/baselines';
import { defineMetric, type MetricContext, type MetricValue } from './metric';
import { pixelRelevance, rankDescending, trapezoid } from './pixel-relevance';

type Params = z.output<typeof DeletionInsertionParams>;

/**
 * The causal metrics of Petsiuk et al. 2018. Deletion: remove pixels from the input, most relevant
 * first, `stepFraction` of the image at a time, and follow the class score down. Insertion: start
 * from a substrate (the blurred input) and put pixels back in the same order. The score is the
 * area under the curve over the fraction of pixels changed (0..1): a faithful map makes deletion
 * fall fast (low area) and insertion rise fast (high area). All points of the curve go through the
 * model in batched runs.
 */
async function causalCurve(ctx: MetricContext, params: Params, mode: 'deletion' | 'insertion'): Promise<MetricValue> {
  const { pixels } = ctx;
  const n = pixels.height * pixels.width;
  const order = rankDescending(pixelRelevance(ctx.attribution, pixels, params.reduce));
  const rank = new Uint32Array(n);
  order.forEach((p, r) => (rank[p] = r));
  const perStep = Math.max(1, Math.round(params.stepFraction * n));
  const steps = Math.ceil(n / perStep);
  const changed = Array.from({ length: steps + 1 }, (_, k) => Math.min(n, k * perStep));
  const background = await resolveBaseline(params.baseline ?? (mode === 'deletion' ? 'zeros' : 'blurred'), ctx.input, pixels, { seed: params.seed, blurSigma: params.blurSigma });
  const mask = new Float32Array(n);
  const y = await ctx.scoreMasked(
    params.objective,
    changed.length,
    (k) => {
      const count = changed[k]!;
      // Deletion keeps the pixels not yet removed; insertion keeps those already put back.
      for (let p = 0; p < n; p++) mask[p] = (rank[p]! < count) === (mode === 'insertion') ? 1 : 0;
      return mask;
    },
    background,
  );
  const x = changed.map((c) => c / n);
  const curve = Array.from(y);
  return {
    score: trapezoid(x, curve),
    curves: [{ name: mode, xLabel: `fraction of pixels ${mode === 'deletion' ? 'removed' : 'inserted'}`, yLabel: params.objective, x, y: curve }],
    figures: { steps, pixelsPerStep: perStep, start: curve[0]!, end: curve.at(-1)! },
    forwardPasses: changed.length,
  };
}

export const deletionMetric = defineMetric({
  id: 'deletion',
  schema: DeletionInsertionParams,
  evaluate: (ctx, params) => causalCurve(ctx, params, 'deletion'),
});

export const insertionMetric = defineMetric({
  id: 'insertion',
  schema: DeletionInsertionParams,
  evaluate: (ctx, params) => causalCurve(ctx, params, 'insertion'),
});
